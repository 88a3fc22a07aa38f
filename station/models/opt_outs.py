"""E-mail addresses that asked for no more notices (the one-click unsubscribe link).

Kept per address, not per RMA: a customer who unsubscribes from the mail about one return
must not hear about the next one either. Addresses are stored lower-case, trimmed. The table
stays in the database the notices are sent from; it is not synced (the returns service and
the notifier share that database).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, UtcDateTime


class EmailOptOut(Base):
    """One address that opted out, when, and how (``one-click``, ``link``, ``admin``)."""

    __tablename__ = "email_opt_outs"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)
    opted_out_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    via: Mapped[str] = mapped_column(String(20))
