"""Photos at inspection: the camera's live preview and capture, a file (saying when there
is no camera), and a supervisor's waiver when no camera works. A mixin of ``InspectionView``: the photo is bound
to the inspection and question in front of the inspector when the key was pressed, and the
file dialog refuses scans while it is open (``ui.scan_targets``)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from station.core.errors import DeviceNotFound
from station.inspection.views import InspectionView as InspectionState
from station.inspection.views import QuestionView
from station.operators.service import AuthService
from ui.bridge import Level, Message
from ui.camera import camera_target, jpeg_bytes
from ui.errors import show_error
from ui.scan_targets import RefusesScans
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.waiver_dialog import WaiverDialog


def pick_photo_file(parent: QWidget) -> str | None:
    pictures = Path.home() / "Pictures"
    path, _ = QFileDialog.getOpenFileName(parent, parent.tr("Add a photo"),
                                          str(pictures if pictures.is_dir() else Path.home()),
                                          parent.tr("Pictures (*.jpg *.jpeg *.png *.webp)"))
    return path or None


class PhotoActions:
    """Needs from the view: ``flow``, ``service``, ``actor``, ``shell``, ``camera``,
    ``camera_uri``, ``middle`` (the row the preview joins), ``photo_picker``, ``_picking``,
    ``waiver_dialog``, ``_run``, ``_update``, ``_advance``, ``_show_summary``, ``_zh``, ``tr``."""

    camera: CameraPreview | None
    waiver_dialog: WaiverDialog | None
    _picking: RefusesScans | None

    def _open_camera(self: Any) -> None:
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

    def shutdown(self: Any) -> None:
        if self.camera is not None:
            self.camera.shutdown()

    def _no_unit(self: Any) -> bool:
        if not self.flow.unit_open:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("No unit open"), "",
                                           self.tr("Scan the LPN first."), code="no_question", sound="error"))
            return True
        return False

    @property
    def camera_live(self: Any) -> bool:
        return self.camera is not None and self.camera.live

    def photo(self: Any) -> None:
        """F7: the camera's frame when it is live, else a file."""
        if self.camera_live:
            self.capture_photo()
        else:
            self.add_photo()

    def add_photo(self: Any) -> None:
        if self._no_unit():
            return
        if not self.camera_live:
            self.shell.bridge.show(Message(
                Level.INFO, self.tr("No camera") if self.camera is None else self.tr("Camera not working"),
                self.tr("Choose a photo file instead."),
                self.tr("Set a camera in settings (F10) to take photos here."), code="no_camera"))
        # The photo belongs to the unit and question in front of the inspector now; the
        # dialog keeps them even if something else happens while it is open.
        inspection_id, target = self.flow.inspection.inspection_id, self.flow.photo_target()
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

    def capture_photo(self: Any) -> None:
        """The camera's current frame, as a JPEG, to the question that needs a photo."""
        frame = self.camera.frame() if self.camera is not None else None
        if frame is None or self._no_unit():
            return
        self._store_photo(self.flow.inspection.inspection_id, self.flow.photo_target(),
                          lambda: jpeg_bytes(frame), "image/jpeg", self.tr("camera"))

    def _store_photo(self: Any, inspection_id: Any, target: QuestionView | None, data: Callable[[], bytes],
                     content_type: str, name: str) -> None:
        service, actor = self.service, self.actor
        item_id = target.id if target is not None else ""

        def work() -> InspectionState:
            service.add_photo(actor, inspection_id, item_id, data(), content_type)
            return service.view(inspection_id)

        def added(view: InspectionState) -> None:
            if not self.flow.shows(view.inspection_id):
                return  # stored on its own unit; the view has moved on
            self._update(view)
            self.shell.bridge.show(Message(Level.OK, self.tr("Photo added"), name, "", code="photo_added", sound="ok"))
            if self.flow.page.name == "SUMMARY":
                self._show_summary(view)

        self._run(work, added)

    # --- waiving a photo (no camera works) ----------------------------------------------
    def waive(self: Any) -> WaiverDialog | None:
        question = self.flow.waivable(self.camera_live)
        if question is None:
            return None
        dialog = WaiverDialog(self.flow.inspection.lpn, question.zh if self._zh else question.en, self)
        inspection_id, item_id = self.flow.inspection.inspection_id, question.id
        dialog.accepted.connect(lambda: self._waive(dialog, inspection_id, item_id))
        dialog.finished.connect(self._waiver_closed)
        self.waiver_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        dialog.reason.setFocus()
        return dialog

    open_waiver = waive

    def _waiver_closed(self: Any, _result: int) -> None:
        self.waiver_dialog = None
        self.window().activateWindow()
        self.setFocus()

    def _waive(self: Any, dialog: WaiverDialog, inspection_id: Any, item_id: str) -> None:
        badge, pin = dialog.supervisor()
        reason = dialog.reason.text()
        service, auth = self.service, AuthService(self.shell.ctx)

        def waived(view: InspectionState) -> None:
            if not self.flow.shows(view.inspection_id):
                return
            self._update(view)
            self.shell.bridge.show(Message(Level.OK, self.tr("Photo waived"), reason.strip(),
                                           self.tr("Press Enter to finish."), code="photo_waived", sound="ok"))
            self._advance()

        self._run(lambda: service.waive_photo(auth.sign_in(badge, pin), inspection_id, item_id, reason), waived)
