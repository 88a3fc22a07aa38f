"""Sheets: choose days, sheet (scrap / relabel) and category; print with a progress bar;
reprint from the history.

Printing runs on the write executor (it renders PDFs and writes print jobs); the worker
reports each finished day through the ``progress`` signal, which Qt queues to the UI thread.
Keyboard: Ctrl+P prints, Ctrl+R reprints the history row selected; the history follows the database.

Signals: ``progress(int, int)`` -- sheets done, sheets in the batch; ``printed(int)`` -- how
many sheets the batch queued.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.core.context import Actor
from station.supervision.sheet_jobs import HistoryRow, PrintedSheet, SheetRequest
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.common import fill_table, make_table, name_of, selected_id
from ui.supervisor.sheet_jobs import SheetPrinter

log = logging.getLogger(__name__)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SheetsView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); sheet history is
    #: label jobs; categories come from dispositions.
    WATCHES = ("label_jobs", "dispositions")

    progress = Signal(int, int)
    printed = Signal(int)

    def __init__(self, sheets: SheetPrinter, actor: Actor, background: Background, bridge: MessageBridge,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheets, self.actor, self.background, self.bridge = sheets, actor, background, bridge
        self.setObjectName("supervisorSheets")
        today = today or dt.date.today()
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Scrap sheet"), "scrap")
        self.kind.addItem(self.tr("Relabel sheet"), "relabel")
        self.first, self.last = QDateEdit(_qdate(today), self), QDateEdit(_qdate(today), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.category = QComboBox(self)
        self.category.addItem(self.tr("All categories"), "")
        self.print_button = QPushButton(self.tr("Print (Ctrl+P)"), self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("sheetProgress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.history = make_table(self)
        self.history.setObjectName("sheetHistory")
        self.reprint_button = QPushButton(self.tr("Reprint selected (Ctrl+R)"), self)
        # One row of choices, sized to their content: on a 1280 px screen stretched date boxes
        # and a full-width button read as empty space.
        choices = QHBoxLayout()
        for label, widget in ((self.tr("Sheet"), self.kind), (self.tr("Days"), self.first)):
            choices.addWidget(QLabel(label, self))
            choices.addWidget(widget)
        choices.addWidget(QLabel("–", self))
        choices.addWidget(self.last)
        choices.addSpacing(12)
        choices.addWidget(QLabel(self.tr("Category"), self))
        choices.addWidget(self.category)
        choices.addSpacing(12)
        choices.addWidget(self.print_button)
        choices.addStretch(1)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        reprint_row = QHBoxLayout()
        reprint_row.addStretch(1)
        reprint_row.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choices)
        layout.addWidget(self.bar)
        layout.addWidget(QLabel(self.tr("<b>Print history</b>"), self))
        layout.addWidget(self.history, 1)
        layout.addLayout(reprint_row)
        self.print_button.clicked.connect(self.print_sheets)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.progress.connect(self._progress)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_sheets, context=context)
        QShortcut(QKeySequence("Ctrl+R"), self, self.reprint_selected, context=context)

    def request(self) -> SheetRequest:
        return SheetRequest(kind=self.kind.currentData(), first=self.first.date().toPython(),
                            last=self.last.date().toPython(), category=self.category.currentData() or "")

    def refresh(self) -> None:
        sheets, actor = self.sheets, self.actor
        (self.background.op(lambda: (sheets.categories(actor), sheets.history(actor)), self)
         .success(self._loaded).failure(lambda e: show_error(self.bridge, e)).read())

    def _loaded(self, result: tuple[list[str], list[HistoryRow]]) -> None:
        categories, history = result
        chosen = self.category.currentData()
        self.category.blockSignals(True)
        while self.category.count() > 1:
            self.category.removeItem(1)
        for name in categories:
            self.category.addItem(name, name)
        self.category.setCurrentIndex(max(0, self.category.findData(chosen)))
        self.category.blockSignals(False)
        fill_table(self.history, ("sheet", "day", "units", "state", "queued", "printed"),
                   [(name_of(h.kind.replace("_sheet", "")), h.subject, h.rows, h.state, h.created_at, h.printed_at)
                    for h in history], [str(h.job_id) for h in history])

    def print_sheets(self) -> None:
        request, sheets, actor = self.request(), self.sheets, self.actor
        days = (request.last - request.first).days + 1
        self.bar.setRange(0, max(days, 1))
        self.bar.setValue(0)
        self.print_button.setEnabled(False)
        emit = self.progress.emit

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            show_error(self.bridge, exc)

        (self.background.op(lambda: sheets.print_batch(actor, request, emit), self)
         .success(self._printed).failure(failed).write())

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _printed(self, sheets: list[PrintedSheet]) -> None:
        self.print_button.setEnabled(True)
        units = sum(s.rows for s in sheets)
        if sheets:
            self.bridge.show(Message(Level.OK, self.tr("Sheets queued"),
                                     self.tr("%n sheets", "", len(sheets)) + ", " + self.tr("%n units", "", units),
                                     code="sheets_queued", sound="ok"))
        else:
            self.bridge.show(Message(Level.INFO, self.tr("Nothing to print"),
                                     self.tr("No units match these days and category."), code="sheets_empty"))
        self.printed.emit(len(sheets))  # the history follows the label jobs (ui.changes)

    def reprint_selected(self) -> None:
        job = selected_id(self.history)
        if job is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Pick a sheet to reprint.")))
            return
        sheets, actor = self.sheets, self.actor

        def done(_new: uuid.UUID) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Reprint queued"), "", code="sheet_reprinted", sound="ok"))

        (self.background.op(lambda: sheets.reprint(actor, uuid.UUID(job)), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())
