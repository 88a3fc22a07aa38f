"""What a return recovers and what repairing it costs: refurbishments and the resale price list."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, db_enum
from station.models.enums import Grade


class Refurbishment(Base):
    """A refurbishment finished on one unit: what it cost, which parts, the grade it came out as.

    One per unit (``unit_id`` unique): the unit's resale value is priced at ``outcome_grade``.
    Local to the station for now (not in ``SYNCED_MODELS``: the central schema has no table yet).
    """

    __tablename__ = "refurbishments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    station_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), unique=True)
    cost: Mapped[Decimal]
    parts: Mapped[str] = mapped_column(Text, default="")
    outcome_grade: Mapped[Grade] = mapped_column(db_enum(Grade, 2))
    finished_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("operators.id"))
    finished_at: Mapped[dt.datetime]


class ResalePrice(Base):
    """What a unit of ``sku`` in ``grade`` sells for again (imported price list)."""

    __tablename__ = "resale_prices"
    __table_args__ = (UniqueConstraint("sku", "grade", name="uq_resale_prices_sku_grade"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64))
    grade: Mapped[Grade] = mapped_column(db_enum(Grade, 2))
    price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[dt.datetime]
