"""Every tab fits a 1280 x 800 dock screen in both languages: the tab bar shows every tab whole,
no tab scrolls sideways, and every widget lies inside the window (issue 23, problem 9)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QApplication, QScrollArea, QWidget

from station.demo import seed_demo
from tests.ui.conftest import Station, make_station, sign_in


@pytest.fixture
def demo_station(qtbot, ui_session_factory):  # noqa: ANN001, ANN201
    seed_demo(ui_session_factory, rmas=120)
    yield from make_station(qtbot, ui_session_factory)


def _inside_an_item_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def overflowing(window: QWidget, tab: QWidget) -> list[str]:
    """Visible widgets of ``tab`` that reach beyond the window's left or right edge."""
    frame = QRect(QPoint(0, 0), window.size())
    found = []
    for widget in tab.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1 or _inside_an_item_view(widget):
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, widget.size())
        if rect.left() < frame.left() - 1 or rect.right() > frame.right() + 1:
            text = getattr(widget, "text", lambda: "")()
            found.append(f"{type(widget).__name__} {widget.objectName() or text!r}: x {rect.left()}..{rect.right()}")
    return found


def sideways_scrolling(tab: QWidget) -> list[str]:
    areas = [tab, *tab.findChildren(QAbstractScrollArea)] if isinstance(tab, QAbstractScrollArea) else \
        tab.findChildren(QScrollArea)
    return [f"{type(a).__name__} {a.objectName()!r}" for a in areas
            if a.isVisible() and a.horizontalScrollBar().isVisible()]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_tab_fits_the_dock_screen(demo_station: Station, qtbot, language: str) -> None:  # noqa: ANN001
    station = demo_station
    window = station.window
    if language == "zh":
        window.toggle_language()
    try:
        sign_in(station, "EMP9001", "999999")  # the demo's admin
        window.resize(1280, 800)
        tabs = window.tabs
        problems = []
        bar = tabs.tabBar()
        QApplication.processEvents()
        if bar.sizeHint().width() > tabs.width():
            problems.append(f"tab bar needs {bar.sizeHint().width()} px of {tabs.width()}")
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            qtbot.wait(60)
            tab = tabs.widget(index)
            name = tabs.tabText(index)
            problems += [f"{name}: {p}" for p in overflowing(window, tab)]
            problems += [f"{name}: scrolls sideways: {p}" for p in sideways_scrolling(tab)]
        assert problems == [], "\n".join(problems)
    finally:
        if language == "zh":
            window.toggle_language()
