"""What the station remembers about syncing: the pull cursor, last success, last error.

Kept in the station's own database (not a side file) so the pull cursor commits in the same
transaction as the rows it pulled, and so any process that opens the database (the window,
``rma-station sync status``) reads the same status the sync worker wrote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, utcnow


class SyncState(Base):
    """One named value of the sync worker's state (``pull_cursor``, ``last_success``...)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
