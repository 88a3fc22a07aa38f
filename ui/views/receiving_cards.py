"""A parcel scanned at receiving: its RMA card, an unknown parcel, a cancelled or closed RMA,
a late one; and the question first when the open card holds unsaved work. What each answer
means is decided by ``ReceivingFlow``; this shows it. A mixin of ``ReceivingView`` (it needs
``flow``, ``shell``, ``service``, ``card``, ``parcel``, ``lpns``, ``card_shown``, ``confirm``,
``weigh``, ``_ask_approval``, ``_drop_approval``)."""

from __future__ import annotations

from typing import Any

from station.core.errors import NotFound
from station.receiving.views import RmaCard
from ui.bridge import Level, Message
from ui.errors import show_error
from ui.receiving_flow import CardNext


class CardActions:
    def has_unsaved_work(self: Any) -> bool:
        return self.flow.has_unsaved_work(bool(self.parcel.weight.text().strip()),
                                          self.parcel.condition.currentIndex() != 0, bool(self.card.counted()))

    def unsaved_work(self: Any) -> str | None:
        """What signing out would lose: an RMA card looked up but not received yet."""
        if self.flow.pending_code is None:
            return None
        number = self.flow.card.number if self.flow.card else self.flow.pending_code
        return self.tr("the card of RMA %1 (not received yet)").replace("%1", number)

    def look_up(self: Any, code: str) -> None:
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

    def _show_card(self: Any, code: str, card: RmaCard) -> None:
        self._drop_approval()
        self.lpns.setVisible(False)
        self.card.show_card(card)
        self.parcel.reset()
        self.parcel.setVisible(False)
        step = self.flow.card_found(code, card, self.card.counted_for)
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
            if step is CardNext.LATE_ACCEPT:
                self.approvals.show_reason(True)
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("RMA %1 is past its deadline").replace("%1", card.number),
                    self.tr("%1 days late.").replace("%1", str(card.days_late)),
                    self.tr("Type why you accept it, then Enter: it is received and recorded as approved by you."),
                    code="late_accept", sound="attention"))
            elif step is CardNext.LATE:
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("RMA %1 is past its deadline").replace("%1", card.number),
                    self.tr("%1 days late.").replace("%1", str(card.days_late)),
                    self.tr("Press Enter to receive it for supervisor approval."), code="late", sound="attention"))
            else:
                self.shell.bridge.show(Message(
                    Level.INFO, self.tr("RMA %1 found").replace("%1", card.number), "",
                    self.tr("Check the items, then press Enter or scan CMD:CONFIRM."), code="found", sound="scan"))

    def _lookup_failed(self: Any, code: str, exc: BaseException) -> None:
        self._drop_approval()
        self.flow.lookup_failed(code, isinstance(exc, NotFound))
        self.parcel.setVisible(False)
        self.lpns.setVisible(False)  # the last parcel's LPNs stay in its "Last parcel" line, not under this one
        self.card.clear()
        if isinstance(exc, NotFound):
            self.shell.bridge.show(Message(
                Level.ERROR, self.tr("Unknown parcel"), self.tr("No RMA matches %1.").replace("%1", code.upper()),
                self.tr("Check the label. No RMA? Press F9 to quarantine it."), code="unknown_parcel",
                sound="unknown"))
        else:
            show_error(self.shell.bridge, exc)
