"""Work queues: awaiting inspection, quarantine, late parcels, grade overrides, approvals,
sync conflicts. Search, filter and sort run in the service (SQL), never over loaded rows.

Keyboard: Alt+1..6 (or Ctrl+Tab) switches queue, Ctrl+F jumps to the search box, Escape
clears it, Return runs it; ``column:value`` words in the search box are filters
(``kind:scrap motor``). Clicking a column header, or Alt+S with the table focused, sorts by that
column (again: descending). Ctrl+E exports the queue as shown (CSV or XLSX by extension).

Signals: ``opened(str, str)`` -- queue name and the record id of the row activated (Return or
double click), so the window can open an approval or a unit.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QTabBar, QVBoxLayout, QWidget

from station.analytics.export import write_table
from station.catalog.reasons import load_reasons
from station.core.context import Actor
from station.core.errors import InvalidInput
from station.supervision.desk import QUEUES, QueueView, SupervisionService
from station.sync.conflict_service import Settled, SyncConflictService
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.approvals_view import kind_words
from ui.supervisor.common import column_title, fill_table, make_table, selected_id, ui_locale
from ui.supervisor.conflict_dialog import ConflictDialog

log = logging.getLogger(__name__)

# Tab titles as literals ``python -m ui.i18n.build`` collects; ``queue_title`` translates them.
TITLES = {"awaiting_inspection": QT_TRANSLATE_NOOP("QueuesView", "Awaiting inspection"),
          "quarantine": QT_TRANSLATE_NOOP("QueuesView", "Quarantine"),
          "expired_rmas": QT_TRANSLATE_NOOP("QueuesView", "Late parcels"),
          "grade_overrides": QT_TRANSLATE_NOOP("QueuesView", "Grade overrides"),
          "approvals": QT_TRANSLATE_NOOP("QueuesView", "Approvals"),
          "sync_conflicts": QT_TRANSLATE_NOOP("QueuesView", "Sync conflicts")}


def queue_title(name: str) -> str:
    """The queue's tab title in the UI language."""
    return QCoreApplication.translate("QueuesView", str(TITLES[name]))


def split_search(text: str) -> tuple[str, dict[str, str]]:
    """``"kind:scrap motor"`` -> (``"motor"``, ``{"kind": "scrap"}``)."""
    words, filters = [], {}
    for word in text.split():
        column, sep, value = word.partition(":")
        if sep and column and value:
            filters[column] = value
        else:
            words.append(word)
    return " ".join(words), filters


class QueuesView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the queues read
    #: units and their RMAs; sync conflicts live on central and change with each sync run.
    WATCHES = ("rmas", "rma_lines", "receipts", "units", "inspections", "dispositions", "approvals",
               "sync_state")

    opened = Signal(str, str)

    def __init__(self, service: SupervisionService, actor: Actor, background: Background,
                 bridge: MessageBridge, parent: QWidget | None = None,
                 conflicts: SyncConflictService | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor, self.background, self.bridge = service, actor, background, bridge
        self.conflicts = conflicts  # settles sync conflicts (Enter on a row of that queue)
        self.conflict_dialog: ConflictDialog | None = None
        self.reasons = load_reasons()  # reason codes shown in words
        self.setObjectName("supervisorQueues")
        self.tabs = QTabBar(self)
        for name in QUEUES:
            self.tabs.addTab(queue_title(name))
        self.search = QLineEdit(self)
        self.search.setObjectName("queueSearch")
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F) - words, or column:value"))
        self.search.setClearButtonEnabled(True)
        self.table = make_table(self)
        self.table.setObjectName("queueTable")
        self.status = QLabel(self)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        # The tabs take the whole width (six titles need ~1,050 px in English); search and the
        # row count share the line below, so the search hint stays readable.
        below = QHBoxLayout()
        below.addWidget(self.search, 1)
        below.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addLayout(below)
        layout.addWidget(self.table, 1)
        self.sort: str | None = None
        self.descending = False
        self.view: QueueView | None = None
        self.tabs.currentChanged.connect(self._tab_changed)
        self.search.returnPressed.connect(self.refresh)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.table.activated.connect(self._activate)
        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for n in range(len(QUEUES)):
            QShortcut(QKeySequence(f"Alt+{n + 1}"), self, lambda i=n: self.tabs.setCurrentIndex(i), context=shortcut)
        QShortcut(QKeySequence("Ctrl+Tab"), self,
                  lambda: self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % len(QUEUES)), context=shortcut)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_search, context=shortcut)
        QShortcut(QKeySequence("Escape"), self.search, self._clear_search, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Alt+S"), self.table, lambda: self._sort_by(max(self.table.currentColumn(), 0)),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+E"), self, self._ask_export, context=shortcut)

    @property
    def queue_name(self) -> str:
        return QUEUES[self.tabs.currentIndex()]

    def show_queue(self, name: str) -> None:
        self.tabs.setCurrentIndex(QUEUES.index(name))

    def _tab_changed(self, _index: int) -> None:
        self.sort, self.descending = None, False
        self.refresh()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _clear_search(self) -> None:
        self.search.clear()
        self.refresh()

    def _sort_by(self, column: int) -> None:
        if self.view is None or not 0 <= column < len(self.view.columns):
            return
        name = self.view.columns[column]
        self.descending = (not self.descending) if name == self.sort else False
        self.sort = name
        self.refresh()

    def refresh(self) -> None:
        service, actor, queue = self.service, self.actor, self.queue_name
        search, filters = split_search(self.search.text())
        sort, descending = self.sort, self.descending
        (self.background.op(lambda: service.queue(actor, queue, search=search, filters=filters, sort=sort,
                                                  descending=descending), self)
         .success(self._show).failure(self._failed).read())

    def _failed(self, exc: BaseException) -> None:
        self.view = None
        fill_table(self.table, (), ())
        self.status.setText(str(exc))
        show_error(self.bridge, exc)

    def _show(self, view: QueueView) -> None:
        if view.name != self.queue_name:
            return  # an older answer for a queue the supervisor already left
        self.view = view
        shown = view.in_words(ui_locale(), self.reasons)
        kind = shown.columns.index("kind") if "kind" in shown.columns else -1
        rows = [tuple(kind_words(v) if n == kind else v for n, v in enumerate(row)) for row in shown.rows]
        fill_table(self.table, shown.columns, rows, shown.ids)
        arrow = "" if self.sort is None else (f" · {self.tr('sorted by')} {column_title(self.sort)}"
                                              f"{' ▼' if self.descending else ' ▲'}")
        self.status.setText(self.tr("%n rows", "", len(view.rows)) + arrow)

    def _activate(self) -> None:
        record = selected_id(self.table)
        if record is None:
            return
        if self.queue_name == "sync_conflicts" and self.conflicts is not None:
            self.settle_conflict(record)
            return
        self.opened.emit(self.queue_name, record)

    # --- sync conflicts: settled here ---------------------------------------------------
    def settle_conflict(self, record: str) -> ConflictDialog:
        """Ask which version to keep for conflict ``record``; the station service settles it."""
        reason = ""
        if self.view is not None and record in self.view.ids:
            row = self.view.rows[self.view.ids.index(record)]
            reason = str(row[self.view.columns.index("reason")])
        dialog = ConflictDialog(record, reason, self)
        dialog.accepted.connect(lambda: self._settle(record, dialog.keep(), dialog.note.text()))
        dialog.finished.connect(lambda _r: setattr(self, "conflict_dialog", None))
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def _settle(self, record: str, keep: str, note: str) -> None:
        service, actor = self.conflicts, self.actor
        if service is None:
            return

        def done(settled: Settled) -> None:
            kept = self.tr("central's version") if settled.kept == "central" else self.tr("the station's version")
            self.bridge.show(Message(Level.OK, self.tr("Conflict #%1 settled").replace("%1", record),
                                     self.tr("Kept %1.").replace("%1", kept), "", code="conflict_settled",
                                     sound="ok"))
            self.refresh()  # the conflict was settled on central, which no local commit reports

        (self.background.op(lambda: service.resolve(actor, int(record), keep, note), self)  # type: ignore[arg-type]
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export queue"), f"{self.queue_name}.xlsx",
                                              "Excel (*.xlsx);;CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the queue as shown to ``path`` (.csv or .xlsx) in the background."""
        view = self.view
        if view is None:
            return
        fmt = path.suffix.lstrip(".").lower()
        if fmt not in ("csv", "xlsx"):
            show_error(self.bridge, InvalidInput(f"Export as .csv or .xlsx, not {path.name}."))
            return

        def done(count: int) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Exported"), f"{count} rows -> {path}", code="exported"))

        (self.background.op(lambda: write_table(path, fmt, view.title, view.columns, view.rows), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).read())
