"""Processing cycle time: received -> inspected -> resolved -> closed, p50 and p90 in hours.

For each unit received in the period: ``received`` is its parcel's ``received_at``,
``inspected`` the first finished inspection of the unit (``min(finished_at)``), ``resolved``
the first resolution issued for its RMA (``min(issued_at)``), ``closed`` when its RMA closed
(``ResolutionQueueEntry.closed_at``, the time the ``rma.closed`` event carries). A stage
counts only the units that reached its later step. Percentiles are nearest-rank, computed in SQL with one
``ROW_NUMBER()`` window per stage (both dialects have window functions; SQLite has no
``percentile_cont``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case, func, literal, literal_column, select, union_all
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import CycleTime
from station.analytics.sql import hours_between, tune
from station.models import Inspection, Receipt, Resolution, ResolutionQueueEntry, Unit

log = logging.getLogger(__name__)

STAGES = (
    ("received_to_inspected", "Received -> inspected"),
    ("inspected_to_resolved", "Inspected -> resolved"),
    ("received_to_resolved", "Received -> resolved"),
    ("received_to_closed", "Received -> closed"),
)


def steps(period: Period) -> Any:
    """One row per unit received in the period: when it was received, first inspected and its
    RMA first resolved. The first inspection and resolution come from grouped joins (hash
    joins on PostgreSQL) rather than a correlated look-up per unit; the CTE is materialised so
    the three durations read it once."""
    inspected = (select(Inspection.unit_id, func.min(Inspection.finished_at).label("at"))
                 .where(Inspection.finished_at.is_not(None)).group_by(Inspection.unit_id).subquery("first_insp"))
    resolved = (select(Resolution.rma_id, func.min(Resolution.issued_at).label("at"))
                .group_by(Resolution.rma_id).subquery("first_res"))
    closed = ResolutionQueueEntry.__table__
    return (
        select(Receipt.received_at.label("received"), inspected.c.at.label("inspected"),
               resolved.c.at.label("resolved"), closed.c.closed_at.label("closed"))
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .outerjoin(inspected, inspected.c.unit_id == Unit.id)
        .outerjoin(resolved, resolved.c.rma_id == Receipt.rma_id)
        .outerjoin(closed, closed.c.rma_id == Receipt.rma_id)
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper)
        .cte("steps").prefix_with("MATERIALIZED")
    )


def cycle_times(conn: Connection, period: Period, percents: tuple[int, int] = (50, 90)) -> list[CycleTime]:
    """All four stages in one statement.

    Durations are bucketed to the minute and counted per bucket (a GROUP BY on a small key,
    carrying the exact sum of hours); the nearest-rank pick is a running-sum window over the
    buckets, not a sort of every unit. Percentiles are exact to the minute, the mean is exact.
    """
    tune(conn)
    s = steps(period)
    spans = {
        "received_to_inspected": hours_between(s.c.received, s.c.inspected),
        "inspected_to_resolved": hours_between(s.c.inspected, s.c.resolved),
        "received_to_resolved": hours_between(s.c.received, s.c.resolved),
        "received_to_closed": hours_between(s.c.received, s.c.closed),
    }
    buckets = union_all(*(
        select(literal(name).label("stage"), func.round(h * 60).label("m"), func.count().label("k"),
               func.sum(h).label("h"))
        .where(h.is_not(None)).group_by(literal_column("m"))
        for name, h in spans.items()
    )).subquery("buckets")
    rows = percentiles_from_buckets(conn, buckets, percents)
    found = {stage: (n, h, picks) for stage, n, h, *picks in rows}
    out = []
    for name, _ in STAGES:
        n, h, picks = found.get(name, (0, None, [None] * len(percents)))
        mean = float(h) / int(n) if n else None
        p50, p90 = (None if v is None else float(v) / 60 for v in picks)
        out.append(CycleTime(name, int(n or 0), _f(mean), _f(p50), _f(p90)))
    return out


def percentiles_from_buckets(conn: Connection, buckets: Any, percents: tuple[int, ...]) -> list[Any]:
    """Per stage: units, summed hours and the nearest-rank percentiles (in minutes) of
    ``buckets`` (columns stage, m = minute, k = units, h = hours), by a running sum in SQL.
    Shared by the raw reference figures and the summary-backed ones, so both pick alike."""
    running = select(
        buckets.c.stage, buckets.c.m, buckets.c.k, buckets.c.h,
        func.sum(buckets.c.k).over(partition_by=buckets.c.stage, order_by=buckets.c.m).label("cum"),
        func.sum(buckets.c.k).over(partition_by=buckets.c.stage).label("total"),
    ).subquery("running")
    return list(conn.execute(
        select(running.c.stage, func.sum(running.c.k), func.sum(running.c.h),
               *(func.min(case((running.c.cum * 100 >= running.c.total * p, running.c.m))) for p in percents))
        .group_by(running.c.stage)
    ).all())


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)
