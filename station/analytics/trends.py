"""Trends by week (Monday to Sunday, UTC): returns, sales and rate; reason shares per week.

Weeks are cut by the database (``week_start`` compiles to ``date_trunc`` on PostgreSQL and
to ``date(..., 'weekday 0', '-6 days')`` on SQLite). The first and last week of a period
that does not start on a Monday or end on a Sunday are partial: they count only the days
inside the period.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import Float, case, cast, func, literal, select, union_all
from sqlalchemy.engine import Connection

from station.analytics.period import Period
from station.analytics.rows import WeekReasonRow, WeekRow
from station.analytics.sql import week_of_day, week_start
from station.models import Receipt, Rma, SalesDay, Unit

log = logging.getLogger(__name__)


def as_date(value: Any) -> dt.date:
    """SQLite hands back the week as text, PostgreSQL as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _received(period: Period) -> Any:
    return (Receipt.received_at >= period.lower) & (Receipt.received_at < period.upper)


def weekly(conn: Connection, period: Period) -> list[WeekRow]:
    """Returned units, units sold and the return rate for each week of the period."""
    week = week_start(Receipt.received_at)
    returns = (select(week.label("week"), func.sum(Unit.quantity).label("returned"), literal(0).label("sold"))
               .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
               .where(_received(period)).group_by(week))
    sale_week = week_of_day(SalesDay.sold_on)
    sales = (select(sale_week.label("week"), literal(0).label("returned"), func.sum(SalesDay.units).label("sold"))
             .where(SalesDay.sold_on.between(period.start, period.end)).group_by(sale_week))
    return weekly_rows(conn, returns, sales)


def weekly_rows(conn: Connection, returns: Any, sales: Any) -> list[WeekRow]:
    """Merge per-week returns and per-week sales (two selects with columns week, returned,
    sold) into one row per week with its return rate; shared by raw and summary figures."""
    both = union_all(returns, sales).subquery("both")
    returned, sold = func.sum(both.c.returned), func.sum(both.c.sold)
    rows = conn.execute(
        select(both.c.week, returned, sold, case((sold > 0, cast(returned, Float) / sold)))
        .group_by(both.c.week).order_by(both.c.week)
    ).all()
    return [WeekRow(as_date(w), int(r or 0), int(s or 0), float(x) if x is not None else None)
            for w, r, s, x in rows]


def weekly_reasons(conn: Connection, period: Period) -> list[WeekReasonRow]:
    """Each reason's returned units per week and its share of that week's returns."""
    week = week_start(Receipt.received_at)
    units = func.sum(Unit.quantity)
    share = cast(units, Float) / func.sum(units).over(partition_by=week)
    rows = conn.execute(
        select(week.label("week"), Rma.reason_code, units, share)
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id).join(Rma, Rma.id == Receipt.rma_id)
        .where(_received(period)).group_by(week, Rma.reason_code)
        .order_by(week, Rma.reason_code)
    ).all()
    return [WeekReasonRow(as_date(w), str(r), int(n), float(s)) for w, r, n, s in rows]
