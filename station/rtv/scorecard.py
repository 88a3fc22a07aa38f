"""The vendor scorecard: how a supplier's products come back, and what its claims are worth.

Units sold and returned, the return rate per SKU, the customers' reasons, the grades found at
QC, the RTV claims (shipped, open, credited, disputed) and the weekly trend, for one vendor and
one period. "Returned" and "sold" mean exactly what they mean on the dashboard
(``station.analytics.returns``, whose helpers are used): units from parcels received in the
period, by ``Unit.quantity``, and imported sales days in it, restricted to the vendor's
products. The returned units are read in one pass (``_returned_by``); sales and claims are one
aggregate each; Python only shapes the ~100 rows that come back.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, String, cast, func, literal, select, union_all

from station.analytics.lots import LotRow, lot_rows
from station.analytics.period import Period
from station.analytics.returns import _mix, _sold_in, _units_in
from station.analytics.rows import MixRow, RateRow, WeekRow, ratio
from station.analytics.sql import week_of_day, week_start
from station.analytics.trends import as_date
from station.catalog.reasons import load_reasons
from station.core.context import Actor
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Grade, LotHold, Product, Receipt, Rma, RtvBatch, RtvItem, RtvState, SalesDay, Unit
from station.rtv.claims import OPEN_CLAIMS
from station.rtv.views import VendorView

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
    lots: tuple[LotRow, ...] = ()
    """The vendor's production lots returned in the period, worst first (issue 26), and held lots named."""
    held_lots: tuple[str, ...] = ()
    """``SKU lot`` of the vendor's lots on hold now."""

    @property
    def defective(self) -> int:
        return next((g.units for g in self.grades if g.key == Grade.D.value), 0)


class ScorecardService(Service):
    """``scorecard(actor, vendor, period)``; supervisors and admins (it shows money)."""

    def scorecard(self, actor: Actor, vendor: str, period: Period, *, locale: str = "en") -> Scorecard:
        self.require(actor, Permission.VIEW_ANALYTICS)
        from station.rtv.batches import RtvService

        with self.reading() as db:
            found = RtvService._vendor(db, vendor)
            view = VendorView.of(found)
        with self.read_connection() as conn:
            return build(conn, view, period, self.ctx.today(), locale)


def build(conn: Connection, vendor: VendorView, period: Period, today: dt.date, locale: str = "en") -> Scorecard:
    products = {row.id: (row.sku, row.name_en) for row in conn.execute(
        select(Product.id, Product.sku, Product.name_en).where(Product.supplier == vendor.name))}
    counts = _returned_by(conn, tuple(products), period)
    by_sku = {products[pid][0]: n for pid, n in counts["sku"].items() if pid in products}
    names = {sku: name for sku, name in products.values()}
    sold_by_sku = dict(conn.execute(
        select(SalesDay.sku, func.sum(SalesDay.units)).where(_sold_in(period), SalesDay.sku.in_(names))
        .group_by(SalesDay.sku)).all())
    skus = [RateRow(sku, names.get(sku, sku), by_sku.get(sku, 0), int(sold_by_sku.get(sku) or 0),
                    ratio(by_sku.get(sku, 0), int(sold_by_sku.get(sku) or 0)))
            for sku in sorted(set(by_sku) | {k for k, v in sold_by_sku.items() if v})]
    skus.sort(key=lambda r: (r.rate is None, -(r.rate or 0), -r.returned, r.key))
    returned, sold = sum(r.returned for r in skus), sum(r.sold for r in skus)

    reasons = load_reasons()
    reason_mix = _mix(list(counts["reason"].items()), {k: reasons.get(k).text(locale) for k in counts["reason"]})
    grades = sorted(_mix(list(counts["grade"].items())), key=lambda m: m.key)

    sale_week = week_of_day(SalesDay.sold_on)
    week_rows: list[Any] = list(conn.execute(
        select(sale_week, func.sum(SalesDay.units)).where(_sold_in(period), SalesDay.sku.in_(names))
        .group_by(sale_week)))
    sold_weeks = {as_date(r[0]): int(r[1] or 0) for r in week_rows}
    returned_weeks = {as_date(w): n for w, n in counts["week"].items()}
    weeks = [WeekRow(w, returned_weeks.get(w, 0), sold_weeks.get(w, 0),
                     ratio(returned_weeks.get(w, 0), sold_weeks.get(w, 0)) if sold_weeks.get(w) else None)
             for w in sorted(set(sold_weeks) | set(returned_weeks))]

    claims = _claims(conn, vendor, period, today)
    open_claims = [c for c in claims if c.state in {s.value for s in OPEN_CLAIMS}]
    credited = [c for c in claims if c.state == RtvState.CREDITED.value]
    return Scorecard(
        vendor=vendor, period=period, sold=sold, returned=returned, rate=ratio(returned, sold), skus=tuple(skus),
        reasons=tuple(reason_mix), grades=tuple(grades), weeks=tuple(weeks), claims=tuple(claims),
        claims_open=len(open_claims), claimed_open=sum((c.claimed for c in open_claims), Decimal("0.00")),
        credited=sum((c.credited or Decimal(0) for c in credited), Decimal("0.00")), credited_count=len(credited),
        disputed=sum(1 for c in claims if c.state == RtvState.DISPUTED.value), currency=vendor.currency,
        lots=tuple(lot_rows(conn, period, skus=names, locale=locale)),
        held_lots=tuple(f"{sku} {lot}" for sku, lot in conn.execute(
            select(LotHold.sku, LotHold.lot).where(LotHold.released_at.is_(None), LotHold.sku.in_(names or [""]))
            .order_by(LotHold.sku, LotHold.lot)).all()))


def _returned_by(conn: Connection, product_ids: tuple[uuid.UUID, ...], period: Period) -> dict[str, dict[Any, int]]:
    """Returned units of these products per product, week, grade and reason, in one pass.

    The dashboard's four queries (``station.analytics.returns``) each join the period's units
    to receipts, products and RMAs; for a vendor with 100,000 returns that is four scans of
    ~1 s each on SQLite. Here the vendor's units are read once into a materialised CTE (same
    definition: units of parcels received in the period, by ``Unit.quantity``) and the four
    GROUP BYs run over it, returning ~100 rows.
    """
    out: dict[str, dict[Any, int]] = {"sku": {}, "week": {}, "grade": {}, "reason": {}}
    if not product_ids:
        return out
    base = (_units_in(period, Unit.product_id.label("pid"), week_start(Receipt.received_at).label("week"),
                      Unit.grade.label("grade"), Rma.reason_code.label("reason"), Unit.quantity.label("qty"))
            .outerjoin(Rma, Rma.id == Receipt.rma_id).where(Unit.product_id.in_(product_ids))
            .cte("vendor_units").prefix_with("MATERIALIZED"))
    total = func.sum(base.c.qty)
    query = union_all(
        select(literal("sku"), cast(base.c.pid, String), total).group_by(base.c.pid),
        select(literal("week"), cast(base.c.week, String), total).group_by(base.c.week),
        select(literal("grade"), cast(base.c.grade, String), total).where(base.c.grade.is_not(None))
        .group_by(base.c.grade),
        select(literal("reason"), base.c.reason, total).where(base.c.reason.is_not(None)).group_by(base.c.reason))
    row: Any
    for row in conn.execute(query):
        kind, key, units = str(row[0]), row[1], row[2]
        out[kind][uuid.UUID(str(key)) if kind == "sku" else key] = int(units or 0)
    return out


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
    row: Any
    for row in rows:
        number, raw_state, shipped, count, claimed, credited, dispute, ra = row
        state = RtvState(getattr(raw_state, "value", raw_state))
        days = (today - shipped.date()).days if shipped is not None and state in OPEN_CLAIMS else None
        note = dispute if state == RtvState.DISPUTED else f"RA {ra}"
        out.append(ClaimRow(number, state.value, shipped.date() if shipped else None, int(count or 0),
                            Decimal(claimed), None if credited is None else Decimal(credited), days, note))
    return out


__all__ = ["ClaimRow", "Scorecard", "ScorecardService", "build"]
