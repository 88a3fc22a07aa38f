"""Printing scrap sheets for several days with a progress bar, then a reprint from history."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from station.models import LabelJob
from station.supervision.sheet_jobs import SheetService
from tests.helpers.builders import NOW, make_context
from tests.ui.supervisor.conftest import focus, following, show
from ui.supervisor.sheet_jobs import SheetPrinter
from ui.supervisor.sheets_view import SheetsView


def open_view(qtbot, desk, background, bridge, sf, tmp_path):
    printer = (tmp_path / "sheets").as_uri()
    sheets = SheetPrinter(SheetService(make_context(sf)), printer, "DOCK01")
    view = SheetsView(sheets, desk.dock.supervisor, background, bridge, today=NOW.date())
    show(qtbot, following(view, sf))
    view.refresh()
    return view


def jobs(sf):
    with sf() as db:
        return db.execute(select(LabelJob.kind, LabelJob.subject, LabelJob.payload, LabelJob.data)
                          .order_by(LabelJob.created_at)).all()


def test_batch_prints_one_sheet_per_day_with_units_and_moves_the_bar(qtbot, desk, background, bridge, messages,
                                                                     sf, tmp_path):
    view = open_view(qtbot, desk, background, bridge, sf, tmp_path)
    first = NOW.date() - dt.timedelta(days=2)
    view.first.setDate(QDate(first.year, first.month, first.day))
    seen = []
    view.progress.connect(lambda done, total: seen.append((done, total)))
    focus(qtbot, view.first)
    with qtbot.waitSignal(view.printed, timeout=3000) as printed:
        qtbot.keyClick(view.first, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert (view.bar.value(), view.bar.maximum()) == (3, 3)
    assert printed.args == [1]
    [(kind, subject, payload, data)] = jobs(sf)
    assert (kind, subject, data["rows"]) == ("scrap_sheet", NOW.date().isoformat(), 1)
    assert payload.startswith(b"%PDF")
    assert (messages[-1].title, messages[-1].text) == ("Sheets queued", "1 sheet, 1 unit")
    qtbot.waitUntil(lambda: view.history.rowCount() == 1)  # the history reloads from the commit
    assert view.history.item(0, 2).text() == "1"


def test_category_filter_and_empty_batch(qtbot, desk, background, bridge, messages, sf, tmp_path):
    view = open_view(qtbot, desk, background, bridge, sf, tmp_path)
    categories = [view.category.itemData(i) for i in range(view.category.count())]
    assert categories[0] == "" and {"apparel", "shoes", "small_appliances"} <= set(categories)
    view.category.setCurrentIndex(view.category.findData("apparel"))
    with qtbot.waitSignal(view.printed, timeout=3000) as printed:
        view.print_button.click()
    assert printed.args == [0] and jobs(sf) == []
    assert messages[-1].title == "Nothing to print"


def test_reprint_sends_the_same_bytes_again(qtbot, desk, background, bridge, messages, sf, tmp_path):
    view = open_view(qtbot, desk, background, bridge, sf, tmp_path)
    with qtbot.waitSignal(view.printed, timeout=3000):
        view.print_button.click()
    qtbot.waitUntil(lambda: view.history.rowCount() == 1)
    view.history.selectRow(0)
    focus(qtbot, view.history)
    qtbot.keyClick(view.history, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    original, again = jobs(sf)
    assert again.payload == original.payload and again.data["reprint_of"]
    assert messages[-1].title == "Reprint queued"
    qtbot.waitUntil(lambda: view.history.rowCount() == 2)
