"""Everything the supervisor's dashboard and the PDF report show, in one frozen value.

``build_dashboard`` refreshes the per-day summaries once (incremental: only the days touched
since the last refresh) and then reads every figure from them (``station.analytics.figures``);
``raw=True`` computes the same figures from the raw tables instead (the reference definitions,
used by the tests). The window and the report draw from the result and never query row by row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Connection

from station.analytics import figures
from station.analytics.costs import CostRates, costs
from station.analytics.cycle import cycle_times
from station.analytics.lots import LotRow, lot_rows
from station.analytics.net_cost import NetCost, net_cost
from station.analytics.net_summary import net_cost as summary_net_cost
from station.analytics.period import Period
from station.analytics.rows import (
    Costs, CycleTime, MixRow, RateRow, ReturnRate, SupplierRow, WeekReasonRow, WeekRow,
)
from station.analytics.returns import (
    disposition_mix, grade_mix, rate_by_category, rate_by_sku, reason_mix, return_rate, supplier_defects,
)
from station.analytics.summary import refresh
from station.analytics.trends import weekly, weekly_reasons

log = logging.getLogger(__name__)

RAW = SimpleNamespace(
    return_rate=return_rate, rate_by_sku=rate_by_sku, rate_by_category=rate_by_category, reason_mix=reason_mix,
    grade_mix=grade_mix, disposition_mix=disposition_mix, supplier_defects=supplier_defects,
    cycle_times=cycle_times, costs=costs, weekly=weekly, weekly_reasons=weekly_reasons,
)
"""The figures computed from the raw tables (the reference definitions)."""


@dataclass(frozen=True)
class Dashboard:
    period: Period
    overall: ReturnRate
    by_sku: list[RateRow]
    by_category: list[RateRow]
    reasons: list[MixRow]
    grades: list[MixRow]
    dispositions: list[MixRow]
    cycle: list[CycleTime]
    costs: Costs
    weeks: list[WeekRow]
    week_reasons: list[WeekReasonRow]
    suppliers: list[SupplierRow]
    net: NetCost
    lots: list[LotRow] = field(default_factory=list)
    """The worst production lots of the period, worst first (issue 26; ``station.analytics.lots``)."""

    @property
    def empty(self) -> bool:
        """True when nothing was returned or sold in the period (the views say so plainly)."""
        return self.overall.returned == 0 and self.overall.sold == 0


def build_dashboard(conn: Connection, period: Period, *, rates: CostRates = CostRates(),
                    top_skus: int = 20, locale: str = "en", fresh: bool = False, raw: bool = False) -> Dashboard:
    """All figures for ``period``. The summaries are refreshed first on ``conn`` unless the
    caller has just done so (``fresh=True``)."""
    if raw:
        kw: dict[str, bool] = {}
        f: Any = RAW
    else:
        if not fresh:
            refresh(conn)
        kw = {"fresh": True}
        f = figures
    return Dashboard(
        period=period,
        overall=f.return_rate(conn, period, **kw),
        by_sku=f.rate_by_sku(conn, period, limit=top_skus, **kw),
        by_category=f.rate_by_category(conn, period, **kw),
        reasons=f.reason_mix(conn, period, locale=locale, **kw),
        grades=f.grade_mix(conn, period, **kw),
        dispositions=f.disposition_mix(conn, period, **kw),
        cycle=f.cycle_times(conn, period, **kw),
        costs=f.costs(conn, period, rates, **kw),
        weeks=f.weekly(conn, period, **kw),
        week_reasons=f.weekly_reasons(conn, period, **kw),
        suppliers=f.supplier_defects(conn, period, **kw),
        net=(net_cost if raw else summary_net_cost)(conn, period, rates),
        lots=lot_rows(conn, period, locale=locale, limit=top_skus),
    )
