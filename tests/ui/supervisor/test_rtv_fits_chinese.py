"""The return-to-vendor desk in Chinese at 1280 x 800: no button is cut, through a batch's
life (open, a unit in, shipped: the button then offers the paperwork again) (issue 23.10)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from station.demo import seed_demo
from tests.ui.conftest import Station, make_station, sign_in
from tests.ui.test_banner_keeps_buttons import LONG


@pytest.fixture
def demo_station(qtbot, ui_session_factory):  # noqa: ANN001, ANN201
    seed_demo(ui_session_factory, rmas=320)
    yield from make_station(qtbot, ui_session_factory)


def cut_buttons(view) -> list[str]:  # noqa: ANN001
    """Visible buttons narrower than their words need."""
    return [f"{b.text()!r}: {b.width()}x{b.height()} of {b.sizeHint().width()}x{b.sizeHint().height()} px"
            for b in view.findChildren(QPushButton)
            if b.isVisible() and (b.width() < b.sizeHint().width() or b.height() < b.sizeHint().height())]


def test_no_rtv_button_is_cut_in_chinese(demo_station: Station, qtbot) -> None:  # noqa: ANN001
    station = demo_station
    window = station.window
    window.toggle_language()
    try:
        sign_in(station, "EMP9001", "999999")
        window.resize(1280, 800)
        station.keys.press("F2")
        view = window.views["rtv"].inner
        QApplication.processEvents()
        problems = [f"empty: {p}" for p in cut_buttons(view)]
        ready = []
        view.refresh()
        QApplication.processEvents()
        for index in range(view.vendor.count()):  # a vendor with approved units waiting
            ready = view.service.ready_units(view.actor, view.vendor.itemData(index))
            if ready:
                view.vendor.setCurrentIndex(index)
                break
        assert ready, "the demo has approved RTV units"
        view.open_batch()
        view.add(ready[0])
        QApplication.processEvents()
        assert view.item_table.rowCount() == 1
        problems += [f"open: {p}" for p in cut_buttons(view)]
        view.ra.setText("RA-2026-118")
        view.carrier.setText("SF Express")
        view.tracking.setText("SF1234567890")
        view.ship()
        QApplication.processEvents()
        assert view.ship_button.text().startswith("再次打印")
        problems += [f"shipped: {p}" for p in cut_buttons(view)]
        station.dock.bridge.show(LONG["zh"])  # the longest banner over the desk leaves the buttons whole
        QApplication.processEvents()
        problems += [f"under a banner: {p}" for p in cut_buttons(view)]
        assert problems == [], "\n".join(problems)
    finally:
        window.toggle_language()
