"""Receiving: scan a parcel -> its RMA card -> Enter (or CMD:CONFIRM) -> receipt + LPN labels.

States: waiting for a scan; a card waiting for confirmation; an unknown code that may be
quarantined (F9). Every result is a banner with its own colour, sound and
next step; all database work runs in the background (reads for look-ups, the write
executor for receipts and their labels).

While a card is open the clerk may add, all optional: the weight (typed, or read from the
scale in settings on its own thread, F2 again), the parcel's condition (Alt+1..4), and item
checks: a product scan (GTIN, or a typed SKU) checks an item against the lines, a serialised
line then asks for its serial. ``ui.item_checks`` decides with the station's scan classifier
whether a scan is an item or the next parcel. A normal parcel stays 1 scan + 1 Enter.

Signals: ``card_shown(RmaCard)``, ``receipt_done(ReceiptResult)``.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QWidget

from drivers.scanners.scan import Scan
from station.context import Actor
from station.permissions import Permission, can
from station.errors import DeviceError, InvalidInput, NotFound
from station.receiving import ParcelInput, ReceivingService
from station.models import ReceiptStatus
from station.rma_views import LineView, ReceiptOutcome, ReceiptResult, RmaCard
from station.scanning import ScanClassifier
from station.supervision import QueueView, SupervisionService
from ui.bridge import Level, Message
from ui.commands import Command, command_of, is_command
from ui.errors import show_error
from ui.item_checks import ItemChecks, Step, StepKind
from ui.scale import ScaleReader, parse_scale_uri
from ui.shell import Shell
from ui.widgets.approval_panel import ApprovalPanel
from ui.widgets.banner import Banner
from ui.widgets.camera_preview import attach_to_receiving
from ui.widgets.scan_layout import scan_view_layout
from ui.widgets.parcel_panel import ParcelPanel
from ui.widgets.rma_card import RmaCardWidget

log = logging.getLogger(__name__)


class ReceivingView(QWidget):
    card_shown = Signal(object)
    receipt_done = Signal(object)

    def __init__(self, shell: Shell, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivingView")
        self.shell = shell
        self.actor = actor
        self.service = ReceivingService(shell.ctx)
        self.pending_code: str | None = None
        self.unknown_code: str | None = None
        self.busy = False
        self.classifier = ScanClassifier()
        self.checks: ItemChecks | None = None
        self.scale: ScaleReader | None = None
        self.can_approve = can(actor, Permission.APPROVE)
        self.held_receipt: str | None = None  # a late parcel on the card, for a supervisor to accept

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
        self.keys = QLabel(self.tr("Enter: receive   ·   product scan: check an item   ·   F2: weigh   ·   "
                                   "Esc: clear   ·   F9: quarantine unknown parcel"), self)
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
    def handle_scan(self, scan: Scan) -> None:
        command = command_of(scan.text)
        if command is Command.CONFIRM:
            self.confirm()
        elif command is Command.QUARANTINE:
            self.quarantine()
        elif command is Command.CANCEL:
            self.reset()
        elif command is not None or is_command(scan.text):
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Not a receiving command"),
                                           scan.text.strip(), self.tr("Scan CMD:CONFIRM or an RMA barcode."),
                                           code="wrong_command", sound="error"))
        elif self.checks is not None and self.pending_code is not None and not self.busy:
            self._item_scan(self.checks.take(scan.text))
        else:
            self.look_up(scan.text)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            return self._alt_key(event.key())
        if obj is self.approvals.list and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected_approval()
            return True
        return False

    def _alt_key(self, key: int) -> bool:
        if key == Qt.Key.Key_W:
            self.parcel.weight.setFocus()
            self.parcel.weight.selectAll()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
            self.parcel.pick_condition(int(key) - int(Qt.Key.Key_0))
        elif key == Qt.Key.Key_A and self.can_approve and self.approvals.list.count():
            self.approvals.list.setFocus()
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed = self.code.text().strip()
            if typed:
                self.code.clear()
                self.handle_scan(Scan(typed, source="keyboard"))
            else:
                self.confirm()
        elif key == Qt.Key.Key_Escape:
            self.reset()
        elif key == Qt.Key.Key_F9:
            self.quarantine()
        elif key == Qt.Key.Key_F2:
            self.weigh()
        elif alt and self._alt_key(key):
            pass
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- actions ------------------------------------------------------------------------
    def look_up(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        service = self.service
        self.shell.background.op(lambda: service.find(code), self).success(
            lambda card: self._show_card(code, card)).failure(
            lambda exc: self._lookup_failed(code, exc)).read()

    def _show_card(self, code: str, card: RmaCard) -> None:
        self._drop_approval()
        self.pending_code = code
        self.unknown_code = None
        self.lpns.setVisible(False)
        self.card.show_card(card)
        self.checks = ItemChecks(card, self._slots, self.classifier)
        self.parcel.reset()
        held = [r for r in card.receipts if r.status == ReceiptStatus.AWAITING_APPROVAL]
        if self.can_approve and held:
            self._ask_approval(card, str(held[0].id))
            return
        self.parcel.setVisible(not card.fully_received)
        self.card_shown.emit(card)
        if not card.fully_received:
            self.weigh(quiet=True)
        if card.fully_received:
            self.confirm()  # a duplicate writes nothing: show when and by whom at once
            return
        if card.days_late > self.shell.ctx.policy.grace_days:
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("RMA %1 is past its deadline").replace("%1", card.number),
                self.tr("%1 days late.").replace("%1", str(card.days_late)),
                self.tr("Press Enter to receive it for supervisor approval."), code="late", sound="attention"))
            return
        self.shell.bridge.show(Message(
            Level.INFO, self.tr("RMA %1 found").replace("%1", card.number), "",
            self.tr("Check the items, then press Enter or scan CMD:CONFIRM."), code="found", sound="scan"))

    def _lookup_failed(self, code: str, exc: BaseException) -> None:
        self._drop_approval()
        self.pending_code = None
        self.checks = None
        self.parcel.setVisible(False)
        self.card.clear()
        if isinstance(exc, NotFound):
            self.unknown_code = code
            self.shell.bridge.show(Message(
                Level.ERROR, self.tr("Unknown parcel"),
                self.tr("No RMA matches %1.").replace("%1", code.upper()),
                self.tr("Check the label. No RMA? Press F9 to quarantine it."),
                code="unknown_parcel", sound="unknown"))
        else:
            self.unknown_code = None
            show_error(self.shell.bridge, exc)

    def confirm(self) -> None:
        if self.busy:
            return
        if self.held_receipt is not None:
            self.approve()
            return
        if self.pending_code is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Nothing to confirm"), "",
                                           self.tr("Scan the parcel first."), code="nothing_pending",
                                           sound="error"))
            return
        code, actor, service, labels = self.pending_code, self.actor, self.service, self.shell.labels
        try:
            weight = self.parcel.weight_g()
        except InvalidInput as exc:
            show_error(self.shell.bridge, exc)
            self.parcel.weight.setFocus()
            return
        parcel = ParcelInput(weight_g=weight, condition=self.parcel.condition_value(),
                             quantities=self.card.counted(),
                             items=self.checks.items if self.checks is not None else {})
        now = self.shell.ctx.now

        def work() -> tuple[ReceiptResult, BaseException | None]:
            result = service.receive(actor, code, parcel)
            if result.outcome == ReceiptOutcome.DUPLICATE:
                return result, None
            try:
                labels.print_lpns(result.rma_number, result.units, now())
            except Exception as exc:  # noqa: BLE001 - the receipt stands; the label is retried by hand
                return result, exc
            return result, None

        self.busy = True
        self.shell.background.op(work, self).success(self._received).failure(self._receive_failed).write()

    def _received(self, done: tuple[ReceiptResult, BaseException | None]) -> None:
        self.busy = False
        result, print_error = done
        self.pending_code = None
        self.checks = None
        self.parcel.setVisible(False)
        self.show_result(result)
        if print_error is not None:
            show_error(self.shell.bridge, print_error, title=self.tr("Labels not queued"))
        self.receipt_done.emit(result)
        # Only a parcel just held for approval changes the late-parcel list; refreshing it after
        # every receipt ran a whole-database query in front of the next scan's look-up.
        if self.can_approve and result.outcome == ReceiptOutcome.AWAITING_APPROVAL:
            self.refresh_approvals()

    def _receive_failed(self, exc: BaseException) -> None:
        self.busy = False
        show_error(self.shell.bridge, exc)

    def quarantine(self) -> None:
        if self.unknown_code is None or self.busy:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Nothing to quarantine"), "",
                                           self.tr("Scan the unknown parcel first."),
                                           code="nothing_pending", sound="error"))
            return
        code, actor, service = self.unknown_code, self.actor, self.service
        self.busy = True
        self.shell.background.op(lambda: service.quarantine_unknown(actor, code), self).success(
            lambda r: (self._received((r, None)), setattr(self, "unknown_code", None))).failure(
            self._receive_failed).write()

    def reset(self) -> None:
        self._drop_approval()
        self.pending_code = None
        self.unknown_code = None
        self.checks = None
        self.parcel.reset()
        self.parcel.setVisible(False)
        self.card.clear()
        self.lpns.clear()
        self.lpns.setVisible(False)
        self.banner.clear()
        self.code.clear()

    # --- showing results ----------------------------------------------------------------
    def show_result(self, result: ReceiptResult) -> None:
        level, title, sound = {
            ReceiptOutcome.RECEIVED: (Level.OK, self.tr("Received"), "ok"),
            ReceiptOutcome.PARTIAL: (Level.WARNING, self.tr("Partly received"), "partial"),
            ReceiptOutcome.DUPLICATE: (Level.WARNING, self.tr("Already received"), "duplicate"),
            ReceiptOutcome.AWAITING_APPROVAL: (Level.WARNING, self.tr("Held for a supervisor"), "attention"),
            ReceiptOutcome.QUARANTINED: (Level.ERROR, self.tr("Quarantined"), "unknown"),
        }[result.outcome]
        checks = [f for f in ("wrong_item", "serial_mismatch", "light_parcel") if f in result.flags]
        if checks and result.outcome in (ReceiptOutcome.RECEIVED, ReceiptOutcome.PARTIAL):
            level, sound = Level.WARNING, "attention"
            words = {"wrong_item": self.tr("wrong item"), "serial_mismatch": self.tr("serial mismatch"),
                     "light_parcel": self.tr("parcel too light")}
            title = self.tr("%1 — check: %2").replace("%1", title).replace(
                "%2", ", ".join(words[f] for f in checks))
        self.shell.bridge.show(Message(level, title, result.message, result.next_step,
                                       code=result.outcome.value, sound=sound))
        self.lpns.clear()
        language = self.shell.language
        for unit in result.units:
            name = unit.name_zh if language.startswith("zh") and unit.name_zh else unit.name_en
            self.lpns.addItem(f"{unit.lpn}   {unit.sku}   {name}   ×{unit.quantity}")
        self.lpns.setVisible(bool(result.units))
        if result.outcome == ReceiptOutcome.QUARANTINED:
            self.card.clear()

    # --- item checks and weight ---------------------------------------------------------
    def _slots(self, line: LineView) -> int:
        """Checks a line takes: one per unit the service creates for the counted items."""
        counted = self.card.counted_for(line.line_no)
        return counted if line.serialised or self.shell.ctx.policy.splits(line.category) else min(counted, 1)

    def _line_name(self, line: LineView) -> str:
        zh = self.shell.language.startswith("zh")
        return (line.name_zh if zh and line.name_zh else line.name_en) or line.sku

    def _item_scan(self, step: Step) -> None:
        if step.kind is StepKind.NEW_PARCEL:
            self.look_up(step.code)
            return
        if self.checks is not None:
            for line in self.checks.card.lines:
                self.card.set_check(line.line_no, *self.checks.summary(line))
        line = step.line
        name, sku = (self._line_name(line), line.sku) if line is not None else ("", "")
        then = self.tr("Scan the next item, or press Enter to receive.")
        if step.kind is StepKind.MATCHED:
            message = Message(Level.INFO, self.tr("%1 checked").replace("%1", sku), name, then,
                              code="item_checked", sound="scan")
        elif step.kind is StepKind.SERIAL_ASKED:
            message = Message(Level.INFO, self.tr("Scan the serial number of %1").replace("%1", name), sku,
                              self.tr("Or press Enter to receive without it."), code="serial_asked", sound="scan")
        elif step.kind is StepKind.SERIAL and step.ok:
            message = Message(Level.INFO, self.tr("Serial %1 matches").replace("%1", step.code), name, then,
                              code="serial_ok", sound="scan")
        elif step.kind is StepKind.SERIAL:
            message = Message(Level.WARNING, self.tr("Serial %1 is not the one sold").replace("%1", step.code),
                              self.tr("%1 was sold with serial %2.").replace("%1", name).replace(
                                  "%2", line.serial if line else ""),
                              self.tr("Put the unit aside for QC; it is flagged when received."),
                              code="serial_mismatch", sound="attention")
        elif step.kind is StepKind.WRONG_ITEM:
            message = Message(Level.WARNING, self.tr("Not on this RMA: %1").replace("%1", step.code),
                              self.tr("Recorded as a wrong item in place of %1.").replace("%1", sku),
                              self.tr("Put it aside for QC; Esc clears all checks."), code="wrong_item",
                              sound="attention")
        elif step.kind is StepKind.NO_ROOM:
            message = Message(Level.WARNING, self.tr("Every counted item is already checked"), step.code,
                              self.tr("Raise the count, or press Enter to receive."), code="no_room", sound="error")
        else:
            message = Message(Level.WARNING, self.tr("Not a product code"), step.code,
                              self.tr("Scan the item's barcode (GTIN) or type its SKU."), code="not_product",
                              sound="error")
        self.shell.bridge.show(message)

    def weigh(self, *, quiet: bool = False) -> None:
        """Ask the scale for a stable weight (off the UI thread); typed weights need no scale."""
        if self.scale is None:
            if not quiet:
                self.shell.bridge.show(Message(Level.INFO, self.tr("No scale configured"), "",
                                               self.tr("Type the weight in kg (Alt+W)."), code="no_scale"))
            return
        if self.pending_code is None:
            return
        if self.scale.read():
            self.parcel.scale_state.setText(self.tr("weighing…"))

    def _weighed(self, grams: int) -> None:
        if self.pending_code is None:
            return
        self.parcel.set_weight_g(grams)
        self.parcel.scale_state.setText(self.tr("from the scale"))

    def _scale_failed(self, reason: str) -> None:
        self.parcel.scale_state.setText(self.tr("scale failed"))
        show_error(self.shell.bridge, DeviceError(f"Scale: {reason}.",
                                                  next_step=self.tr("Type the weight in kg (Alt+W), or press F2.")),
                   title=self.tr("Scale not read"))

    # --- late parcels: a supervisor accepts them here -----------------------------------
    def refresh_approvals(self) -> None:
        # The status lane, not the read lane: nobody is waiting on this list, and a scan's
        # look-up must never queue behind it.
        service, actor = SupervisionService(self.shell.ctx), self.actor
        self.shell.background.op(lambda: service.queue(actor, "expired_rmas", limit=50), self).success(
            self._show_approvals).failure(lambda exc: show_error(self.shell.bridge, exc)).housekeeping()

    def _show_approvals(self, view: QueueView) -> None:
        self.approvals.show_queue(view)

    def open_selected_approval(self) -> None:
        picked = self.approvals.selected()
        if picked is not None:
            self.look_up(picked[1])

    def _ask_approval(self, card: RmaCard, receipt_id: str) -> None:
        self.held_receipt = receipt_id
        self.parcel.setVisible(False)
        self.approvals.show_reason(True)
        self.shell.bridge.show(Message(
            Level.WARNING, self.tr("RMA %1 is waiting for your approval").replace("%1", card.number),
            self.tr("Received %1 days after its deadline.").replace("%1", str(card.days_late)),
            self.tr("Type the reason, then Enter to accept it. Esc: leave it waiting."),
            code="approval_asked", sound="attention"))

    def _drop_approval(self) -> None:
        self.held_receipt = None
        self.approvals.show_reason(False)
        if not self.approvals.list.count():
            self.approvals.setVisible(False)

    def approve(self) -> None:
        receipt_id, reason, actor, service = self.held_receipt, self.approvals.reason.text(), self.actor, self.service
        if receipt_id is None:
            return
        self.busy = True

        def done(result: ReceiptResult) -> None:
            self.busy = False
            self._drop_approval()
            self.pending_code = None
            self.checks = None
            self.card.clear()
            self.shell.bridge.show(Message(
                Level.OK, self.tr("Late parcel %1 accepted").replace("%1", result.rma_number), reason.strip(),
                self.tr("Its %1 unit(s) can go to inspection.").replace("%1", str(len(result.units))),
                code="approved", sound="ok"))
            self.receipt_done.emit(result)
            self.refresh_approvals()

        def failed(exc: BaseException) -> None:
            self.busy = False
            show_error(self.shell.bridge, exc)
            self.approvals.reason.setFocus()

        self.shell.background.op(lambda: service.approve_expired(actor, uuid.UUID(receipt_id), reason), self) \
            .success(done).failure(failed).write()
