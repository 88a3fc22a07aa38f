"""The vendor scorecard: how a supplier's products come back, and what its claims are worth.

Units sold and returned, the return rate per SKU, the customers' reasons, the grades found at
QC, the RTV claims (shipped, open, credited, disputed) and the weekly trend, for one vendor and
one period. The analytics' own queries (``station.analytics.returns`` / ``trends``) are used
with one more condition, the product's supplier, so "returned" and "sold" mean exactly what
they mean on the dashboard: units from parcels received in the period, sales days in it.
Each figure is one SQL aggregate; Python only shapes the few rows that come back.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, literal, select

from station.analytics.period import Period
from station.analytics.returns import _mix, _rate_rows, _sold_in, _units_in
from station.analytics.rows import MixRow, RateRow, WeekRow, ratio
from station.analytics.sql import week_of_day, week_start
from station.analytics.trends import weekly_rows
from station.context import Actor
from station.models import Grade, Product, Receipt, Rma, RtvBatch, RtvItem, RtvState, SalesDay, Unit
from station.permissions import Permission
from station.reasons import load_reasons
from station.rtv_claims import OPEN_CLAIMS
from station.rtv_views import VendorView
from station.services import Service

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimRow:
    batch: str
    state: str
    shipped_on: dt.date | None
    units: int
    claimed: Decimal
    credited: Decimal | None
    days_open: int | None
    note: str


@dataclass(frozen=True)
class Scorecard:
    vendor: VendorView
    period: Period
    sold: int
    returned: int
    rate: float | None
    skus: tuple[RateRow, ...]
    reasons: tuple[MixRow, ...]
    grades: tuple[MixRow, ...]
    weeks: tuple[WeekRow, ...]
    claims: tuple[ClaimRow, ...]
    claims_open: int
    claimed_open: Decimal
    credited: Decimal
    credited_count: int
    disputed: int
    currency: str

    @property
    def defective(self) -> int:
        return next((g.units for g in self.grades if g.key == Grade.D.value), 0)


class ScorecardService(Service):
    """``scorecard(actor, vendor, period)``; supervisors and admins (it shows money)."""

    def scorecard(self, actor: Actor, vendor: str, period: Period, *, locale: str = "en") -> Scorecard:
        self.require(actor, Permission.VIEW_ANALYTICS)
        from station.rtv import RtvService

        with self.reading() as db:
            found = RtvService._vendor(db, vendor)
            view = VendorView.of(found)
        with self.read_connection() as conn:
            return build(conn, view, period, self.ctx.today(), locale)


def build(conn: Connection, vendor: VendorView, period: Period, today: dt.date, locale: str = "en") -> Scorecard:
    mine = Product.supplier == vendor.name
    returns = (_units_in(period, Product.sku.label("key"), func.sum(Unit.quantity).label("returned"),
                         literal(0).label("sold"))
               .join(Product, Product.id == Unit.product_id).where(mine).group_by(Product.sku))
    sales = (select(SalesDay.sku.label("key"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
             .join(Product, Product.sku == SalesDay.sku).where(_sold_in(period), mine).group_by(SalesDay.sku))
    skus = _rate_rows(conn, returns, sales, 0, None, Product.__table__.alias("named"))
    returned, sold = sum(r.returned for r in skus), sum(r.sold for r in skus)

    reasons = load_reasons()
    rows = conn.execute(_units_in(period, Rma.reason_code, func.sum(Unit.quantity))
                        .join(Rma, Rma.id == Receipt.rma_id)
                        .join(Product, Product.id == Unit.product_id).where(mine)
                        .group_by(Rma.reason_code)).all()
    reason_mix = _mix([tuple(r) for r in rows], {r[0]: reasons.get(r[0]).text(locale) for r in rows})

    rows = conn.execute(_units_in(period, Unit.grade, func.sum(Unit.quantity)).join(Product, Product.id == Unit.product_id)
                        .where(mine, Unit.grade.is_not(None)).group_by(Unit.grade)).all()
    grades = sorted(_mix([(getattr(g, "value", g), n) for g, n in rows]), key=lambda m: m.key)

    week = week_start(Receipt.received_at)
    weekly_returns = (_units_in(period, week.label("week"), func.sum(Unit.quantity).label("returned"),
                                literal(0).label("sold"))
                      .join(Product, Product.id == Unit.product_id).where(mine).group_by(week))
    sale_week = week_of_day(SalesDay.sold_on)
    weekly_sales = (select(sale_week.label("week"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
                    .join(Product, Product.sku == SalesDay.sku).where(_sold_in(period), mine).group_by(sale_week))
    weeks = weekly_rows(conn, weekly_returns, weekly_sales)

    claims = _claims(conn, vendor, period, today)
    open_claims = [c for c in claims if c.state in {s.value for s in OPEN_CLAIMS}]
    credited = [c for c in claims if c.state == RtvState.CREDITED.value]
    return Scorecard(
        vendor=vendor, period=period, sold=sold, returned=returned, rate=ratio(returned, sold), skus=tuple(skus),
        reasons=tuple(reason_mix), grades=tuple(grades), weeks=tuple(weeks), claims=tuple(claims),
        claims_open=len(open_claims), claimed_open=sum((c.claimed for c in open_claims), Decimal("0.00")),
        credited=sum((c.credited or Decimal(0) for c in credited), Decimal("0.00")), credited_count=len(credited),
        disputed=sum(1 for c in claims if c.state == RtvState.DISPUTED.value), currency=vendor.currency)


def _claims(conn: Connection, vendor: VendorView, period: Period, today: dt.date) -> list[ClaimRow]:
    """The vendor's shipped batches: shipped in the period, or still open whenever shipped."""
    units = select(func.count()).where(RtvItem.batch_id == RtvBatch.id).scalar_subquery()
    in_period = (RtvBatch.shipped_at >= period.lower) & (RtvBatch.shipped_at < period.upper)
    rows = conn.execute(
        select(RtvBatch.number, RtvBatch.state, RtvBatch.shipped_at, units, RtvBatch.claimed_amount,
               RtvBatch.credited_amount, RtvBatch.dispute_reason, RtvBatch.ra_number)
        .where(RtvBatch.vendor_id == vendor.id, RtvBatch.state != RtvState.OPEN,
               in_period | RtvBatch.state.in_(OPEN_CLAIMS))
        .order_by(RtvBatch.shipped_at, RtvBatch.number)).all()
    out = []
    for number, state, shipped, count, claimed, credited, dispute, ra in rows:
        state = RtvState(getattr(state, "value", state))
        days = (today - shipped.date()).days if shipped is not None and state in OPEN_CLAIMS else None
        note = dispute if state == RtvState.DISPUTED else f"RA {ra}"
        out.append(ClaimRow(number, state.value, shipped.date() if shipped else None, int(count or 0),
                            Decimal(claimed), None if credited is None else Decimal(credited), days, note))
    return out


__all__ = ["ClaimRow", "Scorecard", "ScorecardService", "build"]
