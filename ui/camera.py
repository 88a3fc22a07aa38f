"""The inspection camera: live preview frames from a worker thread that owns the device.

``camera.uri`` in settings names the camera the same way the scanner registry does:
``camera://0`` (a device index), ``camera:///path/video.avi`` (a file, played in a loop at
its own frame rate: the stand-in for a camera on machines without one), ``rtsp://...``.
A ``CameraWorker`` lives on its own ``QThread`` and reads the camera through a
``CameraLink`` (drivers/scanners/camera_link.py), which reopens a camera or a stream whose
picture went, with backoff; it emits each frame as a ``QImage``, never touches a widget, and
stops on request after the read under way.

``camera_words`` is the one place the camera's state is put into words for the clerk (the
inspection preview and the receiving view's arrival preview both use it).

Signals (``CameraFeed``): ``frame(QImage)``, ``failed(str)`` (a file that cannot be played),
``started()``, ``link(LinkStatus)``.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from drivers.scanners.camera_link import CameraLink, Ending, LinkState, LinkStatus, capture_opener, is_video_file
from station.core.errors import ConfigError

log = logging.getLogger(__name__)


def camera_target(uri: str) -> int | str:
    """``camera://0`` -> 0, ``camera:///x.avi`` -> ``/x.avi``, stream URLs unchanged."""
    parts = urlsplit(uri)
    if parts.scheme == "camera":
        if parts.netloc.isdigit():
            return int(parts.netloc)
        if parts.path:
            return unquote(parts.path)
    elif parts.scheme in ("rtsp", "http", "https"):
        return uri
    raise ConfigError(f"Camera {uri!r}: write camera://0, camera:///path/video.avi or rtsp://...",
                      next_step="Fix camera.uri in settings.")


def jpeg_bytes(image: QImage, quality: int = 90) -> bytes:
    """The frame as JPEG (safe on any thread: QImage, not QPixmap)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "JPEG", quality):
        raise ValueError("the frame could not be encoded as JPEG")
    buffer.close()
    return bytes(data.data())


def camera_words(status: LinkStatus, seen_picture: bool) -> str | None:
    """What the clerk reads about the camera's state (None: nothing to say).

    ``seen_picture``: whether this camera has shown a picture since it was started; a camera
    never seen is "no camera picture", one that went is "lost".
    """

    translate = QCoreApplication.translate  # literal context and text each time: lupdate reads them
    state = status.state
    if state is LinkState.STALLED or (state is LinkState.LOST and seen_picture):
        return translate("CameraWords", "Camera picture lost: waiting for it to come back")
    if state is LinkState.LOST:
        return translate("CameraWords", "No camera picture")
    if state is LinkState.RECONNECTING:
        words = (translate("CameraWords", "Camera picture lost: reconnecting (attempt %1, next try in %2 s)")
                 if seen_picture else
                 translate("CameraWords", "No camera picture: trying again (attempt %1, next try in %2 s)"))
        return words.replace("%1", str(status.attempt)).replace("%2", f"{status.next_try_s:g}")
    if state is LinkState.BACK:
        return translate("CameraWords", "Camera back")
    return None


def greyed_picture(image: QImage, words: str) -> QImage:
    """The last picture in grey, dimmed, with ``words`` over it: plainly not live any more."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(grey)
    painter.fillRect(grey.rect(), QColor(0, 0, 0, 110))
    painter.setPen(QColor("#ffffff"))
    painter.setFont(QFont(painter.font().family(), max(12, grey.height() // 18), QFont.Weight.Bold))
    painter.drawText(grey.rect().adjusted(12, 12, -12, -12),
                     int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), words)
    painter.end()
    return grey


class CameraWorker(QObject):
    """Reads the camera on its thread through a ``CameraLink``: a file loops (the stand-in),
    a camera or a stream that goes is reopened with backoff, never given up."""

    frame = Signal(QImage)
    failed = Signal(str)
    opened = Signal()
    link = Signal(object)  # LinkStatus
    done = Signal()

    def __init__(self, target: int | str) -> None:
        super().__init__()
        self.target = target
        played = is_video_file(target)
        self.camera_link = CameraLink(capture_opener(target), self._frame, self._status, name=f"camera {target!r}",
                                      ending=Ending.REPLAY if played else Ending.RECONNECT, pace=played)

    def stop(self) -> None:
        """Ask the worker to stop (from any thread); it does after the read under way."""
        self.camera_link.stop()

    @Slot()
    def run(self) -> None:
        try:
            self.camera_link.run()
        finally:
            self.done.emit()

    def _frame(self, bgr) -> None:  # type: ignore[no-untyped-def]
        import cv2

        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        h, w = rgb.shape[:2]
        self.frame.emit(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())

    def _status(self, status: LinkStatus) -> None:
        self.link.emit(status)
        if status.state is LinkState.LIVE:
            self.opened.emit()
        elif status.state is LinkState.FAILED:
            self.failed.emit(status.reason)


class CameraFeed(QObject):
    """Owns the worker thread; keeps the newest frame for capture. ``live`` only while the
    picture arrives: a stalled or lost camera is not live (its last frame is no photo)."""

    frame = Signal(QImage)
    failed = Signal(str)
    started = Signal()
    link = Signal(object)  # LinkStatus

    def __init__(self, target: int | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.latest: QImage | None = None
        self.live = False
        self._thread: QThread | None = None
        self._worker: CameraWorker | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        thread = QThread()
        thread.setObjectName("camera")
        worker = CameraWorker(self.target)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(thread.quit)
        thread.finished.connect(worker.deleteLater)  # deferred deletes run as the thread ends
        worker.frame.connect(self._frame)
        worker.failed.connect(self._failed)
        worker.opened.connect(self._opened)
        worker.link.connect(self._link)
        self._thread, self._worker = thread, worker
        thread.start()

    def _opened(self) -> None:
        self.live = True
        self.started.emit()

    def _link(self, status: LinkStatus) -> None:
        if self._worker is None:
            return
        if status.state in (LinkState.STALLED, LinkState.LOST, LinkState.RECONNECTING):
            self.live = False
        elif status.state is LinkState.BACK:
            self.live = True
        self.link.emit(status)

    def _frame(self, image: QImage) -> None:
        if self._worker is None:
            return
        self.latest = image
        self.frame.emit(image)

    def _failed(self, reason: str) -> None:
        self.live = False
        log.warning("camera: %s", reason)
        self.failed.emit(reason)

    def stop(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        self.live = False
        self.latest = None
        if thread is None or worker is None:
            return
        worker.stop()
        thread.quit()
        if not thread.wait(5000):
            log.error("camera thread did not stop within 5 s")
            return  # leak the thread rather than destroy it while it runs
        thread.deleteLater()
