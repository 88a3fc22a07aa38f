"""Returns by production lot: which lot of a SKU comes back, why, and in what state.

A bad production run shows as one lot of a SKU returning far more than its siblings. A lot is
sold over weeks or months, so its rate is the units of that lot returned in the period over
**all** its units sold up to the period's end (``sales`` rows with that lot, issue 26); a SKU
whose sales file names no lots has no per-lot denominator, and the rows say so (``rate`` is
None, ``has_sales`` False) and show counts only. Units without a lot (a code without AI 10,
nothing typed) are left out: they belong to no lot.

Two statements on SQLite or PostgreSQL: the period's lot units read once into a materialised
CTE with three ``GROUP BY``s over it (returns, reasons, grades per lot), and sales per lot;
Python only merges the few rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, literal, select, union_all
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


def _returned_by(conn: Connection, period: Period, skus: tuple[str, ...] | None) -> dict[str, dict]:
    """Returned units per lot, per lot and reason, per lot and grade, reading the period's lot
    units once: a materialised CTE (units of parcels received in the period that carry a lot)
    and three GROUP BYs over it in one statement (as the vendor scorecard does)."""
    base = (select(Product.sku.label("sku"), Unit.lot.label("lot"), Rma.reason_code.label("reason"),
                   Unit.grade.label("grade"), Unit.quantity.label("qty"))
            .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id).join(Product, Product.id == Unit.product_id)
            .outerjoin(Rma, Rma.id == Receipt.rma_id)
            .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper, Unit.lot != ""))
    if skus is not None:
        base = base.where(Product.sku.in_(skus))
    lot_units = base.cte("lot_units").prefix_with("MATERIALIZED")
    c, total = lot_units.c, func.sum(lot_units.c.qty)
    query = union_all(
        select(literal("lot"), c.sku, c.lot, literal(""), total).group_by(c.sku, c.lot),
        select(literal("reason"), c.sku, c.lot, c.reason, total).where(c.reason.is_not(None))
        .group_by(c.sku, c.lot, c.reason),
        select(literal("grade"), c.sku, c.lot, cast(c.grade, String), total).where(c.grade.is_not(None))
        .group_by(c.sku, c.lot, c.grade))
    out: dict[str, dict] = {"lot": {}, "reason": {}, "grade": {}}
    row: Any
    for row in conn.execute(query):
        kind, sku, lot, key, units = str(row[0]), str(row[1]), str(row[2]), row[3], int(row[4] or 0)
        if kind == "lot":
            out["lot"][(sku, lot)] = units
        else:
            out[kind].setdefault((sku, lot), []).append((str(getattr(key, "value", key)), units))
    return out


def _sold(conn: Connection, period: Period, skus: tuple[str, ...] | None) -> dict[tuple[str, str], int]:
    """Units sold per lot up to the period's end (sales rows that name a lot)."""
    q = (select(SalesDay.sku, SalesDay.lot, func.sum(SalesDay.units))
         .where(SalesDay.lot != "", SalesDay.sold_on <= period.end))
    if skus is not None:
        q = q.where(SalesDay.sku.in_(skus))
    row: Any
    return {(str(row[0]), str(row[1])): int(row[2] or 0) for row in conn.execute(q.group_by(SalesDay.sku, SalesDay.lot))}


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
    returned = _returned_by(conn, period, only)
    sold = _sold(conn, period, only)
    skus_with_lot_sales = {s for s, _lot in sold}
    keys = [k for k in set(returned["lot"]) | (set(sold) if min_returned <= 0 else set())
            if returned["lot"].get(k, 0) >= min_returned]
    reasons = reasons or load_reasons()
    suppliers = _suppliers(conn, sorted({s for s, _lot in keys}))
    rows = []
    for s, lot in keys:
        r, n = returned["lot"].get((s, lot), 0), sold.get((s, lot), 0)
        counted = s in skus_with_lot_sales
        mix = sorted(returned["reason"].get((s, lot), []), key=lambda x: (-x[1], x[0]))
        rows.append(LotRow(
            sku=s, lot=lot, returned=r, sold=n if counted else None, rate=ratio(r, n) if counted else None,
            reasons=tuple((k, reasons.get(k).text(locale), u) for k, u in mix),
            grades=tuple(sorted(returned["grade"].get((s, lot), []))),
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
