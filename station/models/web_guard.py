"""What the customer request page keeps between requests: attempt counters, used form
nonces and the signing key.

Kept in the database (not in a process) so that several service processes or machines behind
a reverse proxy share one limit, one replay list and one key. Plain tables, never synced.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, utcnow


class PageAttempt(Base):
    """Attempts counted per key (``order:SO-1``, ``addr:203.0.113.9``) in a fixed time window."""

    __tablename__ = "page_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)


class UsedFormNonce(Base):
    """A form token already posted once: a second post of the same form is a replay."""

    __tablename__ = "used_form_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class WebKey(Base):
    """Named random keys of the returns service (the form and link signing key)."""

    __tablename__ = "web_keys"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
