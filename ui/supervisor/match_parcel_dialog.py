"""Match a parcel without an RMA to its RMA, at the desk.

The supervisor types what the box says (order number, customer, tracking, a name); Enter
searches (``station.receiving.search``), Up/Down picks an RMA, the reason says how it was matched,
Enter in the reason (or Ctrl+Return, or the button) matches: ``ReceivingService.match_unknown`` closes the approval
and receives the parcel's units into that RMA, in one transaction. The dialog decides
nothing itself.

Signals: ``matched(str)`` -- the RMA number, after it is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.core.context import Actor
from station.receiving.search import RmaHit, RmaSearch, UnknownParcel
from station.receiving.service import MatchedParcel, ReceivingService
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.common import fill_table, make_table, selected_id


class MatchParcelDialog(QDialog):
    matched = Signal(str)

    def __init__(self, search: RmaSearch, receiving: ReceivingService, actor: Actor, background: Background,
                 bridge: MessageBridge, parcel: UnknownParcel, parent: QWidget | None = None, *,
                 print_lpns: Callable[[MatchedParcel], object] | None = None) -> None:
        super().__init__(parent)
        self.print_lpns = print_lpns
        self.search_service, self.receiving, self.actor = search, receiving, actor
        self.background, self.bridge, self.parcel = background, bridge, parcel
        self.setObjectName("matchParcelDialog")
        self.setWindowTitle(self.tr("Match parcel %1 to an RMA").replace("%1", parcel.scanned_code))
        self.query = QLineEdit(self)
        self.query.setObjectName("matchQuery")
        self.query.setPlaceholderText(self.tr("Order, customer, tracking or name, then Enter"))
        self.results = make_table(self)
        self.results.setObjectName("matchResults")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("matchReason")
        self.reason.setPlaceholderText(self.tr("How was it matched? (required)"))
        self.match_button = QPushButton(self.tr("Match and receive (Enter)"), self)
        self.match_button.setAutoDefault(False)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Parcel %1: find its RMA.").replace("%1", parcel.scanned_code), self))
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.match_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.resize(720, 420)
        self.query.returnPressed.connect(self.run_search)
        self.match_button.clicked.connect(self.match)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Enter in a field must not close the dialog (QDialog's default button behaviour).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.reason.hasFocus() or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.match()
            return
        super().keyPressEvent(event)

    def run_search(self) -> None:
        search, actor, text = self.search_service, self.actor, self.query.text()
        (self.background.op(lambda: search.search(actor, text), self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, hits: list[RmaHit]) -> None:
        columns = ("number", "order", "customer", "customer ref", "tracking", "state")
        rows = [(h.number, h.order_number, h.customer_name, h.customer_ref, h.tracking_number, h.state)
                for h in hits]
        fill_table(self.results, columns, rows, [h.number for h in hits], stretch="customer")
        if rows:
            self.results.selectRow(0)
            self.results.setFocus()
        self.status.setText(self.tr("%n open RMA(s) found", "", len(rows)))

    def match(self) -> None:
        number = selected_id(self.results)
        if number is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Search and pick an RMA first.")))
            return
        receiving, actor, receipt, reason = self.receiving, self.actor, self.parcel.receipt_id, self.reason.text()

        print_lpns = self.print_lpns

        def work() -> MatchedParcel:
            matched = receiving.match_unknown(actor, receipt, number, reason)
            if print_lpns is not None:  # queued for the printer: the parcel can be found at inspection
                print_lpns(matched)
            return matched

        def done(matched: MatchedParcel) -> None:
            lpns = ", ".join(u.lpn for u in matched.units)
            self.bridge.show(Message(Level.OK, self.tr("Parcel matched"),
                                     self.tr("Received into %1: %2.").replace("%1", matched.rma_number).replace(
                                         "%2", lpns),
                                     self.tr("Stick the LPN labels on the units and send them to QC."),
                                     code="parcel_matched", sound="ok"))
            self.matched.emit(matched.rma_number)
            self.accept()

        self.background.op(work, self).success(done).failure(lambda e: show_error(self.bridge, e)).write()
