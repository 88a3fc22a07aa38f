"""The analytics summaries: per-day aggregates, rebuilt day by day from the rows that changed.

Four tables, all keyed by a UTC day (``station.models.analytics``):

* ``analytics_daily_products``: per day and product, returned / graded / grade-D / written-off
  units (Σ ``Unit.quantity``) -> return rates, per SKU, category and supplier, weekly returns,
  handling and write-off;
* ``analytics_daily_mix``: per day, RMA reason, grade and disposition, returned units ->
  the reason, grade and disposition mixes and the weekly reason shares;
* ``analytics_daily_cycle``: per day, stage and duration in whole minutes (rounded exactly as
  the raw query rounds), the number of units and the exact sum of their hours -> nearest-rank
  p50/p90 exact to the minute and the exact mean, over any set of days;
* ``analytics_daily_costs``: per day on which RMAs' *first* parcel arrived, the number of
  those RMAs, their return shipping and their refunds + compensations;
* ``analytics_daily_net_units`` / ``analytics_daily_net_shares``: the net cost's unit side
  (refurbishment, units to price for resale per grade, donated, recycled, written off) and
  its RMA side (shipping and refunds shared among lines) - see ``net_summary``.

The day of a unit is the UTC day its parcel was received; the figures for a period read the
days of the period, so they are the raw definitions (docs/supervisor.md) exactly.

Refresh. ``refresh(conn, now)`` finds the days touched by rows whose ``updated_at`` is after
the last watermark (less ``OVERLAP``, for transactions that were still open at the previous
refresh): a changed receipt dirties its day and the days of its RMA's other parcels (its RMA's
first-parcel day may move); a changed unit or inspection dirties its parcel's day (a late
inspection of an old unit moves that old day's cycle times); a changed resolution or RMA
dirties the days of the RMA's parcels. Days named with ``mark_dirty`` are added. The dirty days,
merged into runs of consecutive days, are deleted and recomputed from the raw tables in the
caller's transaction; the watermark becomes ``now``. Recomputing a day is idempotent, so a
refresh that sees a row twice does no harm. Without a watermark (new or truncated tables) or
with ``full=True`` everything is rebuilt.

Not seen by the watermark: rows deleted from the raw tables, and rows written with an
``updated_at`` older than the watermark (a sync pull keeps central's timestamps). Whoever
writes such rows calls ``mark_dirty`` with their days, or runs a full refresh
(``rma-station analytics refresh --full``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection, and_, case, delete, func, insert, literal_column, select, true, union, union_all, update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.analytics.costs import PAID, WRITE_OFF
from station.analytics.net_summary import rebuild_net
from station.analytics.sql import hours_between, tune, utc_day
from station.analytics.trends import as_date
from station.models import (
    DailyCost, DailyCycle, DailyMix, DailyNetShares, DailyNetUnits, DailyProduct, DirtyDay, Grade, Inspection, Receipt, Resolution,
    ResolutionQueueEntry, Rma, RtvBatch, RtvItem, SummaryState, Unit, utcnow,
)

log = logging.getLogger(__name__)

OVERLAP = dt.timedelta(minutes=2)
"""Rows updated this long before the last watermark are looked at again (a writer's
transaction that was open during the previous refresh commits rows stamped before it)."""
STATE = "summaries"
SUMMARY_TABLES: tuple[Any, ...] = (DailyProduct.__table__, DailyMix.__table__, DailyCycle.__table__, DailyCost.__table__,
                                   DailyNetUnits.__table__, DailyNetShares.__table__)
STAGE_INDEX = {"received_to_inspected": 0, "inspected_to_resolved": 1, "received_to_resolved": 2,
               "received_to_closed": 3}

_R: Any
_U: Any
_I: Any
_S: Any
_M: Any
_R, _U, _I, _S, _M = (Receipt.__table__, Unit.__table__, Inspection.__table__, Resolution.__table__,
                      Rma.__table__)
_RI: Any = RtvItem.__table__
_RB: Any = RtvBatch.__table__
_Q: Any = ResolutionQueueEntry.__table__
_STATE: Any = SummaryState.__table__
_PRODUCTS: Any = DailyProduct.__table__
_MIX: Any = DailyMix.__table__
_CYCLE: Any = DailyCycle.__table__
_COSTS: Any = DailyCost.__table__


@dataclass(frozen=True)
class RefreshReport:
    full: bool
    days: int            # days recomputed
    runs: int            # runs of consecutive days (one set of statements each)
    seconds: float
    watermark: dt.datetime


def connection_of(target: Connection | Session) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def refresh(target: Connection | Session, now: dt.datetime | None = None, *, full: bool = False) -> RefreshReport:
    """Bring the summaries up to date with the raw tables, in the caller's transaction."""
    started = time.perf_counter()
    conn = connection_of(target)
    now = now or utcnow()
    tune(conn)
    watermark = _lock_state(conn)
    if full or watermark is None:
        for table in SUMMARY_TABLES:
            conn.execute(delete(table))
        _rebuild(conn, None, None)
        days = conn.scalar(select(func.count(func.distinct(DailyProduct.day)))) or 0
        runs = 1
        full = True
    else:
        dirty = dirty_days(conn, watermark - OVERLAP)
        spans = runs_of(dirty)
        for lo, hi in spans:
            _rebuild(conn, lo, hi)
        days, runs = len(dirty), len(spans)
    conn.execute(delete(DirtyDay))
    values: dict[str, Any] = {"watermark": now}
    if full:
        values["built_at"] = now
    conn.execute(update(_STATE).where(_STATE.c.name == STATE).values(**values))
    report = RefreshReport(full, days, runs, time.perf_counter() - started, now)
    log.info("analytics summaries refreshed: %s", report)
    return report


def mark_dirty(target: Connection | Session, days: Iterable[dt.date]) -> None:
    """Have the next refresh recompute these days whatever their rows' ``updated_at``."""
    conn = connection_of(target)
    wanted = sorted(set(days))
    if not wanted:
        return
    conn.execute(delete(DirtyDay).where(DirtyDay.day.in_(wanted)))
    conn.execute(insert(DirtyDay), [{"day": d} for d in wanted])


def _lock_state(conn: Connection) -> dt.datetime | None:
    """The watermark (None: never built), with the state row locked on PostgreSQL so two
    refreshes run one after the other instead of both inserting the same days."""
    query = select(_STATE.c.watermark, _STATE.c.built_at).where(_STATE.c.name == STATE).with_for_update()
    row = conn.execute(query).first()
    if row is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(_STATE).values(name=STATE, watermark=None, built_at=None))
        except IntegrityError:  # another refresh created it first
            pass
        row = conn.execute(query).first()
    if row is None or row.built_at is None or row.watermark is None:
        return None
    return row.watermark


def dirty_days(conn: Connection, since: dt.datetime) -> list[dt.date]:
    """UTC days whose summaries depend on a row updated after ``since`` (or marked dirty)."""
    r2 = _R.alias("other")
    day = utc_day(_R.c.received_at)
    parts = [
        select(day).where(_R.c.updated_at > since),
        select(utc_day(r2.c.received_at)).select_from(_R.join(r2, r2.c.rma_id == _R.c.rma_id))
        .where(_R.c.updated_at > since),
        select(day).select_from(_U.join(_R, _R.c.id == _U.c.receipt_id)).where(_U.c.updated_at > since),
        select(day).select_from(_I.join(_U, _U.c.id == _I.c.unit_id).join(_R, _R.c.id == _U.c.receipt_id))
        .where(_I.c.updated_at > since),
        select(day).select_from(_S.join(_R, _R.c.rma_id == _S.c.rma_id)).where(_S.c.updated_at > since),
        select(day).select_from(_M.join(_R, _R.c.rma_id == _M.c.id)).where(_M.c.updated_at > since),
        # a vendor credited (or disputed) a batch: the days its units were received
        select(day).select_from(_RI.join(_RB, _RB.c.id == _RI.c.batch_id).join(_U, _U.c.id == _RI.c.unit_id)
                                .join(_R, _R.c.id == _U.c.receipt_id)).where(_RB.c.updated_at > since),
        select(DirtyDay.__table__.c.day),
    ]
    return sorted({as_date(d) for (d,) in conn.execute(union(*parts)) if d is not None})


def runs_of(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days merged into (first, last) runs of consecutive days."""
    out: list[tuple[dt.date, dt.date]] = []
    for d in sorted(days):
        if out and d - out[-1][1] <= dt.timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _bounds(lo: dt.date, hi: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(lo, dt.time(), dt.UTC),
            dt.datetime.combine(hi + dt.timedelta(days=1), dt.time(), dt.UTC))


def _rebuild(conn: Connection, lo: dt.date | None, hi: dt.date | None) -> None:
    """Recompute the days ``lo``..``hi`` (both included; None, None = everything)."""
    bounds = _bounds(lo, hi) if lo is not None and hi is not None else None

    def within(column: Any) -> Any:
        return true() if bounds is None else and_(column >= bounds[0], column < bounds[1])

    if bounds is not None:
        for table in SUMMARY_TABLES:
            conn.execute(delete(table).where(table.c.day.between(lo, hi)))

    day = utc_day(_R.c.received_at)
    q = _U.c.quantity
    parcels = _U.join(_R, _R.c.id == _U.c.receipt_id)

    # returned units per day and product
    conn.execute(insert(_PRODUCTS).from_select(
        ["day", "product_id", "returned", "graded", "defective", "written_off"],
        select(day, _U.c.product_id, func.sum(q),
               func.sum(case((_U.c.grade.is_not(None), q), else_=0)),
               func.sum(case((_U.c.grade == Grade.D, q), else_=0)),
               func.sum(case((_U.c.disposition.in_(WRITE_OFF), q), else_=0)))
        .select_from(parcels).where(within(_R.c.received_at)).group_by(day, _U.c.product_id)))

    # returned units per day, reason, grade and disposition
    conn.execute(insert(_MIX).from_select(
        ["day", "reason_code", "grade", "disposition", "units"],
        select(day, _M.c.reason_code, _U.c.grade, _U.c.disposition, func.sum(q))
        .select_from(parcels.outerjoin(_M, _M.c.id == _R.c.rma_id)).where(within(_R.c.received_at))
        .group_by(day, _M.c.reason_code, _U.c.grade, _U.c.disposition)))

    _rebuild_cycle(conn, within, bounds is not None)
    _rebuild_costs(conn, within, bounds is not None)
    rebuild_net(conn, within, bounds is not None)


def _rebuild_cycle(conn: Connection, within: Any, ranged: bool) -> None:
    units_in = (select(_U.c.id.label("unit_id"), _R.c.rma_id, _R.c.received_at,
                       utc_day(_R.c.received_at).label("day"))
                .select_from(_U.join(_R, _R.c.id == _U.c.receipt_id)).where(within(_R.c.received_at))
                .cte("units_in"))
    inspected = select(_I.c.unit_id, func.min(_I.c.finished_at).label("at")).where(_I.c.finished_at.is_not(None))
    resolved = select(_S.c.rma_id, func.min(_S.c.issued_at).label("at"))
    if ranged:  # only the units and RMAs of these days (index look-ups, not whole-table groups)
        inspected = inspected.where(_I.c.unit_id.in_(select(units_in.c.unit_id)))
        resolved = resolved.where(_S.c.rma_id.in_(select(units_in.c.rma_id)))
    first_insp = inspected.group_by(_I.c.unit_id).subquery("first_insp")
    first_res = resolved.group_by(_S.c.rma_id).subquery("first_res")
    steps = (
        select(units_in.c.day, units_in.c.received_at.label("received"), first_insp.c.at.label("inspected"),
               first_res.c.at.label("resolved"), _Q.c.closed_at.label("closed"))
        .select_from(units_in.outerjoin(first_insp, first_insp.c.unit_id == units_in.c.unit_id)
                     .outerjoin(first_res, first_res.c.rma_id == units_in.c.rma_id)
                     .outerjoin(_Q, _Q.c.rma_id == units_in.c.rma_id))
        .cte("steps").prefix_with("MATERIALIZED")
    )
    spans = {
        "received_to_inspected": hours_between(steps.c.received, steps.c.inspected),
        "inspected_to_resolved": hours_between(steps.c.inspected, steps.c.resolved),
        "received_to_resolved": hours_between(steps.c.received, steps.c.resolved),
        "received_to_closed": hours_between(steps.c.received, steps.c.closed),
    }
    buckets = union_all(*(
        select(steps.c.day.label("day"), literal_column(str(STAGE_INDEX[name])).label("stage"),
               func.round(h * 60).label("m"), func.count().label("k"), func.sum(h).label("h"))
        .where(h.is_not(None)).group_by(steps.c.day, literal_column("m"))
        for name, h in spans.items()
    )).subquery("buckets")
    conn.execute(insert(_CYCLE).from_select(
        ["day", "stage", "minute", "units", "hours"],
        select(buckets.c.day, buckets.c.stage, buckets.c.m, buckets.c.k, buckets.c.h)))


def _rebuild_costs(conn: Connection, within: Any, ranged: bool) -> None:
    first = func.min(_R.c.received_at)
    firsts = select(_R.c.rma_id, first.label("first")).where(_R.c.rma_id.is_not(None))
    if ranged:  # RMAs with a parcel in these days whose first parcel is in them
        here = _R.alias("here")
        firsts = (firsts.where(_R.c.rma_id.in_(select(here.c.rma_id).where(within(here.c.received_at))))
                  .group_by(_R.c.rma_id).having(within(first)))
    else:
        firsts = firsts.group_by(_R.c.rma_id)
    cohort = firsts.cte("cohort")
    paid = select(_S.c.rma_id, func.sum(_S.c.amount).label("amount")).where(_S.c.kind.in_(PAID))
    if ranged:
        paid = paid.where(_S.c.rma_id.in_(select(cohort.c.rma_id)))
    paid_by = paid.group_by(_S.c.rma_id).subquery("paid")
    fday = utc_day(cohort.c.first)
    conn.execute(insert(_COSTS).from_select(
        ["day", "rmas", "shipping", "refunds"],
        select(fday, func.count(), func.coalesce(func.sum(_M.c.return_shipping_cost), 0),
               func.coalesce(func.sum(paid_by.c.amount), 0))
        .select_from(cohort.join(_M, _M.c.id == cohort.c.rma_id)
                     .outerjoin(paid_by, paid_by.c.rma_id == cohort.c.rma_id))
        .group_by(fday)))
