"""Receiving: scan a parcel -> its RMA card -> Enter (or CMD:CONFIRM) -> receipt + LPN labels.

States: waiting for a scan; a card waiting for confirmation; an unknown code that may be
quarantined (F9). Every result is a banner with its own colour, sound and
next step; all database work runs in the background (reads for look-ups, the write
executor for receipts and their labels).

Signals: ``card_shown(RmaCard)``, ``receipt_done(ReceiptResult)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from drivers.scanners.scan import Scan
from station.context import Actor
from station.errors import NotFound, StationError
from station.receiving import ParcelInput, ReceivingService
from station.rma_views import ReceiptOutcome, ReceiptResult, RmaCard
from ui.bridge import Level, Message
from ui.commands import Command, command_of, is_command
from ui.errors import show_error
from ui.shell import Shell
from ui.widgets.banner import Banner
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

        self.prompt = QLabel(self.tr("Scan the parcel's RMA or tracking barcode"), self)
        self.prompt.setObjectName("prompt")
        self.code = QLineEdit(self)
        self.code.setObjectName("codeEntry")
        self.code.setPlaceholderText(self.tr("…or type it here and press Enter"))
        self.code.setMaxLength(64)
        self.banner = Banner(self)
        self.card = RmaCardWidget(shell.language, self)
        self.lpns = QListWidget(self)
        self.lpns.setObjectName("lpnList")
        self.lpns.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lpns.setVisible(False)
        self.keys = QLabel(self.tr("Enter: receive   ·   Esc: clear   ·   F9: quarantine unknown parcel"), self)
        self.keys.setObjectName("keys")

        top = QHBoxLayout()
        top.addWidget(self.prompt, 1)
        top.addWidget(self.code, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.card, 1)
        layout.addWidget(self.lpns)
        layout.addStretch(0)
        layout.addWidget(self.keys)
        self.setFocusProxy(self.code)

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
        else:
            self.look_up(scan.text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed = self.code.text().strip()
            if typed:
                self.code.clear()
                command = command_of(typed)
                self.handle_scan(Scan(typed, source="keyboard")) if command or is_command(typed) \
                    else self.look_up(typed)
            else:
                self.confirm()
        elif key == Qt.Key.Key_Escape:
            self.reset()
        elif key == Qt.Key.Key_F9:
            self.quarantine()
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
        self.pending_code = code
        self.unknown_code = None
        self.lpns.setVisible(False)
        self.card.show_card(card)
        self.card_shown.emit(card)
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
        self.pending_code = None
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
        if self.pending_code is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Nothing to confirm"), "",
                                           self.tr("Scan the parcel first."), code="nothing_pending",
                                           sound="error"))
            return
        code, actor, service, labels = self.pending_code, self.actor, self.service, self.shell.labels
        parcel = ParcelInput(quantities=self.card.counted())
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
        self.show_result(result)
        if print_error is not None:
            show_error(self.shell.bridge, print_error, title=self.tr("Labels not queued"))
        self.receipt_done.emit(result)

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
        self.pending_code = None
        self.unknown_code = None
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
        if result.outcome == ReceiptOutcome.RECEIVED and set(result.flags) & {
                "wrong_item", "serial_mismatch", "light_parcel"}:
            level, sound = Level.WARNING, "attention"
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
