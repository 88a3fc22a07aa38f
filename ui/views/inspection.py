"""Inspection: scan an LPN -> one question at a time -> finish -> grade -> confirm disposition.

Keyboard-complete, keys from ``ui.keymap`` (P/F/N or 1/2/3 answer, digits pick a choice,
Enter submits, finishes, confirms; Backspace goes back; F7 photo; O override; W waive a
photo when no camera works; Esc next unit); command scans do the same as their keys. The
page, the open question and what a key means are decided by the Qt-free
``ui.inspection_flow.InspectionFlow``; photos live in ``inspection_photos``, the result and
override in ``inspection_result``. With a camera in settings a live preview runs while
the view is shown and F7 captures its frame.

Signals: ``inspection_changed(InspectionState)``, ``finished(InspectionResult)``,
``disposed(DispositionView)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QWidget

from drivers.scanners.scan import Scan
from station.checklists import ItemKind
from station.context import Actor
from station.errors import DeviceNotFound
from station.inspection import InspectionService
from station.inspection_views import InspectionResult, QuestionView
from station.inspection_views import InspectionView as InspectionState
from station.scanning import ScanMeaning
from ui.bridge import Level, Message
from ui.camera import camera_target
from ui.commands import command_in
from ui.errors import show_error
from ui.inspection_flow import ANSWERS, InspectionFlow, Page
from ui.keymap import footer
from ui.scan_targets import RefusesScans, TakesScans
from ui.shell import Shell
from ui.views.inspection_photos import PhotoActions
from ui.views.inspection_result import ResultActions
from ui.widgets.banner import Banner
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.grade_panel import GradePanel
from ui.widgets.key_names import key_name
from ui.widgets.override_dialog import OverrideDialog
from ui.widgets.question import QuestionPanel
from ui.widgets.scan_layout import scan_view_layout
from ui.widgets.waiver_dialog import WaiverDialog

log = logging.getLogger(__name__)


def pick_photo_file(parent: QWidget) -> str | None:
    pictures = Path.home() / "Pictures"
    path, _ = QFileDialog.getOpenFileName(parent, parent.tr("Add a photo"),
                                          str(pictures if pictures.is_dir() else Path.home()),
                                          parent.tr("Pictures (*.jpg *.jpeg *.png *.webp)"))
    return path or None


class InspectionView(PhotoActions, ResultActions, QWidget):
    inspection_changed = Signal(object)
    finished = Signal(object)
    disposed = Signal(object)

    def __init__(self, shell: Shell, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.shell, self.actor = shell, actor
        self.service = InspectionService(shell.ctx)
        self.flow = InspectionFlow()
        self.busy = False
        self.photo_picker: Callable[[QWidget], str | None] = pick_photo_file
        self.override_dialog: OverrideDialog | None = None
        self.waiver_dialog: WaiverDialog | None = None
        self._picking: RefusesScans | None = None  # the photo file dialog, while it is open
        self._zh = shell.language.startswith("zh")

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
        self.keys = QLabel(footer("Inspection", self._zh), self)
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
        self._show_page(Page.SCAN)
        self._open_camera()

    # --- the flow's state, for callers and tests -----------------------------------------
    inspection = property(lambda self: self.flow.inspection)
    result = property(lambda self: self.flow.result)
    current = property(lambda self: self.flow.current)

    @property
    def open_dialog(self) -> TakesScans | None:
        """The dialog in front of this view: scans go to it, never to the unit behind it."""
        return self.override_dialog or self.waiver_dialog or self._picking

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
        self.camera.failed.connect(lambda reason: show_error(self.shell.bridge, DeviceNotFound(
            f"{self.camera_uri}: {reason}.", next_step=self.tr("Photos can still be added from a file: F7.")),
            title=self.tr("Camera not available")))

    def shutdown(self) -> None:
        if self.camera is not None:
            self.camera.shutdown()

    # --- pages and focus ----------------------------------------------------------------
    def _show_page(self, page: Page) -> None:
        self.pages.setCurrentIndex(int(page))
        self.keys.setText(footer("Inspection", self._zh, page.name.lower()))  # this page's keys only
        self.setFocus()

    def setFocus(self) -> None:  # noqa: N802 - keeps Qt's name; the main window calls it on tab change
        page = Page(self.pages.currentIndex())
        if page == Page.SCAN:
            self.code.setFocus()
        elif page == Page.QUESTION and self.question.wants_text:
            self.question.entry.setFocus()
        else:
            super().setFocus()

    # --- input --------------------------------------------------------------------------
    def handle_scan(self, scan: Scan, meaning: ScanMeaning | None = None) -> None:
        """A scan the main window classified (``meaning``); typed codes are classified here."""
        meaning = meaning or self.shell.classifier.classify(scan.text, scan.symbology)
        if not meaning.is_command_shaped:
            self.start(scan.text)
            return
        action = self.flow.command_action(command_in(meaning))
        if action is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Not an inspection command"), scan.text.strip(),
                                           "", code="wrong_command", sound="error"))
        else:
            self._do(action, "")

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        # Backspace in an empty answer field goes back a question instead of doing nothing.
        if obj is self.question.entry and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Backspace and not self.question.entry.text():
            self.back()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        name = key_name(event)
        action = self.flow.key_action(name)
        if action is None:
            super().keyPressEvent(event)
            return
        self._do(action, name)
        event.accept()

    def _do(self, action: str, key: str) -> None:
        if action in ANSWERS:
            self.answer_current(ANSWERS[action])
        elif action == "choice":
            self.answer_current(key)
        elif action == "photo_file":
            self.add_photo()
        else:
            getattr(self, action)()  # enter, back, photo, override, waive, reset

    def enter(self) -> None:
        page = self.flow.page
        if page == Page.SCAN:
            typed = self.code.text().strip()
            self.code.clear()
            if typed:
                self.handle_scan(Scan(typed, source="keyboard"))
        elif page == Page.QUESTION and self.flow.current is not None:
            if self.flow.current.kind in (ItemKind.NUMBER, ItemKind.TEXT):
                text = self.question.entry.text().strip()
                if not text and not self.flow.current.required:
                    self.flow.skip_current()
                    self._advance()
                else:
                    self.answer_current(text)
        elif page == Page.SUMMARY:
            self.finish()
        elif page == Page.RESULT:
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
        if not self.flow.is_open(code):
            service, actor = self.service, self.actor
            self._run(lambda: service.open_unit(actor, code), self._opened)

    def _opened(self, opened: InspectionState | InspectionResult) -> None:
        if isinstance(opened, InspectionResult):  # a quarantined unit a supervisor released
            self._clear_unit()
            self.unit.setText(opened.lpn)
            self.show_result(opened)
            return
        self.flow.started(opened)
        name = opened.product_zh if self._zh and opened.product_zh else opened.product_en
        title = opened.title_zh if self._zh else opened.title_en
        self.unit.setText(f"{opened.lpn}   {opened.sku}   {name}   ·   {title} v{opened.checklist_version}")
        self.shell.bridge.show(Message(Level.INFO, self.tr("Inspecting %1").replace("%1", opened.lpn), "",
                                       self.tr("Answer each question; Backspace goes back."),
                                       code="inspecting", sound="scan"))
        self._update(opened)
        self._advance()

    def answer_current(self, value: str) -> None:
        question, view = self.flow.current, self.flow.inspection
        if question is None or view is None or self.flow.page != Page.QUESTION:
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

    def _update(self, view: InspectionState) -> None:
        self.flow.update(view)
        self.photos.setText(self.tr("Photos: %1").replace("%1", str(sum(q.photos for q in view.questions))))
        self.inspection_changed.emit(view)

    def _advance(self) -> None:
        if self.flow.inspection is None:
            return
        if self.flow.advance() == Page.QUESTION:
            self._ask(self.flow.current)
        else:
            self._show_summary(self.flow.inspection)

    def _ask(self, question: QuestionView | None) -> None:
        if question is not None:
            view = self.flow.inspection
            self.question.show_question(question, *self.flow.position(), view.serial_sold if view else "",
                                        view.serial_received if view else "")
            self._show_page(Page.QUESTION)

    def _show_summary(self, view: InspectionState) -> None:
        if view.blockers:
            keys = self.tr("F7: add a photo   ·   Backspace: back")
            if self.flow.waivable(self.camera_live):
                keys += self.tr("   ·   W: no camera, a supervisor waives the photo")
            text = self.tr("Cannot finish yet:") + "\n• " + "\n• ".join(view.blockers) + "\n" + keys
        else:
            text = self.tr("All answered. Provisional grade %1.").replace("%1", view.provisional_grade.value) + \
                "\n" + self.tr("Enter or CMD:FINISH: finish   ·   Backspace: back")
        self.summary.setText(text)
        self._show_page(Page.SUMMARY)

    def back(self) -> None:
        if self.flow.back():
            self._ask(self.flow.current)

    # --- reset --------------------------------------------------------------------------
    def _clear_unit(self) -> None:
        self.flow.clear()
        self.unit.clear()
        self.photos.clear()
        self._show_page(Page.SCAN)

    def reset(self) -> None:
        self._clear_unit()
        self.banner.clear()
