"""Drill-down: the units behind one slice of a chart or one row of a table.

A dashboard slice is named by a dimension and a key (``("sku", "TS-001")``,
``("grade", "D")``, ``("week", "2026-11-16")``); this returns the returned units in the
period that make up that slice, with what a supervisor needs to go and look at them.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import UnitRow
from station.core.errors import InvalidInput
from station.models import Product, Receipt, Rma, Unit

log = logging.getLogger(__name__)

DIMENSIONS: dict[str, Any] = {
    "sku": Product.sku,
    "category": Product.category,
    "supplier": Product.supplier,
    "reason": Rma.reason_code,
    "grade": Unit.grade,
    "disposition": Unit.disposition,
    "week": None,
}
MAX_ROWS = 5000


def units_behind(conn: Connection, period: Period, dimension: str, key: str,
                 *, limit: int = 500) -> list[UnitRow]:
    """Returned units in ``period`` whose ``dimension`` equals ``key``, newest first."""
    if dimension not in DIMENSIONS:
        raise InvalidInput(f"Cannot drill into {dimension!r}; use one of {', '.join(DIMENSIONS)}.")
    if not 1 <= limit <= MAX_ROWS:
        raise InvalidInput(f"Show 1 to {MAX_ROWS} units, not {limit}.")
    query = (
        select(Unit.lpn, Rma.number, Product.sku, Product.category, Rma.reason_code, Unit.grade,
               Unit.disposition, Unit.state, Receipt.received_at)
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .outerjoin(Rma, Rma.id == Receipt.rma_id).outerjoin(Product, Product.id == Unit.product_id)
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper)
        .order_by(Receipt.received_at.desc(), Unit.lpn).limit(limit)
    )
    if dimension == "week":
        try:
            monday = dt.date.fromisoformat(key)
        except ValueError:
            raise InvalidInput(f"{key!r} is not a week (give its Monday as YYYY-MM-DD).") from None
        start = dt.datetime.combine(monday, dt.time(), dt.UTC)
        query = query.where(Receipt.received_at >= start,
                            Receipt.received_at < start + dt.timedelta(days=7))
    else:
        query = query.where(DIMENSIONS[dimension] == key)
    return [
        UnitRow(lpn, number or "", sku or "", category or "", reason or "",
                getattr(grade, "value", grade) or "", getattr(disp, "value", disp) or "",
                getattr(state, "value", state), received)
        for lpn, number, sku, category, reason, grade, disp, state, received in conn.execute(query)
    ]
