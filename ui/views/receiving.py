"""Receiving: scan a parcel -> its RMA card -> Enter (or CMD:CONFIRM) -> receipt + LPN labels.

Pages (``ui.receiving_flow.Page``): waiting for a scan; a card waiting for Enter; an unknown
code or a cancelled/closed RMA that F9 (and, for the RMA, Enter) quarantines; a late parcel
waiting for a supervisor's reason. What a scan or key does is decided by the Qt-free
``ReceivingFlow``; keys come from ``ui.keymap``. Every result is a banner with its colour,
sound and next step; database work runs in the background.

While a card is open the clerk may add, all optional: the weight (typed, or from the scale
in settings, F2 again), the condition (Alt+1..4) and item checks (``station.receiving_checks``).
Another parcel scanned over such unsaved work asks first. A normal parcel stays 1 scan + 1 Enter.

Signals: ``card_shown(RmaCard)``, ``receipt_done(ReceiptResult)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QWidget

from drivers.scanners.scan import Scan
from station.context import Actor
from station.errors import DeviceError, InvalidInput, NotFound
from station.permissions import Permission, can
from station.receiving import ParcelInput, ReceivingService
from station.rma_views import ReceiptOutcome, ReceiptResult, RmaCard
from station.scanning import ScanMeaning
from ui.bridge import Level, Message
from ui.errors import show_error
from ui.keymap import footer
from ui.receiving_flow import CardNext, EnterAct, ReceivingFlow, ScanAct
from ui.scale import ScaleReader, parse_scale_uri
from ui.shell import Shell
from ui.views.receiving_approval import ApprovalActions
from ui.views.receiving_results import ResultActions
from ui.widgets.approval_panel import ApprovalPanel
from ui.widgets.banner import Banner
from ui.widgets.camera_preview import attach_to_receiving
from ui.widgets.key_names import key_name
from ui.widgets.parcel_panel import ParcelPanel
from ui.widgets.rma_card import RmaCardWidget
from ui.widgets.scan_layout import scan_view_layout

log = logging.getLogger(__name__)


class ReceivingView(ApprovalActions, ResultActions, QWidget):
    card_shown = Signal(object)
    receipt_done = Signal(object)

    def __init__(self, shell: Shell, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivingView")
        self.shell, self.actor = shell, actor
        self.service = ReceivingService(shell.ctx)
        self.can_approve = can(actor, Permission.APPROVE)
        self.flow = ReceivingFlow(shell.ctx.policy, shell.classifier, self.can_approve)
        self.scale: ScaleReader | None = None

        self.prompt = QLabel(self.tr("Scan the parcel's RMA or tracking barcode"), self)
        self.prompt.setObjectName("prompt")
        self.code = QLineEdit(self)
        self.code.setObjectName("codeEntry")
        self.code.setPlaceholderText(self.tr("…or type it here and press Enter"))
        self.code.setMaxLength(64)
        self.banner = Banner(self)
        self.card = RmaCardWidget(shell.language, self)
        self.parcel = ParcelPanel(self)
        self.approvals = ApprovalPanel(self)
        self.lpns = QListWidget(self)
        self.lpns.setObjectName("lpnList")
        self.lpns.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lpns.setVisible(False)
        self.keys = QLabel(footer("Receiving", shell.language.startswith("zh")), self)
        self.keys.setWordWrap(True)
        self.keys.setObjectName("keys")

        layout = scan_view_layout(self, self.prompt, self.code, self.banner)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(self.card, 1)
        middle.addWidget(self.approvals)
        layout.addLayout(middle, 1)
        layout.addWidget(self.parcel)
        layout.addWidget(self.lpns)
        layout.addStretch(0)
        layout.addWidget(self.keys)
        self.setFocusProxy(self.code)
        for field in (self.code, self.parcel.weight, self.parcel.condition, self.approvals.list,
                      self.approvals.reason):
            field.installEventFilter(self)  # Alt+W / Alt+1..4 reach the view, not the field's text
        self._open_scale(str(shell.settings.get("scale.uri")))
        self.arrivals = attach_to_receiving(self)  # hands-free receiving (camera.arrivals)
        if self.can_approve:
            self.refresh_approvals()

    # --- the flow's state, for callers and tests -----------------------------------------
    pending_code = property(lambda self: self.flow.pending_code)
    unknown_code = property(lambda self: self.flow.unknown_code)
    held_receipt = property(lambda self: self.flow.held_receipt)
    checks = property(lambda self: self.flow.checks)
    busy = property(lambda self: self.flow.busy)

    def _open_scale(self, uri: str) -> None:
        if not uri:
            return
        try:
            self.scale = ScaleReader(parse_scale_uri(uri), self)
        except Exception as exc:  # noqa: BLE001 - a bad scale setting must not stop receiving
            show_error(self.shell.bridge, exc)
            return
        self.scale.weighed.connect(self._weighed)
        self.scale.failed.connect(self._scale_failed)

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
        elif action == "condition":
            self.parcel.pick_condition(int(key[-1]))
        elif action == "approvals_list" and self.can_approve and self.approvals.list.count():
            self.approvals.list.setFocus()
        elif action in ("escape", "quarantine", "weigh"):
            getattr(self, action)()
        else:
            return False
        return True

    # --- parcels ------------------------------------------------------------------------
    def has_unsaved_work(self) -> bool:
        return self.flow.has_unsaved_work(bool(self.parcel.weight.text().strip()),
                                          self.parcel.condition.currentIndex() != 0, bool(self.card.counted()))

    def look_up(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        if not self.flow.parcel_scanned(code, self.has_unsaved_work()):
            number = self.flow.card.number if self.flow.card else ""
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("RMA %1 is not received yet").replace("%1", number),
                self.tr("You scanned another parcel (%1) while this card holds your checks.").replace("%1", code),
                self.tr("Enter: receive this one first   ·   Esc: discard it"), code="unsaved_card",
                sound="attention"))
            return
        service = self.service
        self.shell.background.op(lambda: service.find(code), self).success(
            lambda card: self._show_card(code, card)).failure(lambda exc: self._lookup_failed(code, exc)).read()

    def _show_card(self, code: str, card: RmaCard) -> None:
        self._drop_approval()
        self.lpns.setVisible(False)
        self.card.show_card(card)
        self.parcel.reset()
        self.parcel.setVisible(False)
        step = self.flow.card_found(code, card, self.card.counted_for, self.shell.ctx.policy.grace_days)
        if step is CardNext.ASK_APPROVAL:
            self._ask_approval(card)
            return
        self.card_shown.emit(card)
        if step is CardNext.NOT_RECEIVABLE:
            why = self.tr("cancelled") if card.not_receivable == "cancelled" else self.tr("closed")
            self.shell.bridge.show(Message(
                Level.ERROR, self.tr("RMA %1 was %2").replace("%1", card.number).replace("%2", why),
                self.tr("Its parcel cannot be received."),
                self.tr("Press Enter or F9 to quarantine it for a supervisor."), code="rma_not_receivable",
                sound="unknown"))
        elif step is CardNext.DUPLICATE:
            self.confirm()  # a duplicate writes nothing: show when and by whom at once
        else:
            self.parcel.setVisible(True)
            self.weigh(quiet=True)
            if step is CardNext.LATE:
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("RMA %1 is past its deadline").replace("%1", card.number),
                    self.tr("%1 days late.").replace("%1", str(card.days_late)),
                    self.tr("Press Enter to receive it for supervisor approval."), code="late", sound="attention"))
            else:
                self.shell.bridge.show(Message(
                    Level.INFO, self.tr("RMA %1 found").replace("%1", card.number), "",
                    self.tr("Check the items, then press Enter or scan CMD:CONFIRM."), code="found", sound="scan"))

    def _lookup_failed(self, code: str, exc: BaseException) -> None:
        self._drop_approval()
        self.flow.lookup_failed(code, isinstance(exc, NotFound))
        self.parcel.setVisible(False)
        self.card.clear()
        if isinstance(exc, NotFound):
            self.shell.bridge.show(Message(
                Level.ERROR, self.tr("Unknown parcel"), self.tr("No RMA matches %1.").replace("%1", code.upper()),
                self.tr("Check the label. No RMA? Press F9 to quarantine it."), code="unknown_parcel",
                sound="unknown"))
        else:
            show_error(self.shell.bridge, exc)

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
                             items=checks.items if checks is not None else {})

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
        self.parcel.setVisible(False)
        self.show_result(result)
        if print_error is not None:
            show_error(self.shell.bridge, print_error, title=self.tr("Labels not queued"))
        self.receipt_done.emit(result)
        if waiting is not None:
            self.look_up(waiting)
        # Only a parcel just held for approval changes the late-parcel list.
        if self.can_approve and result.outcome == ReceiptOutcome.AWAITING_APPROVAL:
            self.refresh_approvals()

    def _receive_failed(self, exc: BaseException) -> None:
        self.flow.busy = False
        show_error(self.shell.bridge, exc)

    def quarantine(self) -> None:
        code, actor, service = self.flow.unknown_code, self.actor, self.service
        if code is None or self.flow.busy:
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

    # --- weight -------------------------------------------------------------------------
    def weigh(self, *, quiet: bool = False) -> None:
        """Ask the scale for a stable weight (off the UI thread); typed weights need no scale."""
        if self.scale is None:
            if not quiet:
                self.shell.bridge.show(Message(Level.INFO, self.tr("No scale configured"), "",
                                               self.tr("Type the weight in kg (Alt+W)."), code="no_scale"))
            return
        if self.flow.pending_code is not None and self.scale.read():
            self.parcel.scale_state.setText(self.tr("weighing…"))

    def _weighed(self, grams: int) -> None:
        if self.flow.pending_code is not None:
            self.parcel.set_weight_g(grams)
            self.parcel.scale_state.setText(self.tr("from the scale"))

    def _scale_failed(self, reason: str) -> None:
        self.parcel.scale_state.setText(self.tr("scale failed"))
        show_error(self.shell.bridge, DeviceError(f"Scale: {reason}.",
                                                  next_step=self.tr("Type the weight in kg (Alt+W), or press F2.")),
                   title=self.tr("Scale not read"))
