"""What arrived at the dock: parcels (receipts) and the units taken out of them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.models.base import Base, Synced, db_enum
from station.models.catalog import Product
from station.models.enums import DispositionKind, Grade, ParcelCondition, ReceiptStatus, UnitState
from station.models.rma import Rma, RmaLine


class Receipt(Synced, Base):
    """One parcel scanned in at the dock.

    A parcel with no RMA behind it (an unknown parcel) is still a receipt, with ``rma_id``
    empty and status ``quarantined``: the box is physically here and must be findable.
    """

    __tablename__ = "receipts"

    rma_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rmas.id"), index=True)
    scanned_code: Mapped[str] = mapped_column(String(128), index=True)
    received_at: Mapped[dt.datetime]
    received_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("operators.id"))
    parcel_condition: Mapped[ParcelCondition] = mapped_column(
        db_enum(ParcelCondition, 20), default=ParcelCondition.INTACT
    )
    weight_g: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ReceiptStatus] = mapped_column(
        db_enum(ReceiptStatus, 24), index=True
    )
    flags: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    rma: Mapped[Rma | None] = relationship(back_populates="receipts")
    units: Mapped[list[Unit]] = relationship(back_populates="receipt", order_by="Unit.lpn")


class Unit(Synced, Base):
    """One returned item (or a counted batch of identical items), named by its LPN."""

    __tablename__ = "units"

    lpn: Mapped[str] = mapped_column(String(32), unique=True)
    receipt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("receipts.id"), index=True)
    rma_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rma_lines.id"), index=True)
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), index=True)
    sku_received: Mapped[str] = mapped_column(String(64), default="")
    gtin_received: Mapped[str] = mapped_column(String(14), default="")
    serial_received: Mapped[str] = mapped_column(String(100), default="")
    lot: Mapped[str] = mapped_column(String(40), default="", server_default="", index=True)
    """The production lot (GS1 AI 10) read from the item's code or typed at QC; empty when unknown."""
    expiry: Mapped[dt.date | None] = mapped_column(Date)
    """The expiry date (GS1 AI 17) read with the lot, when the code carries one."""
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[UnitState] = mapped_column(
        db_enum(UnitState, 20), default=UnitState.RECEIVED, index=True
    )
    flags: Mapped[list[Any]] = mapped_column(default=list)
    grade: Mapped[Grade | None] = mapped_column(db_enum(Grade, 2))
    disposition: Mapped[DispositionKind | None] = mapped_column(
        db_enum(DispositionKind, 20), index=True
    )
    bin: Mapped[str] = mapped_column(String(40), default="")

    receipt: Mapped[Receipt] = relationship(back_populates="units")
    rma_line: Mapped[RmaLine | None] = relationship()
    product: Mapped[Product | None] = relationship()
