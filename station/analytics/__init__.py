"""Return analytics: SQL aggregates that run on the station's SQLite and on PostgreSQL.

Public API::

    Period(start, end) / Period.parse("2026-11-01", "2026-11-30") / Period.last_weeks(today, 8)
    return_rate, rate_by_sku, rate_by_category, reason_mix, grade_mix, disposition_mix,
    supplier_defects, cycle_times, costs, weekly, weekly_reasons   (conn, period, ...)
    net_cost(conn, period, rates) -> NetCost         # raw reference; the dashboard reads summaries
    build_dashboard(conn, period) -> Dashboard       # everything at once (refreshes first)
    refresh(conn_or_session, now) -> RefreshReport   # bring the per-day summaries up to date
    mark_dirty(conn_or_session, days)                # have the next refresh redo these days
    units_behind(conn, period, dimension, key)       # drill-down
    AnalyticsService(ctx).dashboard(actor, period)   # the same, permission-checked

Every function takes a SQLAlchemy ``Connection`` and aggregates in the database; none walks
units in Python. The figures exported here read the per-day summaries (``summary``,
``figures``); the modules ``returns``, ``cycle``, ``costs`` and ``trends`` hold the same
figures computed from the raw tables (the reference the summaries are tested against).
Definitions (exact formulas) are in docs/supervisor.md.
"""

from station.analytics.costs import CostRates
from station.analytics.dashboard import Dashboard, build_dashboard
from station.analytics.drill import DIMENSIONS, units_behind
from station.analytics.figures import (
    costs, cycle_times, disposition_mix, grade_mix, rate_by_category, rate_by_sku, reason_mix, return_rate,
    supplier_defects, weekly, weekly_reasons,
)
from station.analytics.net_cost import NetCost, NetCostRow, net_cost
from station.analytics.period import Period
from station.analytics.rows import (
    Costs, CycleTime, MixRow, RateRow, ReturnRate, SupplierRow, UnitRow, WeekReasonRow, WeekRow,
)
from station.analytics.service import AnalyticsService
from station.analytics.summary import RefreshReport, mark_dirty, refresh

__all__ = [
    "DIMENSIONS", "AnalyticsService", "CostRates", "Costs", "CycleTime", "Dashboard", "MixRow", "NetCost",
    "NetCostRow", "net_cost",
    "Period", "RateRow", "RefreshReport", "ReturnRate", "SupplierRow", "UnitRow", "WeekReasonRow", "WeekRow",
    "build_dashboard", "mark_dirty", "refresh", "costs", "cycle_times", "disposition_mix", "grade_mix", "rate_by_category",
    "rate_by_sku", "reason_mix", "return_rate", "supplier_defects", "units_behind", "weekly",
    "weekly_reasons",
]
