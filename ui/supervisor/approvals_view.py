"""Approvals: the pending exceptions, approve or reject each with a reason.

Below, when an intake service is given, the return requests the policy sent to review
(``ui.supervisor.request_reviews``).

Keyboard: Up/Down picks an approval, type the reason, Ctrl+Return (or F9, or a scan of
``CMD:APPROVE`` from the command sheet) approves, Ctrl+Backspace (or F10, or ``CMD:REJECT``) rejects; the list follows the database (F4 again reloads). A parcel without an RMA is matched to its RMA
with Ctrl+M ("Match to RMA…", ``ui.supervisor.match_parcel_dialog``): search, pick, reason; its
units are received into that RMA. Ctrl+Shift+X cancels a return request (the one picked among
the requests for review, or an authorised one typed by its number) with the reason typed there. The permission check is the service's; a clerk who
somehow reaches this view gets the service's "not allowed" banner.

Signals: ``decided(str, bool)`` -- approval id and whether it was approved, after it is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from station.core.context import Actor
from station.intake.service import IntakeService
from station.receiving.search import RmaSearch, UnknownParcel
from station.receiving.service import MatchedParcel, ReceivingService
from station.supervision.approval_details import ApprovalDetail, ApprovalDetails
from station.supervision.approval_words import summary_words
from station.supervision.desk import QueueView, SupervisionService
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.keymap import action_for_scan, keys_for
from ui.supervisor.common import fill_table, make_table, selected_id
from ui.supervisor.match_parcel_dialog import MatchParcelDialog
from ui.supervisor.request_reviews import RequestReviewsPanel

log = logging.getLogger(__name__)

KEYMAP = "Approvals"  # the desk's rows in ui.keymap

#: Approval kinds in words (the list showed ``flagged_unit``).
KIND_WORDS = {"expired_rma": QT_TRANSLATE_NOOP("ApprovalsView", "Late parcel"),
              "flagged_unit": QT_TRANSLATE_NOOP("ApprovalsView", "Flagged unit"),
              "scrap": QT_TRANSLATE_NOOP("ApprovalsView", "Scrap"),
              "return_to_vendor": QT_TRANSLATE_NOOP("ApprovalsView", "Return to vendor"),
              "grade_override": QT_TRANSLATE_NOOP("ApprovalsView", "Grade override"),
              "unknown_parcel": QT_TRANSLATE_NOOP("ApprovalsView", "Parcel without RMA"),
              "photo_waiver": QT_TRANSLATE_NOOP("ApprovalsView", "Photo waived")}


def kind_words(kind: str) -> str:
    return QCoreApplication.translate("ApprovalsView", str(KIND_WORDS[kind])) if kind in KIND_WORDS else kind


class ApprovalsView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); pending approvals
    #: and the customer requests waiting for review.
    WATCHES = ("approvals", "units", "receipts", "rma_requests")

    decided = Signal(str, bool)

    def __init__(self, service: SupervisionService, actor: Actor, background: Background,
                 bridge: MessageBridge, parent: QWidget | None = None, *,
                 intake: IntakeService | None = None,
                 print_lpns: Callable[[MatchedParcel], object] | None = None) -> None:
        super().__init__(parent)
        self.print_lpns = print_lpns
        self.service, self.actor, self.background, self.bridge = service, actor, background, bridge
        self.setObjectName("supervisorApprovals")
        self.table = make_table(self)
        self.table.setObjectName("approvalsTable")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approvalReason")
        self.reason.setPlaceholderText(self.tr("Reason for the decision (required)"))
        self.approve_button = QPushButton(self.tr("Approve (F9)"), self)
        self.reject_button = QPushButton(self.tr("Reject (F10)"), self)
        self.match_button = QPushButton(self.tr("Match to RMA… (Ctrl+M)"), self)
        self.match_button.setObjectName("matchParcelButton")
        self.match_button.setEnabled(False)
        self.match_dialog: MatchParcelDialog | None = None
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.match_button)
        self.detail = QLabel(self)
        self.detail.setObjectName("approvalDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setMinimumWidth(320)
        self.detail_photos = QHBoxLayout()
        pane = QVBoxLayout()
        pane.addWidget(self.detail, 1)
        pane.addLayout(self.detail_photos)
        middle = QHBoxLayout()
        # The list gets two thirds: at 1280 x 800 the summary column was cut to "Parcel …".
        middle.addWidget(self.table, 2)
        middle.addLayout(pane, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>Pending approvals</b>"), self))
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        # Return requests the policy sent to review (issue 13): a panel of their own, since they
        # are decided with the customer's photos, order and history, not with one reason line.
        self.requests: RequestReviewsPanel | None = None
        if intake is not None:
            self.requests = RequestReviewsPanel(intake, actor, background, bridge, self)
            layout.addWidget(self.requests, 2)
        # Button, key (from ui.keymap) and command scan all go through ``do``: one action each.
        desk_buttons = [(self.approve_button, "approve"), (self.reject_button, "reject"),
                        (self.match_button, "match")]
        if self.requests is not None:
            desk_buttons.append((self.requests.cancel_button, "cancel_request"))
        for button, action in desk_buttons:
            button.setProperty("action", action)
            button.clicked.connect(lambda _checked=False, a=action: self.do(a))
        for action in self.desk_actions():
            for key in keys_for(KEYMAP, action):
                QShortcut(QKeySequence(key), self, lambda a=action: self.do(a),
                          context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._view: QueueView | None = None
        self.details = ApprovalDetails(service.ctx)
        self.chinese = False  # names and flags in the UI language (set by the window)
        self.table.currentCellChanged.connect(lambda *_: self.show_detail())

    def desk_actions(self) -> dict[str, Callable[[], None]]:
        """The desk's actions by their ``ui.keymap`` names (keys, buttons and command scans)."""
        actions = {"approve": lambda: self.decide(True), "reject": lambda: self.decide(False),
                   "match": self.open_match}
        if self.requests is not None:  # only with an intake service (the desk of a site taking requests)
            actions["cancel_request"] = self.requests.cancel
        return actions

    def do(self, action: str) -> None:
        """Do one of ``desk_actions()``: what a button click, its key and its command scan share."""
        self.desk_actions()[action]()

    def handle_command(self, scan: str) -> bool:
        """``CMD:APPROVE`` / ``CMD:REJECT`` decide the selected approval with the reason typed,
        as F9 / F10 do; ``False`` for a command that is not this desk's."""
        action = action_for_scan(KEYMAP, scan)
        if action is None or action not in self.desk_actions():
            return False
        self.do(action)
        return True

    def refresh(self) -> None:
        if self.requests is not None:
            self.requests.refresh()
        service, actor = self.service, self.actor
        (self.background.op(lambda: service.queue(actor, "approvals"), self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, view: QueueView) -> None:
        self._view = view
        at = view.columns.index("kind") if "kind" in view.columns else -1
        said = view.columns.index("summary") if "summary" in view.columns else -1
        locale = "zh" if self.chinese else "en"  # the summary rebuilt in the desk's language
        rows = [tuple(kind_words(v) if n == at else summary_words(str(v), locale) if n == said else v
                      for n, v in enumerate(row)) for row in view.rows]
        fill_table(self.table, view.columns, rows, view.ids, stretch="summary")
        self.show_detail()
        self.status.setText(self.tr("%n pending", "", len(view.rows)))
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):  # a reload leaves a half-typed reason alone
            self.table.setFocus()

    def show_detail(self) -> None:
        """The detail pane: the unit, its flags in words, failed answers and photos."""
        approval_id = selected_id(self.table)
        if approval_id is None:
            self._fill_detail(None)
            return
        details, actor = self.details, self.actor
        (self.background.op(lambda: details.detail(actor, approval_id), self)
         .success(self._fill_detail).failure(lambda e: show_error(self.bridge, e)).read())

    def _fill_detail(self, detail: ApprovalDetail | None) -> None:
        while self.detail_photos.count():
            item = self.detail_photos.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._detail_kind = detail.kind if detail is not None else ""
        self.match_button.setEnabled(self._detail_kind == "unknown_parcel")
        if detail is None:
            self.detail.setText("")
            return
        zh = self.chinese
        parts = [f"<b>{kind_words(detail.kind)}</b>", summary_words(detail.summary, "zh" if zh else "en"),
                 self.tr("Requested by %1").replace("%1", detail.requested_by)]
        if detail.lpn:
            name = detail.product_zh if zh and detail.product_zh else detail.product_en
            parts.append(f"<b>{detail.lpn}</b> {name}" + (f" · {self.tr('grade')} {detail.grade}" if detail.grade else ""))
        if detail.flags:
            parts.append(self.tr("Flags") + ": " + "; ".join(zh_en[1 if zh else 0] for zh_en in detail.flags))
        for line in detail.failed:
            parts.append("✗ " + (line.question_zh if zh else line.question_en) + f" — {line.answer}")
        self.detail.setText("<br>".join(parts))
        for path in detail.photos[:3]:
            label = QLabel(self)
            pixmap = QPixmap(str(path))
            if pixmap.isNull():
                label.setText(path.name[:12])
            else:
                label.setPixmap(pixmap.scaledToHeight(96, Qt.TransformationMode.SmoothTransformation))
            self.detail_photos.addWidget(label)
        self.detail_photos.addStretch(1)

    def open_match(self) -> None:
        """Match the selected parcel without an RMA (the dialog asks the station)."""
        approval_id = selected_id(self.table)
        if approval_id is None or getattr(self, "_detail_kind", "") != "unknown_parcel":
            self.bridge.show(Message(Level.WARNING, self.tr("Not a parcel without RMA"),
                                     self.tr("Pick a “Parcel without RMA” approval to match it.")))
            return
        ctx, actor = self.service.ctx, self.actor
        search = RmaSearch(ctx)

        def opened(parcel: UnknownParcel) -> None:
            dialog = self.match_dialog = MatchParcelDialog(search, ReceivingService(ctx), actor, self.background,
                                                           self.bridge, parcel, self, print_lpns=self.print_lpns)
            dialog.matched.connect(lambda _number: self.decided.emit(approval_id, True))
            dialog.open()
            dialog.query.setFocus()

        (self.background.op(lambda: search.unknown_parcel(actor, approval_id), self)
         .success(opened).failure(lambda e: show_error(self.bridge, e)).read())

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
            self.decided.emit(approval_id, approve)  # the list follows the commit (ui.changes)

        (self.background.op(lambda: service.decide(actor, approval_id, approve, reason), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())
