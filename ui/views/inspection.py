"""Inspection: scan an LPN -> one question at a time -> finish -> grade -> confirm disposition.

Keyboard-complete: P/F/N or 1/2/3 answer pass/fail/n.a., digits pick a choice, numbers and
text go into the entry and Enter submits; Backspace goes back one question; F7 adds a photo
from a file to the question that needs one; Enter finishes when everything is answered, then
Enter confirms the recommended disposition (which queues the disposition label); O opens the
grade override. With a camera in settings (``camera.uri``) a live preview runs while the view
is shown (``ui.camera``: a worker thread owns the device) and F7 captures the current frame
as a JPEG; Shift+F7 (or F7 without a live camera) adds a photo from a file. Command scans
(CMD:PASS, CMD:FAIL, CMD:NA, CMD:BACK, CMD:FINISH, CMD:CONFIRM) do the same as their keys.

Signals: ``inspection_changed(InspectionState)``, ``finished(InspectionResult)``,
``disposed(DispositionView)``.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QWidget

from drivers.scanners.scan import Scan
from labels import DispositionLabel
from station.auth import AuthService
from station.checklists import ItemKind
from station.context import Actor
from station.errors import DeviceNotFound
from station.inspection import InspectionService
from station.inspection_views import DispositionView, InspectionResult, QuestionView
from station.inspection_views import InspectionView as InspectionState
from station.models import DispositionKind, UnitState
from ui.bridge import Level, Message
from ui.camera import camera_target, jpeg_bytes
from station.scanning import ScanMeaning
from ui.commands import Command, command_in
from ui.scan_targets import RefusesScans, TakesScans
from ui.errors import show_error
from ui.label_output import rma_number_of
from ui.shell import Shell
from ui.widgets.banner import Banner
from ui.widgets.scan_layout import scan_view_layout
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.grade_panel import GradePanel, disposition_words
from ui.widgets.override_dialog import OverrideDialog
from ui.widgets.waiver_dialog import WaiverDialog
from ui.widgets.question import QuestionPanel

log = logging.getLogger(__name__)

_ANSWER_KEYS = {Qt.Key.Key_P: "pass", Qt.Key.Key_1: "pass", Qt.Key.Key_F: "fail", Qt.Key.Key_2: "fail",
                Qt.Key.Key_N: "na", Qt.Key.Key_3: "na"}
_COMMAND_ANSWERS = {Command.PASS: "pass", Command.FAIL: "fail", Command.NA: "na"}


def pick_photo_file(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, parent.tr("Add a photo"), str(Path.home()),
                                          parent.tr("Pictures (*.jpg *.jpeg *.png *.webp)"))
    return path or None


class InspectionView(QWidget):
    inspection_changed = Signal(object)
    finished = Signal(object)
    disposed = Signal(object)

    def __init__(self, shell: Shell, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.shell = shell
        self.actor = actor
        self.service = InspectionService(shell.ctx)
        self.inspection: InspectionState | None = None
        self.result: InspectionResult | None = None
        self.current: QuestionView | None = None
        self.skipped: set[str] = set()
        self.history: list[str] = []
        self.busy = False
        self.photo_picker: Callable[[QWidget], str | None] = pick_photo_file
        self.override_dialog: OverrideDialog | None = None
        self.waiver_dialog: WaiverDialog | None = None
        self._picking: RefusesScans | None = None  # the photo file dialog, while it is open
        zh = shell.language.startswith("zh")
        self._zh = zh

        self.prompt = QLabel(self.tr("Scan the LPN label on the unit"), self)
        self.prompt.setObjectName("prompt")
        self.code = QLineEdit(self)
        self.code.setObjectName("codeEntry")
        self.code.setPlaceholderText(self.tr("…or type the LPN and press Enter"))
        self.code.setMaxLength(32)
        self.unit = QLabel(self)
        self.unit.setObjectName("cardNumber")
        self.unit.setWordWrap(True)
        self.banner = Banner(self)
        self.question = QuestionPanel(shell.language, self)
        self.summary = QLabel(self)
        self.summary.setObjectName("question")
        self.summary.setWordWrap(True)
        self.grade = GradePanel(shell.language, self)
        self.pages = QStackedWidget(self)
        for page in (QWidget(self), self.question, self.summary, self.grade):
            self.pages.addWidget(page)
        self.photos = QLabel(self)
        self.photos.setObjectName("caption")
        self.keys = QLabel(self.tr("Backspace: back   ·   F7: photo (camera, else file)   ·   Shift+F7: photo from file"
                                   "   ·   O: override grade   ·   Esc: new unit"), self)
        self.keys.setObjectName("keys")
        self.keys.setWordWrap(True)
        self.camera: CameraPreview | None = None
        self.camera_uri = str(shell.settings.get("camera.uri"))

        layout = scan_view_layout(self, self.prompt, self.code, self.banner)
        layout.addWidget(self.unit)
        self.middle = QHBoxLayout()
        self.middle.addWidget(self.pages, 1)
        layout.addLayout(self.middle, 1)
        layout.addWidget(self.photos)
        layout.addWidget(self.keys)
        self.question.entry.installEventFilter(self)
        self._show_page(0)
        self._open_camera()

    # --- camera -------------------------------------------------------------------------
    def _open_camera(self) -> None:
        if not self.camera_uri:
            return
        try:
            self.camera = CameraPreview(camera_target(self.camera_uri), self)
        except Exception as exc:  # noqa: BLE001 - a bad camera setting must not stop inspection
            show_error(self.shell.bridge, exc, title=self.tr("Camera not available"))
            return
        self.middle.addWidget(self.camera, 0, Qt.AlignmentFlag.AlignTop)
        self.camera.failed.connect(self._camera_failed)

    def _camera_failed(self, reason: str) -> None:
        show_error(self.shell.bridge, DeviceNotFound(
            f"{self.camera_uri}: {reason}.", next_step=self.tr("Photos can still be added from a file: F7.")),
            title=self.tr("Camera not available"))

    def shutdown(self) -> None:
        if self.camera is not None:
            self.camera.shutdown()

    # --- pages and focus ----------------------------------------------------------------
    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        if index == 0:
            self.code.setFocus()
        elif index == 1 and self.question.wants_text:
            self.question.entry.setFocus()
        else:
            self.setFocus()

    def setFocus(self) -> None:  # noqa: N802 - keeps Qt's name; the main window calls it on tab change
        if self.pages.currentIndex() == 0:
            self.code.setFocus()
        elif self.pages.currentIndex() == 1 and self.question.wants_text:
            self.question.entry.setFocus()
        else:
            super().setFocus()

    # --- input --------------------------------------------------------------------------
    def handle_scan(self, scan: Scan, meaning: ScanMeaning | None = None) -> None:
        """A scan the main window classified (``meaning``); typed codes are classified here."""
        meaning = meaning or self.shell.classifier.classify(scan.text, scan.symbology)
        command = command_in(meaning)
        if not meaning.is_command_shaped:
            self.start(scan.text)
            return
        if command in _COMMAND_ANSWERS:
            self.answer_current(_COMMAND_ANSWERS[command])
        elif command is Command.BACK:
            self.back()
        elif command in (Command.FINISH, Command.CONFIRM):
            self.enter()
        elif command is Command.CANCEL:
            self.reset()
        else:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Not an inspection command"), scan.text.strip(),
                                           "", code="wrong_command", sound="error"))

    @property
    def open_dialog(self) -> TakesScans | None:
        """The dialog in front of this view: scans go to it, never to the unit behind it."""
        return self.override_dialog or self.waiver_dialog or self._picking

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        # Backspace in an empty answer field goes back a question instead of doing nothing.
        if obj is self.question.entry and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Backspace and not self.question.entry.text():
            self.back()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = Qt.Key(event.key())
        page = self.pages.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter()
        elif key == Qt.Key.Key_Escape:
            self.reset()
        elif key == Qt.Key.Key_F7:
            from_file = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if not from_file and self.camera is not None and self.camera.live:
                self.capture_photo()
            else:
                self.add_photo()
        elif page == 1 and key == Qt.Key.Key_Backspace:
            self.back()
        elif page == 1 and self.current is not None and self.current.kind == ItemKind.PASS_FAIL \
                and key in _ANSWER_KEYS:
            self.answer_current(_ANSWER_KEYS[key])
        elif page == 1 and self.current is not None and self.current.kind == ItemKind.CHOICE \
                and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.answer_current(str(int(key) - int(Qt.Key.Key_0)))
        elif page in (2, 3) and key == Qt.Key.Key_Backspace and self.result is None:
            self.back()
        elif page == 3 and key == Qt.Key.Key_O:
            self.open_override()
        elif page == 2 and key == Qt.Key.Key_W:
            self.open_waiver()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def enter(self) -> None:
        page = self.pages.currentIndex()
        if page == 0:
            typed = self.code.text().strip()
            self.code.clear()
            if typed:
                self.handle_scan(Scan(typed, source="keyboard"))
        elif page == 1 and self.current is not None:
            if self.current.kind in (ItemKind.NUMBER, ItemKind.TEXT):
                text = self.question.entry.text().strip()
                if not text and not self.current.required:
                    self.skipped.add(self.current.id)
                    self._advance()
                else:
                    self.answer_current(text)
        elif page == 2:
            self.finish()
        elif page == 3:
            self.confirm_disposition()

    # --- the walk -----------------------------------------------------------------------
    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        if self.busy:
            return
        self.busy = True

        def ok(value: Any) -> None:
            self.busy = False
            done(value)

        def failed(exc: BaseException) -> None:
            self.busy = False
            show_error(self.shell.bridge, exc)

        self.shell.background.op(fn, self).success(ok).failure(failed).write()

    def start(self, code: str) -> None:
        if self.inspection is not None and self.result is None and self.inspection.lpn == code.strip().upper():
            return
        service, actor = self.service, self.actor
        self._run(lambda: service.open_unit(actor, code), self._opened)

    def _opened(self, opened: InspectionState | InspectionResult) -> None:
        if isinstance(opened, InspectionResult):  # a quarantined unit a supervisor released
            self._clear_unit()
            self.unit.setText(opened.lpn)
            self.show_result(opened)
        else:
            self._started(opened)

    def _started(self, view: InspectionState) -> None:
        self.result = None
        self.skipped = set()
        self.history = []
        name = view.product_zh if self._zh and view.product_zh else view.product_en
        title = view.title_zh if self._zh else view.title_en
        self.unit.setText(f"{view.lpn}   {view.sku}   {name}   ·   {title} v{view.checklist_version}")
        self.shell.bridge.show(Message(Level.INFO, self.tr("Inspecting %1").replace("%1", view.lpn), "",
                                       self.tr("Answer each question; Backspace goes back."),
                                       code="inspecting", sound="scan"))
        self._update(view)
        self._advance()

    def answer_current(self, value: str) -> None:
        question = self.current
        if question is None or self.inspection is None or self.pages.currentIndex() != 1:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No question open"), "",
                                           self.tr("Scan the LPN of the unit first."),
                                           code="no_question", sound="error"))
            return
        service, actor, inspection_id = self.service, self.actor, self.inspection.inspection_id

        def answered(view: InspectionState) -> None:
            self.history.append(question.id)
            self.skipped.discard(question.id)
            self._update(view)
            q = next(q for q in view.questions if q.id == question.id)
            if q.needs_photo:
                self.shell.bridge.show(Message(
                    Level.WARNING, self.tr("Photo needed"),
                    self.tr("“%1” failed and needs a photo.").replace("%1", q.zh if self._zh else q.en),
                    self.tr("Press F7 to add one now, or later before finishing."),
                    code="photo_needed", sound="attention"))
            self._advance()

        self._run(lambda: service.answer(actor, inspection_id, question.id, value), answered)

    def _update(self, view: InspectionState) -> None:
        self.inspection = view
        total_photos = sum(q.photos for q in view.questions)
        self.photos.setText(self.tr("Photos: %1").replace("%1", str(total_photos)))
        self.inspection_changed.emit(view)

    def _open_questions(self) -> list[QuestionView]:
        view = self.inspection
        if view is None:
            return []
        return [q for q in view.questions if q.asked and q.answer is None and q.id not in self.skipped]

    def _advance(self) -> None:
        open_questions = self._open_questions()
        view = self.inspection
        if view is None:
            return
        if open_questions:
            asked = [q for q in view.questions if q.asked]
            self.current = open_questions[0]
            self.question.show_question(self.current, asked.index(self.current) + 1, len(asked))
            self._show_page(1)
            return
        self.current = None
        self._show_summary(view)

    def _show_summary(self, view: InspectionState) -> None:
        if view.blockers:
            keys = self.tr("F7: add a photo   ·   Backspace: back")
            if self._waivable():
                keys += self.tr("   ·   W: no camera, a supervisor waives the photo")
            text = self.tr("Cannot finish yet:") + "\n• " + "\n• ".join(view.blockers) + "\n" + keys
        else:
            text = self.tr("All answered. Provisional grade %1.").replace("%1", view.provisional_grade.value) + \
                "\n" + self.tr("Enter or CMD:FINISH: finish   ·   Backspace: back")
        self.summary.setText(text)
        self._show_page(2)

    def back(self) -> None:
        if not self.history or self.inspection is None or self.result is not None:
            return
        previous = self.history.pop()
        view = self.inspection
        question = next(q for q in view.questions if q.id == previous)
        asked = [q for q in view.questions if q.asked]
        self.current = question
        self.skipped.discard(previous)
        self.question.show_question(question, asked.index(question) + 1 if question in asked else 1, len(asked))
        self._show_page(1)

    # --- photos -------------------------------------------------------------------------
    def add_photo(self) -> None:
        if self.inspection is None or self.result is not None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No unit open"), "",
                                           self.tr("Scan the LPN first."), code="no_question", sound="error"))
            return
        if self.camera is None or not self.camera.live:
            self.shell.bridge.show(Message(
                Level.INFO, self.tr("No camera") if self.camera is None else self.tr("Camera not working"),
                self.tr("Choose a photo file instead."),
                self.tr("Set a camera in settings (F10) to take photos here."), code="no_camera"))
        # The photo belongs to the unit and question in front of the inspector now; the
        # dialog keeps them even if something else happens while it is open.
        inspection_id = self.inspection.inspection_id
        needing = [q for q in self.inspection.questions if q.needs_photo]
        target = needing[0] if needing else self.current
        self._picking = RefusesScans(self.tr("Add a photo"))
        try:
            path = self.photo_picker(self)
        finally:
            self._picking = None
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.shell.bridge.show(Message(Level.ERROR, self.tr("Photo not read"), str(exc), "", code="photo_error",
                                           sound="error"))
            return
        content_type = mimetypes.guess_type(path)[0] or "image/jpeg"
        self._store_photo(inspection_id, target, lambda: data, content_type, Path(path).name)

    def capture_photo(self) -> None:
        """The camera's current frame, as a JPEG, to the question that needs a photo."""
        frame = self.camera.frame() if self.camera is not None else None
        if self.inspection is None or self.result is not None or frame is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No unit open"), "",
                                           self.tr("Scan the LPN first."), code="no_question", sound="error"))
            return
        needing = [q for q in self.inspection.questions if q.needs_photo]
        self._store_photo(self.inspection.inspection_id, needing[0] if needing else self.current,
                          lambda: jpeg_bytes(frame), "image/jpeg", self.tr("camera"))

    def _store_photo(self, inspection_id: Any, target: QuestionView | None, data: Callable[[], bytes],
                     content_type: str, name: str) -> None:
        service, actor = self.service, self.actor
        item_id = target.id if target is not None else ""

        def work() -> InspectionState:
            service.add_photo(actor, inspection_id, item_id, data(), content_type)
            return service.view(inspection_id)

        def added(view: InspectionState) -> None:
            if self.inspection is None or self.inspection.inspection_id != view.inspection_id:
                return  # stored on its own unit; the view has moved on
            self._update(view)
            self.shell.bridge.show(Message(Level.OK, self.tr("Photo added"), name, "",
                                           code="photo_added", sound="ok"))
            if self.pages.currentIndex() == 2:
                self._show_summary(view)

        self._run(work, added)

    # --- waiving a photo (no camera works) ----------------------------------------------
    def _waivable(self) -> QuestionView | None:
        """The question whose photo may be waived: one needs a photo and no camera is live."""
        if self.inspection is None or self.result is not None or (self.camera is not None and self.camera.live):
            return None
        return next((q for q in self.inspection.questions if q.needs_photo), None)

    def open_waiver(self) -> WaiverDialog | None:
        question = self._waivable()
        if question is None or self.inspection is None:
            return None
        dialog = WaiverDialog(self.inspection.lpn, question.zh if self._zh else question.en, self)
        inspection_id, item_id = self.inspection.inspection_id, question.id
        dialog.accepted.connect(lambda: self._waive(dialog, inspection_id, item_id))
        dialog.finished.connect(self._waiver_closed)
        self.waiver_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.reason.setFocus()
        return dialog

    def _waiver_closed(self, _result: int) -> None:
        self.waiver_dialog = None
        self.window().activateWindow()
        self.setFocus()

    def _waive(self, dialog: WaiverDialog, inspection_id: Any, item_id: str) -> None:
        badge, pin = dialog.supervisor()
        reason = dialog.reason.text()
        service, auth = self.service, AuthService(self.shell.ctx)

        def work() -> InspectionState:
            return service.waive_photo(auth.sign_in(badge, pin), inspection_id, item_id, reason)

        def waived(view: InspectionState) -> None:
            if self.inspection is None or self.inspection.inspection_id != view.inspection_id:
                return
            self._update(view)
            self.shell.bridge.show(Message(Level.OK, self.tr("Photo waived"), reason.strip(),
                                           self.tr("Press Enter to finish."), code="photo_waived", sound="ok"))
            self._advance()

        self._run(work, waived)

    # --- finishing ----------------------------------------------------------------------
    def finish(self) -> None:
        if self.inspection is None:
            return
        service, actor, inspection_id = self.service, self.actor, self.inspection.inspection_id
        labels, lpn, name = self.shell.labels, self.inspection.lpn, actor.name
        now = self.shell.ctx.now

        def work() -> InspectionResult:
            result = service.finish(actor, inspection_id)
            if result.unit_state == UnitState.QUARANTINED:
                labels.print_disposition(DispositionLabel(
                    lpn=lpn, grade=result.grade.value, disposition=DispositionKind.QUARANTINE.value,
                    rma_number=rma_number_of(service.ctx.session_factory, lpn), inspector=name,
                    decided_on=now().astimezone().strftime("%Y-%m-%d"), bin="QUARANTINE"))
            return result

        self._run(work, self._finished)

    def _finished(self, result: InspectionResult) -> None:
        self.show_result(result)
        self.finished.emit(result)

    def show_result(self, result: InspectionResult) -> None:
        self.result = result
        held = result.unit_state == UnitState.QUARANTINED and not result.released
        keys = self.tr("Esc: next unit") if held else self.tr("Enter or CMD:CONFIRM: confirm   ·   O: override grade")
        self.grade.show_result(result, keys)
        self._show_page(3)
        if held:
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("Held in quarantine"),
                self.tr("Grade %1 with flags; a supervisor decides.").replace("%1", result.grade.value),
                self.tr("Put the unit on the quarantine shelf with its label."),
                code="quarantined", sound="attention"))
        else:
            title = self.tr("Released by a supervisor: grade %1") if result.released else self.tr("Grade %1")
            self.shell.bridge.show(Message(
                Level.OK if result.grade.value in "AB" else Level.INFO,
                title.replace("%1", result.grade.value),
                disposition_words(self, result.recommended.value) + (f" → {result.bin_class}" if result.bin_class else ""),
                self.tr("Press Enter to confirm, or O to override the grade."),
                code=f"graded_{result.grade.value}", sound="ok" if result.grade.value in "AB" else "partial"))

    def confirm_disposition(self) -> None:
        result = self.result
        if result is None or (result.unit_state == UnitState.QUARANTINED and not result.released):
            return
        service, actor, lpn, labels = self.service, self.actor, result.lpn, self.shell.labels
        now = self.shell.ctx.now

        def work() -> DispositionView:
            done = service.dispose(actor, lpn)
            labels.print_disposition(DispositionLabel(
                lpn=lpn, grade=done.grade.value if done.grade else "", disposition=done.kind.value,
                rma_number=rma_number_of(service.ctx.session_factory, lpn), inspector=actor.name,
                decided_on=now().astimezone().strftime("%Y-%m-%d"), bin=done.bin))
            return done

        self._run(work, self._disposed)

    def _disposed(self, done: DispositionView) -> None:
        message = disposition_words(self, done.kind.value) + (f" → {done.bin}" if done.bin else "")
        next_step = self.tr("Label queued. Scan the next unit.")
        if done.approval_kind is not None:
            next_step = self.tr("Label queued; a supervisor must approve this.")
        self.shell.bridge.show(Message(Level.OK, self.tr("Unit %1 done").replace("%1", done.lpn), message,
                                       next_step, code="disposed", sound="ok"))
        self.disposed.emit(done)
        self._clear_unit()

    # --- override -----------------------------------------------------------------------
    def open_override(self) -> OverrideDialog | None:
        result = self.result
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

    def _override_closed(self, _result: int) -> None:
        self.override_dialog = None
        self.window().activateWindow()  # keys must come back here, not to a closed dialog
        self.setFocus()

    def _override(self, dialog: OverrideDialog) -> None:
        result = self.result
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

    # --- reset --------------------------------------------------------------------------
    def _clear_unit(self) -> None:
        self.inspection = None
        self.result = None
        self.current = None
        self.history = []
        self.skipped = set()
        self.unit.clear()
        self.photos.clear()
        self._show_page(0)

    def reset(self) -> None:
        self._clear_unit()
        self.banner.clear()
