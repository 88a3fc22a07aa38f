"""The dashboard figures read from the per-day summaries (``station.analytics.summary``).

Same names, arguments and results as the raw-table queries in ``returns``, ``cycle``,
``costs`` and ``trends`` (which stay as the reference definitions, and are what the tests
compare these against). Each function refreshes the summaries first unless told the caller
already did (``fresh=True``, as ``build_dashboard`` does after its one refresh). Product
attributes (SKU, category, supplier, value) are joined from ``products`` at read time, so a
catalogue change shows at once; sales are read from ``sales``, already one row per SKU and day.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Float, cast, func, literal, select
from sqlalchemy.engine import Connection

from station.analytics.costs import CostRates, _money
from station.analytics.cycle import STAGES, _f, percentiles_from_buckets
from station.analytics.period import Period
from station.analytics.returns import UNCATALOGUED, _mix, _rate_rows, _sold_in
from station.analytics.rows import (
    Costs,
    CycleTime,
    MixRow,
    RateRow,
    ReturnRate,
    SupplierRow,
    WeekReasonRow,
    WeekRow,
    ratio,
)
from station.analytics.sql import tune, week_of_day
from station.analytics.summary import STAGE_INDEX, refresh
from station.analytics.trends import as_date, weekly_rows
from station.catalog.reasons import ReasonCodes, load_reasons
from station.models import DailyCost, DailyCycle, DailyMix, DailyProduct, Product, SalesDay

log = logging.getLogger(__name__)

P, X, C, K = DailyProduct, DailyMix, DailyCycle, DailyCost


def _ready(conn: Connection, fresh: bool) -> None:
    if not fresh:
        refresh(conn)
    tune(conn)


def _days(model: Any, period: Period) -> Any:
    return model.day.between(period.start, period.end)


def return_rate(conn: Connection, period: Period, *, fresh: bool = False) -> ReturnRate:
    _ready(conn, fresh)
    returned = conn.scalar(select(func.coalesce(func.sum(P.returned), 0)).where(_days(P, period)))
    sold = conn.scalar(select(func.coalesce(func.sum(SalesDay.units), 0)).where(_sold_in(period)))
    returned, sold = int(returned or 0), int(sold or 0)
    return ReturnRate(returned, sold, ratio(returned, sold))


def _returns_by(column: Any, period: Period) -> Any:
    return (select(column.label("key"), func.sum(P.returned).label("returned"), literal(0).label("sold"))
            .select_from(P).join(Product, Product.id == P.product_id).where(_days(P, period)).group_by(column))


def rate_by_sku(conn: Connection, period: Period, *, min_sold: int = 0, limit: int | None = None,
                fresh: bool = False) -> list[RateRow]:
    _ready(conn, fresh)
    sales = (select(SalesDay.sku.label("key"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
             .where(_sold_in(period)).group_by(SalesDay.sku))
    return _rate_rows(conn, _returns_by(Product.sku, period), sales, min_sold, limit,
                      Product.__table__.alias("named"))


def rate_by_category(conn: Connection, period: Period, *, min_sold: int = 0, fresh: bool = False) -> list[RateRow]:
    _ready(conn, fresh)
    category = func.coalesce(Product.category, UNCATALOGUED)
    sales = (select(category.label("key"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
             .select_from(SalesDay).outerjoin(Product, Product.sku == SalesDay.sku)
             .where(_sold_in(period)).group_by(category))
    return _rate_rows(conn, _returns_by(Product.category, period), sales, min_sold)


def _mix_of(conn: Connection, column: Any, period: Period) -> list[tuple[Any, Any]]:
    return [tuple(r) for r in conn.execute(
        select(column, func.sum(X.units)).where(_days(X, period), column.is_not(None)).group_by(column))]


def reason_mix(conn: Connection, period: Period, *, reasons: ReasonCodes | None = None,
               locale: str = "en", fresh: bool = False) -> list[MixRow]:
    _ready(conn, fresh)
    reasons = reasons or load_reasons()
    rows = _mix_of(conn, X.reason_code, period)
    return _mix(rows, {r[0]: reasons.get(r[0]).text(locale) for r in rows})


def grade_mix(conn: Connection, period: Period, *, fresh: bool = False) -> list[MixRow]:
    _ready(conn, fresh)
    return sorted(_mix(_mix_of(conn, X.grade, period)), key=lambda m: m.key)


def disposition_mix(conn: Connection, period: Period, *, fresh: bool = False) -> list[MixRow]:
    _ready(conn, fresh)
    return _mix(_mix_of(conn, X.disposition, period))


def supplier_defects(conn: Connection, period: Period, *, min_graded: int = 0,
                     fresh: bool = False) -> list[SupplierRow]:
    _ready(conn, fresh)
    graded, defective = func.sum(P.graded), func.sum(P.defective)
    rows = conn.execute(
        select(Product.supplier, graded, defective).select_from(P).join(Product, Product.id == P.product_id)
        .where(_days(P, period), P.graded > 0).group_by(Product.supplier)
        .having(graded >= max(min_graded, 1)).order_by((cast(defective, Float) / graded).desc(), Product.supplier)
    ).all()
    return [SupplierRow(s or "(no supplier)", int(g), int(d), ratio(int(d), int(g))) for s, g, d in rows]


def cycle_times(conn: Connection, period: Period, percents: tuple[int, int] = (50, 90), *,
                fresh: bool = False) -> list[CycleTime]:
    """Nearest-rank percentiles from the per-minute buckets of the period's days (a running sum
    over the buckets, as in ``cycle.cycle_times``), exact to the minute; the mean is exact."""
    _ready(conn, fresh)
    buckets = (select(C.stage, C.minute.label("m"), func.sum(C.units).label("k"), func.sum(C.hours).label("h"))
               .where(_days(C, period)).group_by(C.stage, C.minute).subquery("buckets"))
    rows = percentiles_from_buckets(conn, buckets, percents)
    found = {int(stage): (n, h, picks) for stage, n, h, *picks in rows}
    out = []
    for name, _ in STAGES:
        n, h, picks = found.get(STAGE_INDEX[name], (0, None, [None] * len(percents)))
        mean = float(h) / int(n) if n else None
        p50, p90 = (None if v is None else float(v) / 60 for v in picks)
        out.append(CycleTime(name, int(n or 0), _f(mean), _f(p50), _f(p90)))
    return out


def costs(conn: Connection, period: Period, rates: CostRates = CostRates(), *, fresh: bool = False) -> Costs:
    _ready(conn, fresh)
    shipping, refunds = conn.execute(
        select(func.sum(K.shipping), func.sum(K.refunds)).where(_days(K, period))).one()
    value = Product.unit_value * P.written_off
    units = conn.scalar(select(func.coalesce(func.sum(P.returned), 0)).where(_days(P, period)))
    write_off = conn.scalar(select(func.sum(value)).select_from(P).join(Product, Product.id == P.product_id)
                            .where(_days(P, period), P.written_off > 0))
    handling = rates.handling_per_unit * int(units or 0)
    return Costs(_money(shipping), _money(handling), _money(write_off), _money(refunds))


def weekly(conn: Connection, period: Period, *, fresh: bool = False) -> list[WeekRow]:
    _ready(conn, fresh)
    week = week_of_day(P.day)
    returns = (select(week.label("week"), func.sum(P.returned).label("returned"), literal(0).label("sold"))
               .where(_days(P, period)).group_by(week))
    sale_week = week_of_day(SalesDay.sold_on)
    sales = (select(sale_week.label("week"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
             .where(_sold_in(period)).group_by(sale_week))
    return weekly_rows(conn, returns, sales)


def weekly_reasons(conn: Connection, period: Period, *, fresh: bool = False) -> list[WeekReasonRow]:
    _ready(conn, fresh)
    week = week_of_day(X.day)
    units = func.sum(X.units)
    share = cast(units, Float) / func.sum(units).over(partition_by=week)
    rows = conn.execute(
        select(week.label("week"), X.reason_code, units, share)
        .where(_days(X, period), X.reason_code.is_not(None)).group_by(week, X.reason_code)
        .order_by(week, X.reason_code)
    ).all()
    return [WeekReasonRow(as_date(w), str(r), int(n), float(s)) for w, r, n, s in rows]
