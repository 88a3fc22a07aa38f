"""Vendors and what the dock sends back to them: return-to-vendor batches and their claims.

A product names its supplier by name (``Product.supplier``); a ``Vendor`` is that name with
what return-to-vendor needs: a short code for scanners and the command line, the contact who
receives the paperwork and the scorecard, and the agreement's credit rate (a percentage of
the unit cost; empty means the vendor credits the full unit cost).

An ``RtvBatch`` is one carton (or pallet) for one vendor. It is ``open`` while units are
scanned into it, and from ``shipped`` on it is also the claim the vendor must settle:
``shipped -> acknowledged -> credited | disputed`` (``station.rtv.claims`` holds the table).
Each ``RtvItem`` is one unit in a batch with the amount claimed for it, fixed when it was
added, so a later price change never rewrites a claim already sent.

An ``RtvCredit`` is the vendor's money for a batch as a commitment: one per batch in the whole
fleet, decided by central (``station.rtv.commitments``). Only an effective credit marks its
batch credited.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.models.base import Base, FixedPoint, Synced, db_enum


class RtvState(enum.StrEnum):
    """A batch's life: filled, shipped (the claim is open), then settled by the vendor."""

    OPEN = "open"
    SHIPPED = "shipped"
    ACKNOWLEDGED = "acknowledged"
    CREDITED = "credited"
    DISPUTED = "disputed"


class RtvCreditState(enum.StrEnum):
    """A credit recorded at a dock that syncs is ``pending`` until central took it (then
    ``effective``: the batch is credited and ``rtv.credited`` leaves), or ``voided`` when central
    already held another dock's credit for the batch. A station on its own credits at once."""

    EFFECTIVE = "effective"
    PENDING = "pending"
    VOIDED = "voided"


class Vendor(Synced, Base):
    """A supplier that takes returns; ``name`` equals ``Product.supplier`` of its products."""

    __tablename__ = "vendors"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    agreement_rate_pct: Mapped[Decimal | None] = mapped_column(FixedPoint(2))  # 12.50 (%), exact
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    address: Mapped[str] = mapped_column(Text, default="")


class RtvBatch(Synced, Base):
    """One shipment of approved return-to-vendor units to one vendor, and its claim."""

    __tablename__ = "rtv_batches"

    number: Mapped[str] = mapped_column(String(32), unique=True)
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), index=True)
    state: Mapped[RtvState] = mapped_column(db_enum(RtvState, 14), default=RtvState.OPEN, index=True)
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    opened_at: Mapped[dt.datetime]
    ra_number: Mapped[str] = mapped_column(String(64), default="")
    carrier: Mapped[str] = mapped_column(String(40), default="")
    tracking_number: Mapped[str] = mapped_column(String(64), default="")
    shipped_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    shipped_at: Mapped[dt.datetime | None]
    claimed_amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    acknowledged_at: Mapped[dt.datetime | None]
    credited_amount: Mapped[Decimal | None] = mapped_column()
    credited_on: Mapped[dt.date | None] = mapped_column(Date)
    dispute_reason: Mapped[str] = mapped_column(Text, default="")
    settled_at: Mapped[dt.datetime | None]

    vendor: Mapped[Vendor] = relationship()
    items: Mapped[list[RtvItem]] = relationship(back_populates="batch", order_by="RtvItem.position")


class RtvItem(Synced, Base):
    """One unit in a batch; a unit is in at most one batch (``unit_id`` is unique)."""

    __tablename__ = "rtv_items"

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rtv_batches.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    lpn: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(100), default="")
    defect: Mapped[str] = mapped_column(Text, default="")
    claimed_amount: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    added_at: Mapped[dt.datetime]

    batch: Mapped[RtvBatch] = relationship(back_populates="items")


class RtvCredit(Synced, Base):
    """The vendor's credit for one batch as recorded at one station: amount, day, who, when.

    Central holds one standing (not voided) credit per batch by a unique index (central
    migration c008); a second dock's is refused there and voided at its dock with the reason."""

    __tablename__ = "rtv_credits"

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rtv_batches.id"), index=True)
    amount: Mapped[Decimal] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    credited_on: Mapped[dt.date] = mapped_column(Date)
    credited_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    credited_at: Mapped[dt.datetime]
    state: Mapped[RtvCreditState] = mapped_column(db_enum(RtvCreditState, 12), default=RtvCreditState.EFFECTIVE,
                                                  server_default=RtvCreditState.EFFECTIVE.value)
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why it was voided: which dock credited the batch first, who, when and how much."""
