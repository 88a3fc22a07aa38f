"""Which RMAs wait for a customer resolution, kept as a marker so the desk never scans every RMA.

One row per RMA that has had a unit dispositioned. ``ready_at`` is when the RMA is (or will be)
ready to resolve: the moment its last received unit got a disposition, or, for a partial
parcel, the day the policy stops waiting for the rest. The desk's queue is an index range on
``ready_at <= now``, so its first page costs the same with 200,000 waiting as with 20.
``ready_at`` is cleared when the resolution is issued; ``resolved_at`` and ``closed_at`` feed the
history list and the cycle-time figures. The table is local bookkeeping (not synced): the
resolution itself and its events are the synced records.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base


class ResolutionQueueEntry(Base):
    """One RMA's place in the resolution queue and what became of it."""

    __tablename__ = "resolution_queue"
    __table_args__ = (
        Index("ix_resolution_queue_ready", "ready_at", "rma_id"),
        Index("ix_resolution_queue_resolved", "resolved_at"),
    )

    rma_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rmas.id"), primary_key=True)
    ready_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    resolution_id: Mapped[uuid.UUID | None]
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    """``policy`` for an automatic resolution, else the badge of who issued it."""
