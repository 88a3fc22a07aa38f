"""Return authorisations made upstream (web shop, customer service) and their lines."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.models.base import Base, Synced, db_enum
from station.models.catalog import Product
from station.models.enums import RequestedResolution, RmaState

if TYPE_CHECKING:
    from station.models.receiving import Receipt


class Rma(Synced, Base):
    """An authorised return: who sends what back, why, and what they want in exchange.

    ``number`` carries a check digit (``station.rma_numbers``), so a misread scan is caught
    before it finds the wrong RMA.
    """

    __tablename__ = "rmas"

    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_number: Mapped[str] = mapped_column(String(64), index=True)
    customer_ref: Mapped[str] = mapped_column(String(64), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    customer_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_locale: Mapped[str] = mapped_column(String(10), default="en")
    reason_code: Mapped[str] = mapped_column(String(40))
    reason_text: Mapped[str] = mapped_column(Text, default="")
    requested_resolution: Mapped[RequestedResolution] = mapped_column(
        db_enum(RequestedResolution, 20)
    )
    customer_photos: Mapped[list[Any]] = mapped_column(default=list)
    authorised_at: Mapped[dt.datetime]
    deadline: Mapped[dt.date] = mapped_column(Date)
    carrier: Mapped[str] = mapped_column(String(40), default="")
    tracking_number: Mapped[str | None] = mapped_column(String(64), index=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    return_shipping_cost: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    state: Mapped[RmaState] = mapped_column(
        db_enum(RmaState, 24), default=RmaState.AUTHORISED, index=True
    )
    expiry_approved_by: Mapped[uuid.UUID | None]

    lines: Mapped[list[RmaLine]] = relationship(
        back_populates="rma", order_by="RmaLine.line_no", cascade="all, delete-orphan"
    )
    receipts: Mapped[list[Receipt]] = relationship(
        back_populates="rma", order_by="Receipt.received_at"
    )

    def __repr__(self) -> str:
        return f"<Rma {self.number} {self.state.value}>"


class RmaLine(Synced, Base):
    """One line of the original order that the customer is returning."""

    __tablename__ = "rma_lines"

    rma_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rmas.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    serial: Mapped[str | None] = mapped_column(String(100))
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    exchange_sku: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The variant (same family) the customer asked to exchange for; empty: the same SKU."""
    lot: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """The order line's known lot, copied at authorisation; the dock flags another (``lot_mismatch``)."""

    rma: Mapped[Rma] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
