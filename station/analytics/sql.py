"""SQL pieces that differ between SQLite and PostgreSQL, compiled per dialect.

Analytics must aggregate in the database on both backends. The two disagree on date
arithmetic and on week truncation, so those are small SQL constructs with one compilation per
dialect (SQLAlchemy's ``@compiles``), and everything else is plain portable Core.
Percentiles use window functions (running sums ``OVER``), which both dialects have, rather
than PostgreSQL's ``percentile_cont``, which SQLite lacks.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import BigInteger, Date, Float, cast, func, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from station.models.base import Money

log = logging.getLogger(__name__)


class hours_between(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """``b - a`` in hours (float); NULL if either is NULL."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between)
def _hours_pg(element: hours_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({b} - {a})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({b}) - julianday({a})) * 24.0)"


class week_start(FunctionElement[Any]):  # noqa: N801
    """The Monday (a date, UTC) of the ISO week a timestamp or date falls in."""

    type = Date()
    inherit_cache = True
    name = "week_start"


@compiles(week_start)
def _week_pg(element: week_start, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    # timestamptz is moved to UTC first so the week does not depend on the session's zone.
    return f"CAST(date_trunc('week', CAST({arg} AS TIMESTAMPTZ) AT TIME ZONE 'UTC') AS DATE)"


@compiles(week_start, "sqlite")
def _week_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    # 'weekday 0' moves forward to Sunday (or stays on one); six days back is that week's Monday.
    return f"date({arg}, 'weekday 0', '-6 days')"


class week_of_day(FunctionElement[Any]):  # noqa: N801
    """The Monday of the week a calendar date (no time, no zone) falls in."""

    type = Date()
    inherit_cache = True
    name = "week_of_day"


@compiles(week_of_day)
def _week_day_pg(element: week_of_day, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    return f"CAST(date_trunc('week', CAST({arg} AS TIMESTAMP)) AS DATE)"


@compiles(week_of_day, "sqlite")
def _week_day_sqlite(element: week_of_day, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    return f"date({arg}, 'weekday 0', '-6 days')"


def tune(conn: Connection) -> None:
    """Per-transaction settings for analytic reads.

    PostgreSQL's JIT compiles a plan whose estimated cost is high, and the correlated look-ups
    in these aggregates are estimated high while running in milliseconds: JIT alone cost half a
    second per query in the benchmark. ``SET LOCAL`` ends with the transaction.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")


class utc_day(FunctionElement[Any]):  # noqa: N801
    """The UTC calendar date of a timestamp."""

    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _utc_day_pg(element: utc_day, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    return f"CAST(CAST({arg} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    (arg,) = (compiler.process(a, **kw) for a in element.clauses)
    return f"date({arg})"


def share(amount: Any, part: Any, whole: Any) -> Any:
    """``amount * part / whole`` for a money ``amount``, rounded half-up to the cent, in SQL.

    Money columns hold whole hundredths (``station.core.money``), so this is integer
    arithmetic on both engines: ``(2·a·p + w) / (2·w)`` truncated is ``a·p/w`` rounded half up
    for the non-negative amounts analytics shares (shipping, refunds, credits). ``part`` and
    ``whole`` are counts or money; a zero ``whole`` gives 0. The same expression feeds the raw
    figures and the daily summaries, so both agree to the cent.
    """
    # CAST, not a type hint: PostgreSQL's SUM of a bigint is a numeric, whose division does
    # not truncate.
    a = cast(type_coerce(func.coalesce(amount, 0), BigInteger), BigInteger)
    p, w = cast(type_coerce(part, BigInteger), BigInteger), cast(type_coerce(whole, BigInteger), BigInteger)
    numerator, denominator = (2 * a * p + w).self_group(), func.nullif(2 * w, 0)
    rounded = numerator.op("/", return_type=BigInteger)(denominator)  # integers: truncates on both
    return type_coerce(func.coalesce(rounded, 0), Money)
