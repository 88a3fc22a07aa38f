"""Return rates and mixes, each one SQL aggregate run on SQLite or PostgreSQL.

"Returned units" everywhere means the units taken out of parcels received in the period
(``Receipt.received_at``), counted by ``Unit.quantity`` and attributed to the product on the
RMA line (``Unit.product_id``). "Units sold" is ``sales.units`` for ``sold_on`` in the period.
Python only turns the few aggregated rows into values; it never walks the units.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Float, Select, case, cast, func, literal, select, union_all
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import MixRow, RateRow, ReturnRate, SupplierRow, ratio
from station.catalog.reasons import ReasonCodes, load_reasons
from station.models import Grade, Product, Receipt, Rma, SalesDay, Unit

log = logging.getLogger(__name__)

UNCATALOGUED = "(not in catalogue)"


def _units_in(period: Period, *columns: Any) -> Select[Any]:
    return select(*columns).select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id).where(
        Receipt.received_at >= period.lower, Receipt.received_at < period.upper
    )


def _sold_in(period: Period) -> Any:
    return SalesDay.sold_on.between(period.start, period.end)


def return_rate(conn: Connection, period: Period) -> ReturnRate:
    """All returned units over all units sold in the period."""
    returned = conn.scalar(_units_in(period, func.coalesce(func.sum(Unit.quantity), 0)))
    sold = conn.scalar(select(func.coalesce(func.sum(SalesDay.units), 0)).where(_sold_in(period)))
    returned, sold = int(returned or 0), int(sold or 0)
    return ReturnRate(returned, sold, ratio(returned, sold))


def _rate_rows(conn: Connection, returns: Select[Any], sales: Select[Any], min_sold: int,
               limit: int | None = None, names: Any = None) -> list[RateRow]:
    """Union the returned and sold counts per key, then one GROUP BY gives both and the rate."""
    both = union_all(returns, sales).subquery("both")
    returned, sold = func.sum(both.c.returned), func.sum(both.c.sold)
    rate = case((sold > 0, cast(returned, Float) / sold))
    label = names.c.name_en if names is not None else both.c.key
    query = (
        select(both.c.key, label, returned, sold, rate)
        .select_from(both)
        .group_by(both.c.key, *([label] if names is not None else []))
        .having(sold >= min_sold)
        .order_by(rate.desc().nulls_last(), returned.desc(), both.c.key)
    )
    if names is not None:
        query = query.outerjoin(names, names.c.sku == both.c.key)
    if limit is not None:
        query = query.limit(limit)
    return [
        RateRow(str(key), str(name or key), int(r or 0), int(n or 0), float(x) if x is not None else None)
        for key, name, r, n, x in conn.execute(query)
    ]


def rate_by_sku(conn: Connection, period: Period, *, min_sold: int = 0,
                limit: int | None = None) -> list[RateRow]:
    """Return rate per SKU, highest first; SKUs with sales but no returns rate 0."""
    returns = _units_in(period, Product.sku.label("key"), func.sum(Unit.quantity).label("returned"),
                        literal(0).label("sold")).join(Product, Product.id == Unit.product_id
                                                       ).group_by(Product.sku)
    sales = (select(SalesDay.sku.label("key"), literal(0).label("returned"),
                    func.sum(SalesDay.units).label("sold"))
             .where(_sold_in(period)).group_by(SalesDay.sku))
    return _rate_rows(conn, returns, sales, min_sold, limit, Product.__table__.alias("named"))


def rate_by_category(conn: Connection, period: Period, *, min_sold: int = 0) -> list[RateRow]:
    """Return rate per product category; sales of SKUs the catalogue lacks are grouped apart."""
    returns = _units_in(period, Product.category.label("key"), func.sum(Unit.quantity).label("returned"),
                        literal(0).label("sold")).join(Product, Product.id == Unit.product_id
                                                       ).group_by(Product.category)
    category = func.coalesce(Product.category, UNCATALOGUED)
    sales = (select(category.label("key"), literal(0).label("returned"),
                    func.sum(SalesDay.units).label("sold"))
             .select_from(SalesDay).outerjoin(Product, Product.sku == SalesDay.sku)
             .where(_sold_in(period)).group_by(category))
    return _rate_rows(conn, returns, sales, min_sold)


def _mix(rows: list[tuple[Any, Any]], labels: dict[str, str] | None = None) -> list[MixRow]:
    total = sum(int(n or 0) for _, n in rows)
    out = [MixRow(str(k), (labels or {}).get(str(k), str(k)), int(n or 0), (int(n or 0) / total) if total else 0.0)
           for k, n in rows]
    return sorted(out, key=lambda m: (-m.units, m.key))


def reason_mix(conn: Connection, period: Period, *, reasons: ReasonCodes | None = None,
               locale: str = "en") -> list[MixRow]:
    """Returned units per RMA reason code, largest first."""
    reasons = reasons or load_reasons()
    rows = conn.execute(
        _units_in(period, Rma.reason_code, func.sum(Unit.quantity))
        .join(Rma, Rma.id == Receipt.rma_id).group_by(Rma.reason_code)
    ).all()
    return _mix([tuple(r) for r in rows], {r[0]: reasons.get(r[0]).text(locale) for r in rows})


def grade_mix(conn: Connection, period: Period) -> list[MixRow]:
    """Graded returned units per grade (ungraded units are left out), in grade order."""
    rows = conn.execute(
        _units_in(period, Unit.grade, func.sum(Unit.quantity)).where(Unit.grade.is_not(None))
        .group_by(Unit.grade)
    ).all()
    mix = _mix([(g.value if isinstance(g, Grade) else g, n) for g, n in rows])
    return sorted(mix, key=lambda m: m.key)


def disposition_mix(conn: Connection, period: Period) -> list[MixRow]:
    """Dispositioned returned units per destination, largest first."""
    rows = conn.execute(
        _units_in(period, Unit.disposition, func.sum(Unit.quantity)).where(Unit.disposition.is_not(None))
        .group_by(Unit.disposition)
    ).all()
    return _mix([(getattr(k, "value", k), n) for k, n in rows])


def supplier_defects(conn: Connection, period: Period, *, min_graded: int = 0) -> list[SupplierRow]:
    """Per supplier: graded returned units and how many were grade D (defective)."""
    graded = func.sum(Unit.quantity)
    defective = func.sum(case((Unit.grade == Grade.D, Unit.quantity), else_=0))
    rate = cast(defective, Float) / graded
    rows = conn.execute(
        _units_in(period, Product.supplier, graded, defective)
        .join(Product, Product.id == Unit.product_id).where(Unit.grade.is_not(None))
        .group_by(Product.supplier).having(graded >= max(min_graded, 1))
        .order_by(rate.desc(), Product.supplier)
    ).all()
    return [SupplierRow(s or "(no supplier)", int(g), int(d), ratio(int(d), int(g))) for s, g, d in rows]
