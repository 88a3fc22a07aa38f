"""The live camera picture in the inspection view.

Owns a ``CameraFeed`` (``ui.camera``) and runs it only while the preview is on screen: Qt
sends hide/show events to the preview when its view changes tab or the operator signs out,
so the device is free whenever nobody looks at it.

Signals: ``failed(str)`` -- the camera could not be opened or stopped sending frames.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from ui.camera import CameraFeed

log = logging.getLogger(__name__)


class CameraPreview(QLabel):
    failed = Signal(str)

    def __init__(self, target: int | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setFixedSize(360, 270)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #102a43; color: #d9e2ec; border-radius: 6px;")
        self.setText(self.tr("Camera starting…"))
        self.feed: CameraFeed | None = CameraFeed(target, self)
        self.feed.frame.connect(self._show_frame)
        self.feed.failed.connect(self._failed)

    @property
    def live(self) -> bool:
        return self.feed is not None and self.feed.live and self.feed.latest is not None

    def frame(self) -> QImage | None:
        """A copy of the newest frame (frozen: safe to hand to a worker)."""
        return self.feed.latest.copy() if self.feed is not None and self.feed.latest is not None else None

    def _show_frame(self, image: QImage) -> None:
        self.setPixmap(QPixmap.fromImage(image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))

    def _failed(self, reason: str) -> None:
        self.clear()
        self.setText(self.tr("No camera"))
        self.failed.emit(reason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.feed is not None:
            self.feed.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        if self.feed is not None:
            self.feed.stop()

    def shutdown(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
