"""Issue 26 on the desk: the dashboard's "Worst lots" tab lists the period's lots, worst first."""

from __future__ import annotations

import pytest

from station.analytics import AnalyticsService
from station.supervision.alerts import AlertService
from tests.helpers.builders import NOW, make_context
from tests.station.lots.conftest import lot_dock  # noqa: F401 - fixture
from tests.ui.supervisor.conftest import following, show
from ui.supervisor.dashboard_view import LOTS_TAB, DashboardView


@pytest.fixture
def session_factory(sf):  # noqa: ANN001 - the lots' dock on the window's SQLite file
    return sf


def test_the_supervisor_finds_the_bad_lot_on_top_of_the_worst_lots_tab(qtbot, sf, background, bridge, lot_dock):  # noqa: ANN001, F811
    ctx = make_context(sf, lot_dock["clock"])
    view = DashboardView(AnalyticsService(ctx), AlertService(ctx), lot_dock["supervisor"], background, bridge,
                         today=NOW.date())
    view.weeks.setValue(4)
    show(qtbot, following(view, sf), (1400, 900))
    with qtbot.waitSignal(view.loaded, timeout=3000):
        view.refresh()
    assert view.panel.tabText(LOTS_TAB) == "Worst lots (3)"
    rows = [[view.lots.item(r, c).text() for c in range(view.lots.columnCount())] for r in range(view.lots.rowCount())]
    assert [r[:6] for r in rows] == [["LS-01", "L2", "Acme Beauty", "12", "100", "12.0 %"],
                                     ["LS-01", "L1", "Acme Beauty", "2", "200", "1.0 %"],
                                     ["LS-01", "L3", "Acme Beauty", "1", "250", "0.4 %"]]
    assert rows[0][6].startswith("Defective") and rows[0][7] == "C:3 D:8"
