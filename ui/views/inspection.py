"""Inspection: scan an LPN -> one question at a time -> finish -> grade -> confirm disposition.

Keyboard-complete, keys from ``ui.keymap`` (P/F/N or 1/2/3 answer, digits pick a choice,
Enter submits, finishes, confirms; Backspace goes back; F7 photo; O override; W waive a
photo when no camera works; Esc next unit); command scans do the same as their keys. The
page, the open question and what a key means are decided by the Qt-free
``ui.inspection_flow.InspectionFlow``; the checklist walk lives in ``inspection_walk``, the
pages in ``inspection_pages``, photos in ``inspection_photos``, the result and override in
``inspection_result``. With a camera in settings a live preview runs while
the view is shown and F7 captures its frame.

Signals: ``inspection_changed(InspectionState)``, ``finished(InspectionResult)``,
``disposed(DispositionView)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.core.errors import StationError
from station.inspection.service import InspectionService
from station.scanning.classify import ScanMeaning
from station.scanning.lots import lot_of
from ui.bridge import Level, Message
from ui.errors import show_error
from ui.inspection_flow import ANSWERS, EnterAct, InspectionFlow, Page
from ui.scan_targets import RefusesScans, TakesScans
from ui.shell import Shell
from ui.views.inspection_pages import InspectionPages
from ui.views.inspection_photos import PhotoActions, pick_photo_file
from ui.views.inspection_result import ResultActions
from ui.views.inspection_walk import WalkActions
from ui.widgets.banner import Banner
from ui.widgets.key_footer import KeyFooter
from ui.widgets.key_names import key_name
from ui.widgets.override_dialog import OverrideDialog
from ui.widgets.scan_layout import scan_prompt, scan_view_layout
from ui.widgets.waiver_dialog import WaiverDialog

log = logging.getLogger(__name__)


class InspectionView(WalkActions, PhotoActions, ResultActions, QWidget):
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

        self.prompt, self.code = scan_prompt(self, self.tr("Scan the LPN label on the unit"),
                                             self.tr("…or type the LPN and press Enter"), 32)
        self.unit = QLabel(self)
        self.unit.setObjectName("cardNumber")
        self.unit.setWordWrap(True)
        self.banner = Banner(self)
        self.pages = InspectionPages(shell.language, self)
        self.question, self.summary, self.grade = self.pages.question, self.pages.summary, self.pages.grade
        self.photos = QLabel(self)
        self.photos.setObjectName("caption")
        self.keys = KeyFooter("Inspection", self._zh, self)
        self.camera = None
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

    # --- pages and focus ----------------------------------------------------------------
    def _show_page(self, page: Page) -> None:
        self.pages.setCurrentIndex(int(page))
        self.keys.show_page(page.name.lower())  # this page's keys only
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
        lot = lot_of(meaning)
        if lot is not None and self.flow.inspection is not None:  # the item's GS1 code: keep its lot
            service, actor, lpn = self.service, self.actor, self.flow.inspection.lpn
            self._run(lambda: service.record_lot(actor, lpn, lot), self._lot_recorded)
            return
        if self.flow.scan_answers_lot(meaning):  # a code without a lot at the lot question: refused there
            self.answer_lot(meaning)
            return
        action = self.flow.scan_action(meaning)
        if action == "start":
            self.start(scan.text)
        elif action is None:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Not an inspection command"), scan.text.strip(),
                                           "", code="wrong_command", sound="error"))
        else:
            self._do(action, "")

    def answer_lot(self, meaning: ScanMeaning) -> None:
        """The lot question answered: the typed lot or scanned code, kept through ``record_lot``."""
        if self.flow.inspection is None:
            return
        try:
            lot = self.flow.lot_given(meaning)
        except StationError as exc:
            show_error(self.shell.bridge, exc)
            return
        service, actor, lpn = self.service, self.actor, self.flow.inspection.lpn
        self._run(lambda: service.record_lot(actor, lpn, lot), self._lot_recorded)

    def _lot_recorded(self, view: Any) -> None:
        if view is not None:
            self._update(view)
            self._header(view)
            self.shell.bridge.show(Message(Level.INFO, self.tr("Lot %1 recorded").replace("%1", view.lot), "",
                                           "", code="lot_recorded", sound="scan"))
            if self.flow.lot_recorded(view):  # it answered the lot question: on to the next one
                self._advance()

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
        scanning = self.flow.page == Page.SCAN
        typed = (self.code if scanning else self.question.entry).text().strip()
        if scanning:
            self.code.clear()
        act = self.flow.enter_act(typed)
        if act is EnterAct.LOOK_UP:
            self.handle_scan(Scan(typed, source="keyboard"))
        elif act is EnterAct.SKIP:
            self.flow.skip_current()
            self._advance()
        elif act is EnterAct.ANSWER:
            self.answer_current(typed)
        elif act is EnterAct.LOT:
            self.answer_lot(self.shell.classifier.classify(typed))
        elif act is EnterAct.FINISH:
            self.finish()
        elif act is EnterAct.CONFIRM:
            self.confirm_disposition()

    # --- background work ----------------------------------------------------------------
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

    # --- reset --------------------------------------------------------------------------
    def _clear_unit(self) -> None:
        self.flow.clear()
        self.unit.clear()
        self.photos.clear()
        self._show_page(Page.SCAN)

    def reset(self) -> None:
        self._clear_unit()
        self.banner.clear()
