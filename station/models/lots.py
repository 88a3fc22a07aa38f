"""Production lots a supervisor has put on hold (issue 26).

A hold names a SKU and one of its lots: every unit of that lot scanned at receiving afterwards
is held for QC, and the units of the lot already restocked are listed for pulling back. The
record syncs both ways, so a hold put at one dock holds the lot at every dock. Two docks
holding the same lot offline make two rows; both stand until released (a release ends every
active hold of the lot), so nothing is lost and nothing conflicts.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced


class LotHold(Synced, Base):
    """One hold on (``sku``, ``lot``), active while ``released_at`` is empty."""

    __tablename__ = "lot_holds"
    __table_args__ = (Index("ix_lot_holds_sku_lot", "sku", "lot"),)

    sku: Mapped[str] = mapped_column(String(64))
    lot: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    held_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    held_at: Mapped[dt.datetime]
    released_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    released_at: Mapped[dt.datetime | None]
    release_note: Mapped[str] = mapped_column(Text, default="", server_default="")
