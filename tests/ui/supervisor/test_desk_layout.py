"""The desk on the dock's 1280 x 800 screen: nothing scrolls sideways, chart labels are never
elided, percent axes read "%", and the queue tabs, column headers and chart names are in the
UI language."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from tests.helpers.builders import add_rma
from tests.ui.conftest import Station, sign_in
from tests.ui.supervisor.test_dashboard_view import make_view
from ui.supervisor.charts import nice_axis
from ui.supervisor.common import short_reason

DESK_KEYS = {"queues": "F3", "approvals": "F4", "dashboard": "F8", "sheets": "F11"}
TAB_CONTENT = (1236, 700)  # what a desk tab leaves for its widget in the 1280 x 800 window


def charts(view) -> list:  # noqa: ANN001
    views = [view.grid.itemAt(i).widget() for i in range(view.grid.count())]
    return [v.chart() for v in views if isinstance(v, QChartView)]


class TestFitsTheDockScreen:
    def test_dashboard_needs_less_than_the_tab_gives(self, qtbot, sf, background, bridge, tmp_path) -> None:  # noqa: ANN001
        view, _ = make_view(qtbot, sf, background, bridge, tmp_path)
        with qtbot.waitSignal(view.loaded, timeout=3000):
            view.refresh()
        hint = view.minimumSizeHint()
        assert hint.width() <= TAB_CONTENT[0] and hint.height() <= TAB_CONTENT[1]

    def test_no_desk_tab_scrolls_sideways(self, station: Station, catalogue) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            add_rma(db, [(catalogue["shirt"], 1), (catalogue["phone"], 1)])
        sign_in(station, "EMP3001", "3456")
        for language in ("en", "zh_CN"):
            for name, key in DESK_KEYS.items():
                station.keys.press(key)
                tab = station.window.views[name]
                QApplication.processEvents()
                assert tab.width() <= 1280
                assert not tab.scroll.horizontalScrollBar().isVisible(), (language, name)
            if language == "en":
                station.window.toggle_language()
        station.window.toggle_language()


class TestReadableCharts:
    def test_labels_fit_and_percent_axes_read_percent(self, qtbot, sf, background, bridge, tmp_path) -> None:  # noqa: ANN001
        view, _ = make_view(qtbot, sf, background, bridge, tmp_path)
        view.resize(*TAB_CONTENT)
        with qtbot.waitSignal(view.loaded, timeout=3000):
            view.refresh()
        shown = charts(view)
        assert [c.title() for c in shown] == [
            "Returned units per ISO week", "Top reasons (units)", "Return rate by category", "Grade mix",
            "Disposition mix", "Cycle time (hours)"]
        assert not any(a.truncateLabels() for c in shown for a in c.axes())
        QApplication.processEvents()
        for chart in shown:  # each category label fits its slot (vertical: the axis is as wide as its labels)
            for axis in chart.axes(Qt.Orientation.Horizontal):
                if isinstance(axis, QBarCategoryAxis):
                    slot = chart.plotArea().width() / axis.count()
                    widest = max(QFontMetrics(axis.labelsFont()).horizontalAdvance(c) for c in axis.categories())
                    assert widest < slot, (chart.title(), axis.categories())
        for chart in shown:  # would QtCharts have to elide a value or vertical category label?
            for axis in chart.axes():
                axis.setTruncateLabels(not isinstance(axis, QBarCategoryAxis) or axis.orientation() == Qt.Orientation.Vertical)
        QApplication.processEvents()
        assert [(c.title(), a.labelsTruncated()) for c in shown for a in c.axes() if a.labelsTruncated()] == []
        rate = next(a for a in shown[2].axes(Qt.Orientation.Horizontal) if isinstance(a, QValueAxis))
        assert rate.labelFormat() % rate.max() == "15 %"  # the data set's highest category rate is 10 %
        assert rate.labelFormat() % rate.tickInterval() == "5 %"
        weeks = shown[0].axes(Qt.Orientation.Horizontal)[0].categories()
        assert weeks == ["W45", "W46"]
        reasons = shown[1].axes(Qt.Orientation.Vertical)[0].categories()
        assert "Did not fit" in reasons and all("(" not in r and "/" not in r for r in reasons)

    def test_round_ticks(self) -> None:
        assert nice_axis(19.2 * 1.08) == (25, 5)
        assert nice_axis(9, whole=True) == (10, 2)
        assert nice_axis(103.7, whole=True) == (125, 25)
        assert nice_axis(0) == (1.0, 1.0)

    def test_short_reason_names(self) -> None:
        assert [short_reason(t) for t in ("Did not fit (size)", "Changed mind / no longer needed",
                                          "质量问题/无法使用", "Poor quality")] == [
            "Did not fit", "Changed mind", "质量问题", "Poor quality"]


class TestChineseDesk:
    def test_queue_tabs_headers_and_chart_names(self, station: Station, catalogue) -> None:  # noqa: ANN001
        sign_in(station, "EMP3001", "3456")
        station.window.toggle_language()
        try:
            station.keys.press("F3")
            queues = station.window.views["queues"].inner
            assert [queues.tabs.tabText(i) for i in range(queues.tabs.count())] == [
                "待质检", "隔离", "逾期包裹", "改判等级", "审批", "同步冲突"]
            headers = [queues.table.horizontalHeaderItem(i).text() for i in range(queues.table.columnCount())]
            assert headers == ["LPN", "RMA", "SKU", "品类", "原因", "收货时间"]
            station.keys.press("F8")
            dashboard = station.window.views["dashboard"].inner
            assert [c.title() for c in charts(dashboard)][:3] == ["每 ISO 周退货件数", "主要退货原因（件）", "各品类退货率"]
            assert dashboard.kpis["alerts"].text() == "0"
        finally:
            station.window.toggle_language()
