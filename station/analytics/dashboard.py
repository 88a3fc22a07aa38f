"""Everything the supervisor's dashboard and the PDF report show, in one frozen value.

``build_dashboard`` runs each aggregate once on one read connection; the window and the report
draw from the result and never query row by row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from station.analytics.costs import CostRates, costs
from station.analytics.cycle import cycle_times
from station.analytics.period import Period
from station.analytics.returns import (
    disposition_mix, grade_mix, rate_by_category, rate_by_sku, reason_mix, return_rate, supplier_defects,
)
from station.analytics.rows import (
    Costs, CycleTime, MixRow, RateRow, ReturnRate, SupplierRow, WeekReasonRow, WeekRow,
)
from station.analytics.trends import weekly, weekly_reasons

log = logging.getLogger(__name__)


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

    @property
    def empty(self) -> bool:
        """True when nothing was returned or sold in the period (the views say so plainly)."""
        return self.overall.returned == 0 and self.overall.sold == 0


def build_dashboard(conn: Connection, period: Period, *, rates: CostRates = CostRates(),
                    top_skus: int = 20, locale: str = "en") -> Dashboard:
    return Dashboard(
        period=period,
        overall=return_rate(conn, period),
        by_sku=rate_by_sku(conn, period, limit=top_skus),
        by_category=rate_by_category(conn, period),
        reasons=reason_mix(conn, period, locale=locale),
        grades=grade_mix(conn, period),
        dispositions=disposition_mix(conn, period),
        cycle=cycle_times(conn, period),
        costs=costs(conn, period, rates),
        weeks=weekly(conn, period),
        week_reasons=weekly_reasons(conn, period),
        suppliers=supplier_defects(conn, period),
    )
