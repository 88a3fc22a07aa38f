"""Finishing an inspection: the grade, the disposition and the grade override. A mixin of
``InspectionView`` (it needs ``flow``, ``service``, ``actor``, ``shell``, ``grade``,
``override_dialog``, ``_run``, ``_show_page``, ``_clear_unit``, ``finished``, ``disposed``)."""

from __future__ import annotations

from typing import Any

from labels import DispositionLabel
from station.inspection.views import DispositionView, InspectionResult
from station.models import DispositionKind, UnitState
from station.operators.service import AuthService
from ui.bridge import Level, Message
from ui.widgets.grade_panel import disposition_words
from ui.widgets.override_dialog import OverrideDialog


class ResultActions:
    override_dialog: OverrideDialog | None

    def finish(self: Any) -> None:
        if self.flow.inspection is None:
            return
        service, actor, inspection_id = self.service, self.actor, self.flow.inspection.inspection_id
        labels, lpn, name, now = self.shell.labels, self.flow.inspection.lpn, self.actor.name, self.shell.ctx.now

        def work() -> InspectionResult:
            result = service.finish(actor, inspection_id)
            if result.unit_state == UnitState.QUARANTINED:
                labels.print_disposition(DispositionLabel(
                    lpn=lpn, grade=result.grade.value, disposition=DispositionKind.QUARANTINE.value,
                    rma_number=service.rma_number(actor, lpn), inspector=name,
                    decided_on=now().astimezone().strftime("%Y-%m-%d"), bin="QUARANTINE"))
            return result

        def done(result: InspectionResult) -> None:
            self.show_result(result)
            self.finished.emit(result)

        self._run(work, done)

    def show_result(self: Any, result: InspectionResult) -> None:
        self.flow.show_result(result)
        held = self.flow.held
        keys = self.tr("Esc: next unit") if held else self.tr("Enter or CMD:CONFIRM: confirm   ·   O: override grade")
        self.grade.show_result(result, keys)
        self._show_page(self.flow.page)
        if held:
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("Held in quarantine"),
                self.tr("Grade %1 with flags; a supervisor decides.").replace("%1", result.grade.value),
                self.tr("Put the unit on the quarantine shelf with its label."), code="quarantined", sound="attention"))
            return
        title = self.tr("Released by a supervisor: grade %1") if result.released else self.tr("Grade %1")
        self.shell.bridge.show(Message(
            Level.OK if result.grade.value in "AB" else Level.INFO, title.replace("%1", result.grade.value),
            disposition_words(self, result.recommended.value) + (f" → {result.bin_class}" if result.bin_class else ""),
            self.tr("Press Enter to confirm, or O to override the grade."),
            code=f"graded_{result.grade.value}", sound="ok" if result.grade.value in "AB" else "partial"))

    def confirm_disposition(self: Any) -> None:
        result = self.flow.result
        if result is None or self.flow.held:
            return
        service, actor, lpn, labels, now = self.service, self.actor, result.lpn, self.shell.labels, self.shell.ctx.now

        def work() -> DispositionView:
            done = service.dispose(actor, lpn)
            labels.print_disposition(DispositionLabel(
                lpn=lpn, grade=done.grade.value if done.grade else "", disposition=done.kind.value,
                rma_number=service.rma_number(actor, lpn), inspector=actor.name,
                decided_on=now().astimezone().strftime("%Y-%m-%d"), bin=done.bin))
            return done

        self._run(work, self._disposed)

    def _disposed(self: Any, done: DispositionView) -> None:
        message = disposition_words(self, done.kind.value) + (f" → {done.bin}" if done.bin else "")
        next_step = self.tr("Label queued. Scan the next unit.")
        if done.approval_kind is not None:
            next_step = self.tr("Label queued; a supervisor must approve this.")
        self.shell.bridge.show(Message(Level.OK, self.tr("Unit %1 done").replace("%1", done.lpn), message,
                                       next_step, code="disposed", sound="ok"))
        self.disposed.emit(done)
        self._clear_unit()

    # --- override -----------------------------------------------------------------------
    def open_override(self: Any) -> OverrideDialog | None:
        result = self.flow.result
        if result is None:
            return None
        dialog = OverrideDialog(result.lpn, result.grade, result.computed_grade, self)
        dialog.accepted.connect(lambda: self._override(dialog))
        dialog.finished.connect(self._override_closed)
        self.override_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.reason.setFocus()
        return dialog

    override = open_override

    def _override_closed(self: Any, _result: int) -> None:
        self.override_dialog = None
        self.window().activateWindow()  # keys must come back here, not to a closed dialog
        self.setFocus()

    def _override(self: Any, dialog: OverrideDialog) -> None:
        result = self.flow.result
        if result is None:
            return
        grade, reason = dialog.chosen()
        supervisor = dialog.supervisor()
        service, actor, auth = self.service, self.actor, AuthService(self.shell.ctx)

        def work() -> InspectionResult:
            # A supervisor approving at the inspector's station signs in for this one call.
            who = auth.sign_in(*supervisor) if supervisor else actor
            return service.override_grade(who, result.inspection_id, grade, reason)

        self._run(work, self.show_result)
