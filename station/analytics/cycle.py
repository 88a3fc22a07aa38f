"""Processing cycle time: received -> inspected -> resolved, p50 and p90 in hours.

For each unit received in the period: ``received`` is its parcel's ``received_at``,
``inspected`` the first finished inspection of the unit (``min(finished_at)``), ``resolved``
the first resolution issued for its RMA (``min(issued_at)``). A stage counts only the units
that reached its later step. Percentiles are nearest-rank, computed in SQL with one
``ROW_NUMBER()`` window per stage (both dialects have window functions; SQLite has no
``percentile_cont``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import CycleTime
from station.analytics.sql import hours_between
from station.models import Inspection, Receipt, Resolution, Unit

log = logging.getLogger(__name__)

STAGES = (
    ("received_to_inspected", "Received -> inspected"),
    ("inspected_to_resolved", "Inspected -> resolved"),
    ("received_to_resolved", "Received -> resolved"),
)


def durations(period: Period) -> Any:
    """One row per unit received in the period with its three stage durations in hours."""
    inspected = (
        select(func.min(Inspection.finished_at))
        .where(Inspection.unit_id == Unit.id, Inspection.finished_at.is_not(None))
        .scalar_subquery()
    )
    resolved = (
        select(func.min(Resolution.issued_at)).where(Resolution.rma_id == Receipt.rma_id)
        .scalar_subquery()
    )
    inner = (
        select(Receipt.received_at.label("received"), inspected.label("inspected"),
               resolved.label("resolved"))
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper)
        .subquery("steps")
    )
    return select(
        hours_between(inner.c.received, inner.c.inspected).label("received_to_inspected"),
        hours_between(inner.c.inspected, inner.c.resolved).label("inspected_to_resolved"),
        hours_between(inner.c.received, inner.c.resolved).label("received_to_resolved"),
    ).subquery("durations")


def cycle_times(conn: Connection, period: Period, percents: tuple[int, int] = (50, 90)) -> list[CycleTime]:
    """The three stages in one pass: each column gets its own ranking window."""
    d = durations(period)
    cols = []
    for name, _ in STAGES:
        value = d.c[name]
        missing = value.is_(None)
        cols += [
            value.label(name),
            func.row_number().over(partition_by=missing, order_by=value).label(f"{name}_rn"),
            func.count(value).over().label(f"{name}_n"),
        ]
    ranked = select(*cols).subquery("ranked")
    picks: list[Any] = []
    for name, _ in STAGES:
        v, rn, n = ranked.c[name], ranked.c[f"{name}_rn"], ranked.c[f"{name}_n"]
        picks += [func.count(v), func.avg(v)]
        picks += [func.min(case((v.is_not(None) & (rn * 100 >= n * p), v))) for p in percents]
    row = conn.execute(select(*picks)).one()
    out = []
    width = 2 + len(percents)
    for i, (name, _) in enumerate(STAGES):
        n, mean, p50, p90 = row[i * width: (i + 1) * width]
        out.append(CycleTime(name, int(n or 0), _f(mean), _f(p50), _f(p90)))
    return out


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)
