"""Analytics summaries: per-day aggregates the dashboard reads instead of the raw tables.

These rows are derived locally from receipts, units, inspections, resolutions and RMAs by
``station.analytics.summary.refresh`` (never synced: every database computes its own). Each
table is keyed by the UTC day a parcel was received (for the cost cohort: the day an RMA's
first parcel arrived), so a refresh replaces whole days and a period reads whole days.

The module also declares the indexes on the raw tables that the summaries' refresh needs
(``received_at`` for day ranges, ``updated_at`` for finding changed rows).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Money
from station.models.inspection import Inspection
from station.models.outcome import Resolution
from station.models.receiving import Receipt, Unit
from station.models.rma import Rma


class DailyProduct(Base):
    """Returned units of one product (``product_id`` may be empty) received on one day."""

    __tablename__ = "analytics_daily_products"
    __table_args__ = (Index("ix_analytics_daily_products_day", "day", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    product_id: Mapped[uuid.UUID | None]
    returned: Mapped[int] = mapped_column(Integer)     # sum of Unit.quantity
    graded: Mapped[int] = mapped_column(Integer)       # ... of units with a grade
    defective: Mapped[int] = mapped_column(Integer)    # ... of grade D units
    written_off: Mapped[int] = mapped_column(Integer)  # ... dispositioned scrap, recycle or donate


class DailyMix(Base):
    """Returned units received on one day per RMA reason, grade and disposition.

    ``reason_code`` is empty for parcels without an RMA (unknown parcels), ``grade`` and
    ``disposition`` for units not graded / dispositioned yet. Values are the stored enum values.
    """

    __tablename__ = "analytics_daily_mix"
    __table_args__ = (Index("ix_analytics_daily_mix_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[str | None] = mapped_column(String(2))
    disposition: Mapped[str | None] = mapped_column(String(20))
    units: Mapped[int] = mapped_column(Integer)


class DailyCycle(Base):
    """Cycle-time histogram: units received on ``day`` whose ``stage`` took ``minute`` minutes
    (rounded), with the exact sum of their hours. Stage 0 = received -> inspected,
    1 = inspected -> resolved, 2 = received -> resolved. Per-minute buckets keep nearest-rank
    percentiles exact to the minute over any set of days."""

    __tablename__ = "analytics_daily_cycle"
    __table_args__ = (Index("ix_analytics_daily_cycle_day", "day", "stage", "minute"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)


class DailyCost(Base):
    """The cost cohort by the day each RMA's first parcel arrived: how many RMAs, their return
    shipping and their refunds + compensations."""

    __tablename__ = "analytics_daily_costs"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rmas: Mapped[int] = mapped_column(Integer)
    shipping: Mapped[Decimal] = mapped_column(Money)
    refunds: Mapped[Decimal] = mapped_column(Money)


class DailyNetUnits(Base):
    """Net cost, unit side: units received on ``day`` per product (``sku`` as received when
    uncatalogued), RMA reason and the grade they are priced at for resale (``price_grade``:
    the unit's grade when restocked, the refurbishment's outcome once refurbished, else empty);
    with their refurbishment cost, donated / recycled / written-off units and RTV credit.
    The price list and product values are joined when read, so a new price list shows at once."""

    __tablename__ = "analytics_daily_net_units"
    __table_args__ = (Index("ix_analytics_daily_net_units_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    product_id: Mapped[uuid.UUID | None]
    sku: Mapped[str] = mapped_column(String(64))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    price_grade: Mapped[str | None] = mapped_column(String(2))
    units: Mapped[int] = mapped_column(Integer)
    priced_units: Mapped[int] = mapped_column(Integer)   # restocked, or refurbished and finished
    donated: Mapped[int] = mapped_column(Integer)
    recycled: Mapped[int] = mapped_column(Integer)
    written_off: Mapped[int] = mapped_column(Integer)
    refurbishment: Mapped[Decimal] = mapped_column(Money)
    rtv_credit: Mapped[Decimal] = mapped_column(Money)


class DailyNetShares(Base):
    """Net cost, RMA side: the cost cohort's return shipping and refunds + compensations by the
    day each RMA's first parcel arrived, shared among its lines by quantity (each share rounded
    to the cent), per product / SKU and reason (who pays shipping is applied when read)."""

    __tablename__ = "analytics_daily_net_shares"
    __table_args__ = (Index("ix_analytics_daily_net_shares_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    product_id: Mapped[uuid.UUID | None]
    sku: Mapped[str] = mapped_column(String(64))
    reason_code: Mapped[str] = mapped_column(String(40))
    shipping: Mapped[Decimal] = mapped_column(Money)
    refunds: Mapped[Decimal] = mapped_column(Money)


class DirtyDay(Base):
    """Days someone asked to recompute at the next refresh (``summary.mark_dirty``), e.g. after
    writing rows whose ``updated_at`` is older than the refresh watermark."""

    __tablename__ = "analytics_dirty_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)


class SummaryState(Base):
    """The refresh watermark: rows updated after it (less a small overlap) are re-read."""

    __tablename__ = "analytics_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    watermark: Mapped[dt.datetime | None]
    built_at: Mapped[dt.datetime | None]


# Indexes on the raw tables: day ranges by receipt time, changed rows by updated_at.
RAW_INDEXES = (
    Index("ix_receipts_received_at", Receipt.__table__.c.received_at),
    Index("ix_receipts_updated_at", Receipt.__table__.c.updated_at),
    Index("ix_units_updated_at", Unit.__table__.c.updated_at),
    Index("ix_inspections_updated_at", Inspection.__table__.c.updated_at),
    Index("ix_resolutions_updated_at", Resolution.__table__.c.updated_at),
    Index("ix_rmas_updated_at", Rma.__table__.c.updated_at),
)
