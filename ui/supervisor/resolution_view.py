"""Resolution desk: the RMAs ready for a customer resolution, what the rules propose, and the
resolutions already issued (by people and by the policy).

Each queue row shows the proposal (kind, amount after restocking fees, gross and fee), the
grades, the customer's returns and flags, who may issue it and why, in the UI language. The
service (``station.resolution.service``) decides and checks permissions; this view only asks.

Keyboard: Up/Down picks an RMA; Ctrl+Return issues as proposed; Alt+K picks another kind,
Alt+M the amount, Alt+R the reason, then Ctrl+Shift+Return issues the adjustment;
Ctrl+Backspace rejects with the reason (the customer reads it); Alt+H goes to the history;
The window's F1 brings the tab to the front (again: reloads); it also follows the database.

Signals: ``issued(str, str)`` -- RMA number and the kind issued, after it is saved.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from station.core.context import Actor
from station.receiving.flags import FLAG_TEXT, FlagCode
from station.models import ResolutionKind, ResolutionState
from station.resolution.commitments import void_words
from station.resolution.queue import HistoryRow, QueuePage, ResolutionQueue
from station.resolution.service import ResolutionService
from station.sync.fence import HELD, HELD_ZH
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.common import cell_text, make_table, selected_id

log = logging.getLogger(__name__)

PAGE = 50


def chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


class ResolutionView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); the queue and the
    #: history of issued resolutions.
    WATCHES = ("resolution_queue", "resolutions", "rmas", "dispositions")

    issued = Signal(str, str)

    def __init__(self, queue: ResolutionQueue, service: ResolutionService, actor: Actor,
                 background: Background, bridge: MessageBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue, self.service, self.actor = queue, service, actor
        self.background, self.bridge = background, bridge
        self.setObjectName("supervisorResolution")
        self.title = QLabel(self)
        self.table = make_table(self)
        self.table.setObjectName("resolutionTable")
        self.kind = QComboBox(self)
        self.kind.setObjectName("resolutionKind")
        for text, value in ((self.tr("Refund"), ResolutionKind.REFUND), (self.tr("Exchange"), ResolutionKind.EXCHANGE),
                            (self.tr("Compensation"), ResolutionKind.COMPENSATION)):
            self.kind.addItem(text, value)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("resolutionAmount")
        self.amount.setPlaceholderText(self.tr("Amount"))
        self.amount.setMaximumWidth(140)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("resolutionReason")
        self.reason.setPlaceholderText(self.tr("Reason (required to adjust or reject; a rejection is sent to the customer)"))
        self.issue_button = QPushButton(self.tr("Issue as proposed (Ctrl+Return)"), self)
        self.adjust_button = QPushButton(self.tr("Adjust (Ctrl+Shift+Return)"), self)
        self.reject_button = QPushButton(self.tr("Reject (Ctrl+Backspace)"), self)
        self.reject_confirm: QMessageBox | None = None
        self.why = QLabel(self)
        self.why.setObjectName("resolutionWhy")
        self.why.setWordWrap(True)
        self.history = make_table(self)
        self.history.setObjectName("resolutionHistory")
        self.keys = QLabel(self.tr("F1: resolution   ·   Ctrl+Return: issue as proposed   ·   Alt+K / Alt+M / Alt+R: "
                                   "kind / amount / reason, Ctrl+Shift+Return: adjust   ·   Ctrl+Backspace: reject"
                                   "   ·   Alt+H: history"), self)
        self.keys.setObjectName("keyHints")
        self.keys.setWordWrap(True)
        actions = QHBoxLayout()
        for label, widget in ((self.tr("&Kind"), self.kind), (self.tr("A&mount"), self.amount),
                              (self.tr("&Reason"), self.reason)):
            buddy = QLabel(label, self)
            buddy.setBuddy(widget)
            actions.addWidget(buddy)
            actions.addWidget(widget, 1 if widget is self.reason else 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.adjust_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        history_label = QLabel(self.tr("&History: resolutions issued (by people and by the policy)"), self)
        history_label.setBuddy(self.history)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.why)
        layout.addLayout(actions)
        layout.addLayout(buttons)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 2)
        layout.addWidget(self.keys)
        self.issue_button.clicked.connect(self.issue_as_proposed)
        self.adjust_button.clicked.connect(self.adjust)
        self.reject_button.clicked.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._selected)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+Return", self.issue_as_proposed), ("Ctrl+Enter", self.issue_as_proposed),
                           ("Ctrl+Shift+Return", self.adjust), ("Ctrl+Shift+Enter", self.adjust),
                           ("Ctrl+Backspace", self.reject)):
            QShortcut(QKeySequence(keys), self, slot, context=context)
        self._page: QueuePage | None = None
        self.setFocusProxy(self.table)

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        queue = self.queue
        (self.background.op(lambda: (queue.page(PAGE), queue.history(PAGE)), self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, result: tuple[QueuePage, list[HistoryRow]]) -> None:
        page, history = result
        self._page = page
        zh = chinese()
        self.title.setText(self.tr("<b>Ready to resolve: %1</b> (oldest first; %2 shown)")
                           .replace("%1", str(page.total)).replace("%2", str(len(page.rows))))
        headers = [self.tr("RMA"), self.tr("Customer"), self.tr("Proposed"), self.tr("Amount"), self.tr("Gross"),
                   self.tr("Fee"), self.tr("Grades"), self.tr("Returns"), self.tr("Flags"), self.tr("Who issues")]
        rows = []
        for r in page.rows:
            p = r.proposal
            who = self.tr("policy") if r.auto else (self.tr("supervisor") if p.needs_supervisor
                                                     else self.tr("inspector"))
            rows.append([r.rma, r.customer, self._kind_name(p.kind), f"{cell_text(p.amount)} {p.currency}",
                         f"{cell_text(p.gross)} {p.currency}", f"{cell_text(p.fee)} {p.currency}", "/".join(r.grades),
                         f"{r.history.returns} · {r.history.rate_zh if zh else r.history.rate_en}",
                         ", ".join(self._flag(f) for f in r.unit_flags + r.history.flags), who])
        self._fill(self.table, headers, rows, [r.rma for r in page.rows], stretch=8)
        self._selected()
        self._fill(self.history,
                   [self.tr("Issued at"), self.tr("RMA"), self.tr("Kind"), self.tr("Amount"), self.tr("By"),
                    self.tr("Reason"), self.tr("Closed")],
                   [[h.resolved_at, h.rma, self._kind_name(h.kind), f"{cell_text(h.amount)} {h.currency}",
                     self.tr("policy (automatic)") if h.automatic else h.decided_by,
                     self._history_reason(h),
                     self.tr("yes") if h.closed else self.tr("no")] for h in history],
                   [h.rma for h in history], stretch=5)
        self.table.setFocus()

    @staticmethod
    def _fill(table: QTableWidget, headers: list[str], rows: list[list[object]], ids: list[str],
              stretch: int) -> None:
        from PySide6.QtWidgets import QHeaderView, QTableWidgetItem

        from ui.supervisor.common import ID_ROLE

        keep, keep_row = selected_id(table), table.currentRow()
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(cell_text(value))
                if isinstance(value, Decimal) or (c == 3 and table.objectName() == "resolutionTable"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 0:
                    item.setData(ID_ROLE, ids[r])
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        for n in range(len(headers)):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch if n == stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        if rows:
            # The same RMA if it is still listed; after it was issued, the one that took its
            # place (never a jump to the top, where the next Ctrl+Return settles another RMA).
            row = ids.index(keep) if keep in ids else min(max(keep_row, 0), len(rows) - 1)
            table.selectRow(row)

    def _history_reason(self, h: HistoryRow) -> str:
        """What the supervisor reads about a resolution: a void says who resolved it first; a
        pending one that central has not confirmed it yet (the customer is not told before)."""
        if h.state == ResolutionState.VOIDED:
            return self.tr("VOID: %1").replace("%1", void_words(h.void_reason, chinese()))
        said = self.tr("Routine refund issued by the return policy.") if h.automatic else h.reason
        if h.state == ResolutionState.PENDING:
            waiting = self.tr("Waiting for central to confirm (the customer is told after): %1").replace("%1", said)
            if h.waiting:  # central said why it waits (its fence after a restore from a backup)
                waiting += " - " + (HELD_ZH if chinese() and h.waiting == HELD else h.waiting)
            return waiting
        return said

    def _kind_name(self, kind: ResolutionKind) -> str:
        return {ResolutionKind.REFUND: self.tr("Refund"), ResolutionKind.EXCHANGE: self.tr("Exchange"),
                ResolutionKind.COMPENSATION: self.tr("Compensation"),
                ResolutionKind.REJECTED: self.tr("Rejected")}[kind]

    @staticmethod
    def _flag(code: str) -> str:
        try:
            en, zh = FLAG_TEXT[FlagCode(code)]
        except ValueError:
            return code.replace("_", " ")
        return zh if chinese() else en

    def _selected(self) -> None:
        row = self._row()
        if row is None:
            self.why.setText(self.tr("Nothing waits for a resolution.") if self._page and not self._page.rows else "")
            return
        self.why.setText(row.why_zh if chinese() else row.why_en)
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind)))
        self.amount.setText(str(row.proposal.amount))

    def _row(self):  # type: ignore[no-untyped-def]
        number = selected_id(self.table)
        if number is None or self._page is None:
            return None
        return next((r for r in self._page.rows if r.rma == number), None)

    # ------------------------------------------------------------------ acting

    def _run(self, fn, number: str, word: str) -> None:  # type: ignore[no-untyped-def]
        def done(result) -> None:  # type: ignore[no-untyped-def]
            self.bridge.show(Message(Level.OK, word, f"{number}: {self._kind_name(result.kind)} "
                                     f"{cell_text(result.amount)} {result.currency}", code="resolution_issued",
                                     sound="ok"))
            self.reason.clear()
            self.issued.emit(number, result.kind.value)  # the queue follows the commit (ui.changes)

        (self.background.op(fn, self).success(done).failure(lambda e: show_error(self.bridge, e)).write())

    def _pick(self) -> str | None:
        number = selected_id(self.table)
        if number is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Pick an RMA first."),
                                     code="nothing_selected"))
        return number

    def issue_as_proposed(self) -> None:
        number = self._pick()
        if number is None:
            return
        service, actor = self.service, self.actor
        self._run(lambda: service.issue(actor, number), number, self.tr("Resolution issued"))

    def adjust(self) -> None:
        number = self._pick()
        if number is None:
            return
        kind = self.kind.currentData()
        text = self.amount.text().strip().replace(",", "")
        try:
            amount = Decimal(text) if text else None
        except InvalidOperation:
            self.bridge.show(Message(Level.WARNING, self.tr("Check the input"),
                                     self.tr("%1 is not an amount.").replace("%1", text),
                                     self.tr("Type it like 280.00."), code="bad_amount"))
            return
        row = self._row()
        if row is not None and amount == row.proposal.amount:
            amount = None  # only the kind changes
        service, actor, note = self.service, self.actor, self.reason.text()
        self._run(lambda: service.issue(actor, number, kind=kind, adjusted_amount=amount, note=note),
                  number, self.tr("Adjusted resolution issued"))

    def reject(self) -> None:
        number = self._pick()
        if number is None:
            return
        reason = self.reason.text()
        if not reason.strip():
            self.bridge.show(Message(Level.WARNING, self.tr("Reason needed"),
                                     self.tr("Type why the return is rejected; the customer reads it."),
                                     code="reason_needed"))
            self.reason.setFocus()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Reject the return?"),
                          self.tr("Reject RMA %1? The customer is told: “%2”").replace("%1", number).replace(
                              "%2", reason.strip()),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("rejectConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Reject (Y)"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep it (N)"))
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter alone never rejects
        box.button(QMessageBox.StandardButton.Yes).setShortcut(QKeySequence("Y"))
        box.button(QMessageBox.StandardButton.No).setShortcut(QKeySequence("N"))
        service, actor = self.service, self.actor

        def answered(_code: int) -> None:
            self.reject_confirm = None
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self._run(lambda: service.issue(actor, number, reject_reason=reason), number,
                          self.tr("Return rejected"))

        box.finished.connect(answered)
        self.reject_confirm = box
        box.open()
