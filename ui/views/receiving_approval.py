"""Late parcels at receiving: a supervisor accepts them here (a mixin of ``ReceivingView``;
it needs ``flow``, ``shell``, ``actor``, ``service``, ``approvals``, ``parcel``, ``card``,
``look_up``, ``receipt_done``)."""

from __future__ import annotations

import uuid
from typing import Any

from station.receiving.views import ReceiptResult, RmaCard
from station.supervision.desk import QueueView, SupervisionService
from ui.bridge import Level, Message
from ui.errors import show_error


class ApprovalActions:
    def refresh_approvals(self: Any) -> None:
        # The status lane, not the read lane: nobody is waiting on this list, and a scan's
        # look-up must never queue behind it.
        service, actor = SupervisionService(self.shell.ctx), self.actor
        self.shell.background.op(lambda: service.queue(actor, "expired_rmas", limit=50), self).success(
            self._show_approvals).failure(lambda exc: show_error(self.shell.bridge, exc)).housekeeping()

    def _show_approvals(self: Any, view: QueueView) -> None:
        self.approvals.show_queue(view)

    def open_selected_approval(self: Any) -> None:
        picked = self.approvals.selected()
        if picked is not None:
            self.look_up(picked[1])

    def _ask_approval(self: Any, card: RmaCard) -> None:
        self.parcel.setVisible(False)
        self.approvals.show_reason(True)
        self.shell.bridge.show(Message(
            Level.WARNING, self.tr("RMA %1 is waiting for your approval").replace("%1", card.number),
            self.tr("Received %1 days after its deadline.").replace("%1", str(card.days_late)),
            self.tr("Type the reason, then Enter to accept it. Esc: leave it waiting."),
            code="approval_asked", sound="attention"))

    def _drop_approval(self: Any) -> None:
        self.approvals.show_reason(False)
        if not self.approvals.list.count():
            self.approvals.setVisible(False)

    def approve(self: Any) -> None:
        receipt_id, reason = self.flow.held_receipt, self.approvals.reason.text()
        actor, service = self.actor, self.service
        if receipt_id is None:
            return
        self.flow.busy = True

        def done(result: ReceiptResult) -> None:
            self.flow.busy = False
            self.flow.reset()
            self._drop_approval()
            self.card.clear()
            self.shell.bridge.show(Message(
                Level.OK, self.tr("Late parcel %1 accepted").replace("%1", result.rma_number), reason.strip(),
                self.tr("Its unit can go to inspection.") if len(result.units) == 1 else
                self.tr("Its %1 units can go to inspection.").replace("%1", str(len(result.units))),
                code="approved", sound="ok"))
            self.receipt_done.emit(result)  # the list follows the commit (ui.changes)

        def failed(exc: BaseException) -> None:
            self.flow.busy = False
            show_error(self.shell.bridge, exc)
            self.approvals.reason.setFocus()

        self.shell.background.op(lambda: service.approve_expired(actor, uuid.UUID(receipt_id), reason), self) \
            .success(done).failure(failed).write()
