"""The open alerts on the dock's 1280 x 800 screen: several whole alerts can be read at once
in the dashboard tab, not one clipped line below the fold (issue 23, problem 9)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from station.analytics.thresholds import load_thresholds
from station.demo import seed_demo
from station.supervision.alerts import AlertService
from tests.station.supervision.test_alerts import RULES
from tests.ui.conftest import Station, make_station, sign_in
from tests.helpers.builders import make_context


@pytest.fixture
def alerting_station(qtbot, ui_session_factory, tmp_path):  # noqa: ANN001, ANN201
    seed_demo(ui_session_factory, rmas=120)
    rules = tmp_path / "alerts.toml"
    rules.write_text(RULES, encoding="utf-8")
    AlertService(make_context(ui_session_factory), load_thresholds(rules)).check()
    yield from make_station(qtbot, ui_session_factory)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_open_alerts_show_three_whole_rows_at_1280x800(alerting_station: Station, qtbot, language: str) -> None:  # noqa: ANN001
    station = alerting_station
    window = station.window
    if language == "zh":
        window.toggle_language()
    try:
        sign_in(station, "EMP9001", "999999")  # the demo's admin
        window.resize(1280, 800)
        station.keys.press("F8")
        QApplication.processEvents()
        qtbot.wait(60)
        tab = window.views["dashboard"]
        table = tab.inner.alert_table
        assert table.rowCount() >= 3
        assert not tab.scroll.verticalScrollBar().isVisible(), "the dashboard scrolls: the alerts sit below the fold"
        port = table.viewport()  # the part of the list on screen: inside the tab's scroll viewport
        view_port = tab.scroll.viewport()
        on_screen = QRect(port.mapTo(view_port, QPoint(0, 0)), port.size()) & view_port.rect()
        needed = sum(table.rowHeight(r) for r in range(3))
        assert on_screen.height() >= needed, f"the alerts list shows {on_screen.height()} px; three alerts need {needed}"
        for row in range(3):  # each alert one whole line; what the line cuts off is in its tooltip
            assert table.rowHeight(row) >= table.sizeHintForRow(row)
            message = table.item(row, 5)
            assert message.text() and message.toolTip() == message.text()
        state = table.item(0, 3).text()  # an open alert, in words of alerts (not an RTV batch's 未发货)
        assert state == ("未处理" if language == "zh" else "open")
        note = tab.inner.note
        top = note.mapTo(view_port, QPoint(0, 0)).y()
        assert note.isVisible() and top + note.height() <= view_port.height()
    finally:
        if language == "zh":
            window.toggle_language()
