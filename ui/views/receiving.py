"""Receiving: scan a parcel -> its RMA card -> Enter (or CMD:CONFIRM) -> receipt + LPN labels.

Pages (``ui.receiving_flow.Page``): waiting for a scan; a card waiting for Enter; an unknown
code or a cancelled/closed RMA that F9 (and, for the RMA, Enter) quarantines; a late parcel
waiting for a supervisor's reason. What a scan or key does is decided by the Qt-free
``ReceivingFlow``; keys come from ``ui.keymap``. Every result is a banner with its colour,
sound and next step; database work runs in the background.

While a card is open the clerk may add, all optional: the weight (typed, or from the scale
in settings, F2 again), the condition (Alt+1..4) and item checks (``station.receiving.item_checks``).
Another parcel scanned over such unsaved work asks first. A normal parcel stays 1 scan + 1 Enter.

Signals: ``card_shown(RmaCard)``, ``receipt_done(ReceiptResult)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.core.errors import InvalidInput
from station.core.permissions import Permission, can
from station.receiving.service import AcceptReasonNeeded, ParcelInput, ReceivingService
from station.receiving.views import ReceiptOutcome, ReceiptResult
from station.scanning.classify import ScanMeaning
from ui.bridge import Level, Message
from ui.changes import follow
from ui.errors import show_error
from ui.receiving_flow import EnterAct, ReceivingFlow, ScanAct
from ui.shell import Shell
from ui.views.receiving_approval import ApprovalActions
from ui.views.receiving_cards import CardActions
from ui.views.receiving_results import ResultActions
from ui.views.receiving_scale import ScaleActions
from ui.widgets.approval_panel import ApprovalPanel
from ui.widgets.banner import Banner
from ui.widgets.camera_preview import attach_to_receiving
from ui.widgets.key_footer import KeyFooter
from ui.widgets.key_names import key_name
from ui.widgets.lpn_list import LpnList
from ui.widgets.parcel_panel import ParcelPanel
from ui.widgets.rma_card import RmaCardWidget
from ui.widgets.scan_layout import scan_prompt, scan_view_layout

log = logging.getLogger(__name__)


class ReceivingView(CardActions, ApprovalActions, ResultActions, ScaleActions, QWidget):
    card_shown = Signal(object)
    receipt_done = Signal(object)

    def __init__(self, shell: Shell, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivingView")
        self.shell, self.actor = shell, actor
        self.service = ReceivingService(shell.ctx)
        self.can_approve = can(actor, Permission.APPROVE)
        self.flow = ReceivingFlow(shell.ctx.policy, shell.classifier, self.can_approve)
        self.scale = None

        self.prompt, self.code = scan_prompt(self, self.tr("Scan the parcel's RMA or tracking barcode"),
                                             self.tr("…or type it here and press Enter"), 64)
        self.banner = Banner(self)
        self.card = RmaCardWidget(shell.language, self)
        self.parcel = ParcelPanel(self)
        self.approvals = ApprovalPanel(self)
        self.lpns = LpnList(shell.language, self)
        self.last_parcel = QLabel(self)  # the last confirmed parcel's outcome, until the next is confirmed
        self.last_parcel.setObjectName("lastParcel")
        self.last_parcel.setWordWrap(True)
        self.last_parcel.setVisible(False)
        self.keys = KeyFooter("Receiving", shell.language.startswith("zh"), self)

        layout = scan_view_layout(self, self.prompt, self.code, self.banner)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.card, 1)
        middle.addWidget(self.approvals)
        layout.addLayout(middle, 1)
        layout.addWidget(self.parcel)
        layout.addWidget(self.lpns)
        layout.addWidget(self.last_parcel)
        layout.addStretch(0)
        layout.addWidget(self.keys)
        self.setFocusProxy(self.code)
        self.card.count_changed.connect(self._recount)
        for field in (self.code, self.parcel.weight, self.parcel.condition, self.approvals.list,
                      self.approvals.reason):
            field.installEventFilter(self)  # Alt+W / Alt+1..4 reach the view, not the field's text
        self._open_scale(str(shell.settings.get("scale.uri")))
        self.arrivals = attach_to_receiving(self)  # hands-free receiving (camera.arrivals)
        if self.can_approve:  # the late-parcel list follows the receipts and approvals (ui.changes)
            self.refresh_approvals()
            self.follower = follow(self, shell.changes, ("receipts", "approvals"), self.refresh_approvals)

    # --- the flow's state, for callers and tests -----------------------------------------
    pending_code = property(lambda self: self.flow.pending_code)
    unknown_code = property(lambda self: self.flow.unknown_code)
    held_receipt = property(lambda self: self.flow.held_receipt)
    checks = property(lambda self: self.flow.checks)
    busy = property(lambda self: self.flow.busy)

    def shutdown(self) -> None:
        """The view is going away (sign-out, new settings): end the scale thread."""
        if self.arrivals is not None:
            self.arrivals.stop()
        if self.scale is not None:
            self.scale.stop()
            self.scale = None

    # --- input --------------------------------------------------------------------------
    def handle_scan(self, scan: Scan, meaning: ScanMeaning | None = None) -> None:
        """A scan the main window classified (``meaning``); typed codes are classified here."""
        meaning = meaning or self.shell.classifier.classify(scan.text, scan.symbology)
        act, code = self.flow.on_scan(meaning)
        if act is ScanAct.WRONG_COMMAND:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Not a receiving command"), scan.text.strip(),
                                           self.tr("Scan CMD:CONFIRM or an RMA barcode."), code="wrong_command",
                                           sound="error"))
        elif act is ScanAct.ITEM and self.flow.checks is not None:
            self._item_scan(self.flow.checks.take(meaning))
        elif act is ScanAct.REPRINT:
            self.reprint(code)
        elif act is ScanAct.LOOK_UP:
            self.look_up(scan.text)
        else:  # CONFIRM, QUARANTINE, ESCAPE, ASK_REPRINT
            getattr(self, {ScanAct.CONFIRM: "confirm", ScanAct.QUARANTINE: "quarantine", ScanAct.ESCAPE: "escape",
                           ScanAct.ASK_REPRINT: "ask_reprint"}[act])()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            return self._do(key_name(event))
        if obj is self.approvals.list and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected_approval()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if not self._do(key_name(event)):
            super().keyPressEvent(event)
            return
        event.accept()

    def _do(self, key: str) -> bool:
        """Do what ``ui.keymap`` binds ``key`` to here; False when it binds nothing."""
        action = self.flow.key_action(key)
        if action == "confirm":
            typed = self.code.text().strip()
            self.code.clear()
            self.handle_scan(Scan(typed, source="keyboard")) if typed else self.confirm()
        elif action == "weight_field":
            self.parcel.weight.setFocus()
            self.parcel.weight.selectAll()
        elif action == "count_field":
            self.card.focus_next_count()
        elif action == "condition":
            self.parcel.pick_condition(int(key[-1]))
        elif action == "approvals_list" and self.can_approve and self.approvals.list.count():
            self.approvals.list.setFocus()
        elif action in ("escape", "quarantine", "weigh"):
            getattr(self, action)()
        else:
            return False
        return True

    def _recount(self, line_no: int) -> None:
        """A lowered count drops the checks of the items no longer counted (``ItemChecks``)."""
        checks = self.flow.checks
        if checks is None:
            return
        checks.recount(line_no)
        for line in checks.card.lines:
            self.card.set_check(line.line_no, *checks.summary(line))

    # --- parcels ------------------------------------------------------------------------
    def confirm(self) -> None:
        act = self.flow.enter_act()
        if act is EnterAct.APPROVE:
            self.approve()
        elif act is EnterAct.QUARANTINE:
            self.quarantine()
        elif act is EnterAct.NOTHING:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Nothing to confirm"), "",
                                           self.tr("Scan the parcel first."), code="nothing_pending", sound="error"))
        elif act is EnterAct.RECEIVE:
            self._receive()

    def _receive(self) -> None:
        code, actor, service, labels, now = self.flow.pending_code, self.actor, self.service, self.shell.labels, \
            self.shell.ctx.now
        if code is None:
            return
        try:
            weight = self.parcel.weight_g()
        except InvalidInput as exc:
            show_error(self.shell.bridge, exc)
            self.parcel.weight.setFocus()
            return
        checks = self.flow.checks
        parcel = ParcelInput(weight_g=weight, condition=self.parcel.condition_value(), quantities=self.card.counted(),
                             items=checks.items if checks is not None else {},
                             accept_reason=self.approvals.reason.text() if self.flow.accept_needed else "")

        def work() -> tuple[ReceiptResult, BaseException | None]:
            result = service.receive(actor, code, parcel)
            if result.outcome == ReceiptOutcome.DUPLICATE:
                return result, None
            try:
                labels.print_lpns(result.rma_number, result.units, now())
            except Exception as exc:  # noqa: BLE001 - the receipt stands; the label is retried by hand
                return result, exc
            return result, None

        self.flow.busy = True
        self.shell.background.op(work, self).success(self._received).failure(self._receive_failed).write()

    def _received(self, done: tuple[ReceiptResult, BaseException | None]) -> None:
        self.flow.busy = False
        result, print_error = done
        waiting = self.flow.received(result)
        self._drop_approval()
        self.parcel.setVisible(False)
        self.show_result(result)
        if print_error is not None:
            show_error(self.shell.bridge, print_error, title=self.tr("Labels not queued"))
        self.receipt_done.emit(result)
        if waiting is not None:
            self.look_up(waiting)

    def _receive_failed(self, exc: BaseException) -> None:
        self.flow.busy = False
        show_error(self.shell.bridge, exc)
        if isinstance(exc, AcceptReasonNeeded) and self.flow.reason_refused():
            self.approvals.show_reason(True)

    def quarantine(self) -> None:
        code, actor, service = self.flow.quarantine_code(), self.actor, self.service
        if code is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Nothing to quarantine"), "",
                                           self.tr("Scan the unknown parcel first."), code="nothing_pending",
                                           sound="error"))
            return
        self.flow.busy = True
        self.shell.background.op(lambda: service.quarantine_unknown(actor, code), self).success(
            lambda r: self._received((r, None))).failure(self._receive_failed).write()

    def escape(self) -> None:
        """Esc / CMD:CANCEL: clear the card; a parcel scanned over it is looked up now."""
        waiting = self.flow.escape()
        self.reset()
        if waiting is not None:
            self.look_up(waiting)

    def reset(self) -> None:
        self.flow.reset()
        self._drop_approval()
        self.parcel.reset()
        self.parcel.setVisible(False)
        self.card.clear()
        self.lpns.clear()
        self.lpns.setVisible(False)
        self.banner.clear()
        self.code.clear()
