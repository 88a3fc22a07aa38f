"""The checklist walk at inspection: open the scanned unit, show one question at a time,
send each answer, skip an empty optional one, go back, and the summary when none is left.
Which question is open and where Backspace goes is ``InspectionFlow``'s; this shows it. A mixin
of ``InspectionView`` (it needs ``flow``, ``service``, ``actor``, ``shell``, ``unit``,
``question``, ``pages``, ``photos``, ``camera_live``, ``inspection_changed``, ``_run``,
``_show_page``, ``_clear_unit``, ``show_result``, ``_zh``)."""

from __future__ import annotations

from typing import Any

from station.inspection.views import InspectionResult, QuestionView
from station.inspection.views import InspectionView as InspectionState
from ui.bridge import Level, Message
from ui.inspection_flow import Page


class WalkActions:
    def start(self: Any, code: str) -> None:
        if not self.flow.is_open(code):
            service, actor = self.service, self.actor
            self._run(lambda: service.open_unit(actor, code), self._opened)

    def _opened(self: Any, opened: InspectionState | InspectionResult) -> None:
        if isinstance(opened, InspectionResult):  # a quarantined unit a supervisor released
            self._clear_unit()
            self.unit.setText(opened.lpn)
            self.show_result(opened)
            return
        self.flow.started(opened)
        self._header(opened)
        self.shell.bridge.show(Message(Level.INFO, self.tr("Inspecting %1").replace("%1", opened.lpn), "",
                                       self.tr("Answer each question; Backspace goes back."),
                                       code="inspecting", sound="scan"))
        self._update(opened)
        self._advance()

    def _header(self: Any, opened: InspectionState) -> None:
        """The unit line: LPN, SKU, product, its lot when known, and the checklist."""
        name = opened.product_zh if self._zh and opened.product_zh else opened.product_en
        title = opened.title_zh if self._zh else opened.title_en
        lot = f"   LOT {opened.lot}" if opened.lot else ""
        self.unit.setText(f"{opened.lpn}   {opened.sku}   {name}{lot}   ·   {title} v{opened.checklist_version}")

    def answer_current(self: Any, value: str) -> None:
        question, view = self.flow.current, self.flow.inspection
        if not self.flow.question_open:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No question open"), "",
                                           self.tr("Scan the LPN of the unit first."), code="no_question", sound="error"))
            return
        service, actor, inspection_id = self.service, self.actor, view.inspection_id

        def answered(new: InspectionState) -> None:
            self._update(new)
            q = next(q for q in new.questions if q.id == question.id)
            if q.needs_photo:
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("Photo needed"),
                    self.tr("“%1” failed and needs a photo.").replace("%1", q.zh if self._zh else q.en),
                    self.tr("Press F7 to add one now, or later before finishing."), code="photo_needed",
                    sound="attention"))
            self.flow.answered(question.id, new)
            self._advance()

        self._run(lambda: service.answer(actor, inspection_id, question.id, value), answered)

    def _update(self: Any, view: InspectionState) -> None:
        self.flow.update(view)
        self.photos.setText(self.tr("Photos: %1").replace("%1", str(view.photos_stored)))
        self.inspection_changed.emit(view)

    def _advance(self: Any) -> None:
        if self.flow.inspection is None:
            return
        if self.flow.advance() == Page.QUESTION:
            self._ask(self.flow.current)
        else:
            self._show_summary(self.flow.inspection)

    def _ask(self: Any, question: QuestionView | None) -> None:
        if question is not None:
            view = self.flow.inspection
            self.question.show_question(question, *self.flow.position(), view.serial_sold if view else "",
                                        view.serial_received if view else "")
            self._show_page(Page.QUESTION)

    def _show_summary(self: Any, view: InspectionState) -> None:
        self.pages.show_summary(view, self.flow.waivable(self.camera_live) is not None)
        self._show_page(Page.SUMMARY)

    def back(self: Any) -> None:
        if self.flow.back():
            self._ask(self.flow.current)
