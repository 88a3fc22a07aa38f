"""Returns by production lot: which lot of a SKU comes back, why, and in what state.

A bad production run shows as one lot of a SKU returning far more than its siblings. A lot is
sold over weeks or months, so its rate is the units of that lot returned in the period over
**all** its units sold up to the period's end (``sales`` rows with that lot, issue 26); a SKU
whose sales file names no lots has no per-lot denominator, and the rows say so (``rate`` is
None, ``has_sales`` False) and show counts only. Units without a lot (a code without AI 10,
nothing typed) are left out: they belong to no lot.

Three small aggregates (returns and sales per lot, reasons per lot, grades per lot), each one
SQL ``GROUP BY`` on SQLite or PostgreSQL; Python only merges the few rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import ratio
from station.catalog.reasons import ReasonCodes, load_reasons
from station.models import Photo, Product, Receipt, Rma, SalesDay, Unit

log = logging.getLogger(__name__)

NO_SALES_EN = "No sales per lot for this SKU: counts only (import sales with a lot column for rates)."
NO_SALES_ZH = "此 SKU 没有按批号的销量：仅显示数量（导入带批号列的销量后可显示退货率）。"


@dataclass(frozen=True)
class LotRow:
    """One lot of one SKU: returned units in the period and, when sales name the lot, the rate."""

    sku: str
    lot: str
    returned: int
    sold: int | None
    """Units of the lot sold up to the period's end; None when the SKU's sales name no lots."""
    rate: float | None
    reasons: tuple[tuple[str, str, int], ...] = ()
    """(reason code, words, units), most units first."""
    grades: tuple[tuple[str, int], ...] = ()
    """(grade, units) of the lot's graded units, A to D."""
    supplier: str = ""

    @property
    def has_sales(self) -> bool:
        return self.sold is not None

    @property
    def top_reason(self) -> str:
        return self.reasons[0][1] if self.reasons else ""


@dataclass(frozen=True)
class LotReport:
    """The lots of one SKU (or of every SKU), worst first, with the note the views show."""

    period: Period
    sku: str
    rows: tuple[LotRow, ...] = field(default_factory=tuple)

    @property
    def counts_only(self) -> bool:
        """True when no row has a denominator: the views show counts and say why."""
        return not any(r.has_sales for r in self.rows)

    def note(self, locale: str = "en") -> str:
        if not self.counts_only or not self.rows:
            return ""
        return NO_SALES_ZH if locale.lower().startswith("zh") else NO_SALES_EN


def _returned(period: Period, skus: tuple[str, ...] | None) -> Any:
    q = (select(Product.sku.label("sku"), Unit.lot.label("lot"), func.sum(Unit.quantity).label("returned"),
                literal(0).label("sold"), literal(0).label("sales_rows"))
         .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id).join(Product, Product.id == Unit.product_id)
         .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper, Unit.lot != ""))
    if skus is not None:
        q = q.where(Product.sku.in_(skus))
    return q.group_by(Product.sku, Unit.lot)


def _sold(period: Period, skus: tuple[str, ...] | None) -> Any:
    q = (select(SalesDay.sku.label("sku"), SalesDay.lot.label("lot"), literal(0).label("returned"),
                func.sum(SalesDay.units).label("sold"), func.count().label("sales_rows"))
         .where(SalesDay.lot != "", SalesDay.sold_on <= period.end))
    if skus is not None:
        q = q.where(SalesDay.sku.in_(skus))
    return q.group_by(SalesDay.sku, SalesDay.lot)


def _detail(conn: Connection, period: Period, skus: tuple[str, ...] | None, column: Any) -> dict[tuple[str, str], list]:
    q = (select(Product.sku, Unit.lot, column, func.sum(Unit.quantity))
         .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id).join(Product, Product.id == Unit.product_id)
         .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper, Unit.lot != ""))
    if column is Rma.reason_code:
        q = q.join(Rma, Rma.id == Receipt.rma_id)
    else:
        q = q.where(Unit.grade.is_not(None))
    if skus is not None:
        q = q.where(Product.sku.in_(skus))
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    row: Any
    for row in conn.execute(q.group_by(Product.sku, Unit.lot, column)):
        s, lot, key, units = row
        out.setdefault((str(s), str(lot)), []).append((str(getattr(key, "value", key)), int(units or 0)))
    return out


def _suppliers(conn: Connection, skus: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for start in range(0, len(skus), 500):
        chunk = skus[start:start + 500]
        out.update((str(k), str(v or "")) for k, v in conn.execute(
            select(Product.sku, Product.supplier).where(Product.sku.in_(chunk))))
    return out


def lot_rows(conn: Connection, period: Period, *, sku: str | None = None, skus: Collection[str] | None = None,
             min_returned: int = 1, reasons: ReasonCodes | None = None, locale: str = "en", limit: int | None = None) -> list[LotRow]:
    """Every lot with at least ``min_returned`` units returned in ``period`` (0: lots sold
    without returns too, rate 0), worst first: highest rate, then most returned. SKUs whose
    sales name no lot give counts only. ``sku`` / ``skus``: only those SKUs' lots."""
    only = (sku,) if sku else tuple(sorted(skus)) if skus is not None else None
    both = union_all(_returned(period, only), _sold(period, only)).subquery("both")
    returned, sold, sales_rows = func.sum(both.c.returned), func.sum(both.c.sold), func.sum(both.c.sales_rows)
    query = (select(both.c.sku, both.c.lot, returned, sold, sales_rows).group_by(both.c.sku, both.c.lot)
             .having(returned >= min_returned))
    raw: Any = conn.execute(query).all()
    found: list[tuple[str, str, int, int, int]] = [
        (str(s), str(lot), int(r or 0), int(n or 0), int(k or 0)) for s, lot, r, n, k in raw]
    skus_with_lot_sales = {s for s, _lot, _r, _n, rows in found if rows}
    reasons = reasons or load_reasons()
    why = _detail(conn, period, only, Rma.reason_code)
    grades = _detail(conn, period, only, Unit.grade)
    suppliers = _suppliers(conn, sorted({s for s, *_ in found}))
    rows = []
    for s, lot, r, n, _rows in found:
        counted = s in skus_with_lot_sales
        mix = sorted(why.get((s, lot), []), key=lambda x: (-x[1], str(x[0])))
        rows.append(LotRow(
            sku=s, lot=lot, returned=r, sold=n if counted else None, rate=ratio(r, n) if counted else None,
            reasons=tuple((k, reasons.get(k).text(locale), u) for k, u in mix),
            grades=tuple(sorted(grades.get((s, lot), []))),
            supplier=suppliers.get(s) or ""))
    rows.sort(key=lambda x: (x.rate is None, -(x.rate or 0.0), -x.returned, x.sku, x.lot))
    return rows[:limit] if limit is not None else rows


def lots_of_sku(conn: Connection, period: Period, sku: str, *, locale: str = "en") -> LotReport:
    """The lots of one SKU, worst first: what `analytics lots --sku` and the dashboard show."""
    sku = sku.strip().upper()
    return LotReport(period, sku, tuple(lot_rows(conn, period, sku=sku, min_returned=0, locale=locale)))



@dataclass(frozen=True)
class LotUnits:
    """The units of one lot returned in a period (their LPNs, newest first) and their photos."""

    lpns: tuple[str, ...]
    photos: tuple[str, ...]
    """SHA-256 of the photos taken of those units at QC (the photo store's names)."""


def lot_units(conn: Connection, period: Period, sku: str, lot: str, *, limit: int = 20) -> LotUnits:
    """What an alert on a lot links to: its returned units and their photos, at most ``limit`` each."""
    units = conn.execute(
        select(Unit.id, Unit.lpn).select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .join(Product, Product.id == Unit.product_id)
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper, Product.sku == sku,
               Unit.lot == lot).order_by(Receipt.received_at.desc(), Unit.lpn).limit(limit)).all()
    photos = conn.scalars(select(Photo.sha256).where(Photo.unit_id.in_([u.id for u in units] or [None]))
                          .order_by(Photo.taken_at).limit(limit)).all() if units else []
    return LotUnits(tuple(u.lpn for u in units), tuple(photos))
