"""Units sold per SKU per day: the denominator of every return rate.

Sales are not the station's own records: they come from an imported sales file
(``rma-station sales import``) or from the central database, so the table is plain (no sync
columns). One row per (SKU, day, channel, lot); importing a file again replaces the rows of
its (SKU, day, channel) rather than counting the same sales twice. ``lot`` is empty when the
file names no production lot (issue 26: a lot's return rate needs its units sold).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, utcnow


class SalesDay(Base):
    """How many units of ``sku`` were sold on ``sold_on`` through ``channel``."""

    __tablename__ = "sales"
    __table_args__ = (
        UniqueConstraint("sku", "sold_on", "channel", "lot", name="uq_sales_sku_day_channel_lot"),
        Index("ix_sales_sold_on_sku", "sold_on", "sku"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64))
    sold_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(40), default="")
    lot: Mapped[str] = mapped_column(String(40), default="", server_default="")
    units: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
