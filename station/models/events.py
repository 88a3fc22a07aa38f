"""Domain events: what happened to an RMA, in the words the systems around the dock use.

The order system, the inventory system and the customer-notice sender do not read receipts or
dispositions; they read ``rma.received``, ``unit.inspected``, ``unit.dispositioned`` and
``resolution.issued``. A service writes the event in the same transaction as the change, and
because the record is synced it reaches the central database with the change, never without
it. ``rma_seq`` orders one RMA's events; there is deliberately no unique constraint on
(rma_number, rma_seq): two stations handling the same RMA offline could pick the same number,
and a unique index would make the central push fail instead of merely tying (ties are broken
by ``occurred_at`` then ``id``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced

EVENT_NAMES = ("rma.received", "unit.inspected", "unit.dispositioned", "resolution.issued",
               "rma.requested", "rma.authorised", "rma.refused", "rma.closed",
               "rma.cancelled",  # issue 24: the shop withdrew a request (API cancel)
               "rtv.approved", "rtv.rejected", "rtv.shipped", "rtv.credited",
               # issue 14 (net cost, alerts): see station/core/lifecycle_events.py
               "unit.refurbished", "parcel.quarantined", "parcel.matched", "scrap.approved", "scrap.rejected",
               "alert.raised", "alert.escalated", "alert.closed",
               # issue 26 (production lots): see station/supervision/lot_events.py
               "lot.alert", "lot.held")


class DomainEvent(Synced, Base):
    """One event about one RMA, with the JSON the consumers receive as ``data``."""

    __tablename__ = "domain_events"
    __table_args__ = (Index("ix_domain_events_rma_order", "rma_number", "rma_seq"),)

    name: Mapped[str] = mapped_column(String(40), index=True)
    rma_number: Mapped[str] = mapped_column(String(32))
    rma_seq: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    occurred_at: Mapped[dt.datetime] = mapped_column(index=True)
