"""Analytics behind the permission check: only supervisors and admins see the figures.

The window calls this; the headless commands (report, export, alerts check) run the same
functions on their own connection, like the other command-line tools.
"""

from __future__ import annotations

import logging

from station.analytics.costs import CostRates
from station.analytics.dashboard import Dashboard, build_dashboard
from station.analytics.drill import units_behind
from station.analytics.lots import LotReport, lots_of_sku
from station.analytics.period import Period
from station.analytics.rows import UnitRow
from station.analytics.summary import RefreshReport, refresh
from station.analytics.tables import Table, analytic_table
from station.analytics.thresholds import Thresholds, load_thresholds
from station.core.context import Actor, StationContext
from station.core.permissions import Permission
from station.core.services import Service

log = logging.getLogger(__name__)


class AnalyticsService(Service):
    def __init__(self, ctx: StationContext, thresholds: Thresholds | None = None) -> None:
        super().__init__(ctx)
        self.thresholds = thresholds or load_thresholds()

    def dashboard(self, actor: Actor, period: Period, *, top_skus: int = 20, locale: str = "en") -> Dashboard:
        self.require(actor, Permission.VIEW_ANALYTICS)
        self.refresh()
        with self.read_connection() as conn:
            return build_dashboard(conn, period, rates=self.rates, top_skus=top_skus, locale=locale,
                                   fresh=True)

    @property
    def rates(self) -> CostRates:
        """The site's cost rates, with who pays return shipping from the station's policy."""
        return self.thresholds.rates.with_policy(self.ctx.policy)

    def refresh(self, *, full: bool = False) -> RefreshReport:
        """Bring the analytics summaries up to date in a write transaction of their own (the
        dashboard then reads them on a read-only connection). Cheap when little changed."""
        engine = self.ctx.session_factory.kw["bind"]
        with engine.begin() as conn:
            return refresh(conn, full=full)

    def units_behind(self, actor: Actor, period: Period, dimension: str, key: str,
                     *, limit: int = 500) -> list[UnitRow]:
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.read_connection() as conn:
            return units_behind(conn, period, dimension, key, limit=limit)

    def lots(self, actor: Actor, period: Period, sku: str, *, locale: str = "en") -> LotReport:
        """Return rate, reasons and grades per production lot of ``sku``, worst lot first."""
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.read_connection() as conn:
            return lots_of_sku(conn, period, sku, locale=locale)

    def table(self, actor: Actor, name: str, period: Period) -> Table:
        return analytic_table(self.dashboard(actor, period, top_skus=10_000), name)
