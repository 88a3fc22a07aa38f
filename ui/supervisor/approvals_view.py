"""Approvals: the pending exceptions, approve or reject each with a reason.

Below, when an intake service is given, the return requests the policy sent to review
(``ui.supervisor.request_reviews``).

Keyboard: Up/Down picks an approval, type the reason, Ctrl+Return (or F9) approves,
Ctrl+Backspace (or F10) rejects, F5 reloads. The permission check is the service's; a clerk who
somehow reaches this view gets the service's "not allowed" banner.

Signals: ``decided(str, bool)`` -- approval id and whether it was approved, after it is saved.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.context import Actor
from station.intake.service import IntakeService
from station.supervision import QueueView, SupervisionService
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.common import fill_table, make_table, selected_id
from ui.supervisor.request_reviews import RequestReviewsPanel

log = logging.getLogger(__name__)


class ApprovalsView(QWidget):
    decided = Signal(str, bool)

    def __init__(self, service: SupervisionService, actor: Actor, background: Background,
                 bridge: MessageBridge, parent: QWidget | None = None, *,
                 intake: IntakeService | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor, self.background, self.bridge = service, actor, background, bridge
        self.setObjectName("supervisorApprovals")
        self.table = make_table(self)
        self.table.setObjectName("approvalsTable")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approvalReason")
        self.reason.setPlaceholderText(self.tr("Reason for the decision (required)"))
        self.approve_button = QPushButton(self.tr("Approve (F9)"), self)
        self.reject_button = QPushButton(self.tr("Reject (F10)"), self)
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>Pending approvals</b>"), self))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        # Return requests the policy sent to review (issue 13): a panel of their own, since they
        # are decided with the customer's photos, order and history, not with one reason line.
        self.requests: RequestReviewsPanel | None = None
        if intake is not None:
            self.requests = RequestReviewsPanel(intake, actor, background, bridge, self)
            layout.addWidget(self.requests, 2)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        for keys, approve in (("Ctrl+Return", True), ("F9", True), ("Ctrl+Backspace", False), ("F10", False)):
            QShortcut(QKeySequence(keys), self, lambda a=approve: self.decide(a),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._view: QueueView | None = None

    def refresh(self) -> None:
        if self.requests is not None:
            self.requests.refresh()
        service, actor = self.service, self.actor
        (self.background.op(lambda: service.queue(actor, "approvals"), self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, view: QueueView) -> None:
        self._view = view
        fill_table(self.table, view.columns, view.rows, view.ids, stretch="summary")
        self.status.setText(self.tr("%n pending", "", len(view.rows)))
        self.table.setFocus()

    def decide(self, approve: bool) -> None:
        approval_id = selected_id(self.table)
        if approval_id is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"),
                                     self.tr("Pick an approval first.")))
            return
        reason = self.reason.text()
        service, actor = self.service, self.actor

        def done(_state: object) -> None:
            word = self.tr("Approved") if approve else self.tr("Rejected")
            self.bridge.show(Message(Level.OK, word, reason.strip(), code="approval_decided", sound="ok"))
            self.reason.clear()
            self.decided.emit(approval_id, approve)
            self.refresh()

        (self.background.op(lambda: service.decide(actor, approval_id, approve, reason), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())
