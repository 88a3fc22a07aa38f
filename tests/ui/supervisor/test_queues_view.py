"""Queues from the keyboard: switch with Alt+N, search with Ctrl+F, filter with column:value,
sort by header, export what is shown."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt

from station.supervision.desk import SupervisionService
from tests.ui.supervisor.conftest import focus, show
from ui.supervisor.queues_view import QueuesView, split_search


def column(view, n=0):
    return [view.table.item(r, n).text() for r in range(view.table.rowCount())]


def test_keyboard_switch_search_sort_export(qtbot, desk, background, bridge, messages, tmp_path):
    view = QueuesView(SupervisionService(desk.dock.qc.ctx), desk.dock.supervisor, background, bridge)
    show(qtbot, view)
    view.refresh()
    assert column(view) == [desk.waiting]
    focus(qtbot, view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert view.queue_name == "approvals"
    assert sorted(column(view)) == ["Late parcel", "Parcel without RMA", "Scrap"]  # kinds in words
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "kind:scrap")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert column(view) == ["Scrap"]  # searched by its code
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert len(column(view)) == 3
    view.table.horizontalHeader().sectionClicked.emit(0)
    ascending = column(view)
    view.table.horizontalHeader().sectionClicked.emit(0)
    assert ascending == ["Late parcel", "Scrap", "Parcel without RMA"]  # sorted by code: expired, scrap, unknown
    assert column(view) == ascending[::-1]
    assert "sorted by Kind ▼" in view.status.text()
    assert view.table.horizontalHeaderItem(0).text() == "Kind"
    assert view.table.horizontalHeaderItem(0).toolTip() == "kind"  # what a kind:value search uses
    out = tmp_path / "approvals.csv"
    view.export_to(out)
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["kind", "summary", "requested_by", "requested_at"]
    assert [r[0] for r in rows[1:]] == ["unknown_parcel", "scrap", "expired_rma"]  # the export keeps the codes
    assert messages[-1].code == "exported"


def test_sync_conflicts_without_central_list_what_was_last_pulled(qtbot, desk, background, bridge, messages):
    view = QueuesView(SupervisionService(desk.dock.qc.ctx), desk.dock.supervisor, background, bridge)
    show(qtbot, view)
    view.show_queue("sync_conflicts")
    assert view.table.rowCount() == 0 and not [m for m in messages if m.code == "not_found"]
    assert view.status.text().startswith("0 rows")


def test_split_search():
    assert split_search("kind:scrap  motor x:") == ("motor x:", {"kind": "scrap"})
