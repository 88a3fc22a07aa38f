"""The inspection camera: live preview frames from a worker thread that owns the device.

``camera.uri`` in settings names the camera the same way the scanner registry does:
``camera://0`` (a device index), ``camera:///path/video.avi`` (a file, played in a loop at
its own frame rate: the stand-in for a camera on machines without one), ``rtsp://...``.
A ``CameraWorker`` lives on its own ``QThread``, opens ``cv2.VideoCapture``, and emits each
frame as a ``QImage``; it never touches a widget and stops on a flag checked every frame.

Signals (``CameraFeed``): ``frame(QImage)``, ``failed(str)``, ``started()``.
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

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


class CameraWorker(QObject):
    frame = Signal(QImage)
    failed = Signal(str)
    opened = Signal()
    done = Signal()

    def __init__(self, target: int | str) -> None:
        super().__init__()
        self.target = target
        self.stop_flag = threading.Event()

    @Slot()
    def run(self) -> None:
        import cv2

        capture = cv2.VideoCapture(self.target)
        try:
            if not capture.isOpened():
                self.failed.emit(f"camera {self.target!r} cannot be opened")
                return
            is_file = isinstance(self.target, str) and "://" not in self.target
            interval = 1.0 / (capture.get(cv2.CAP_PROP_FPS) or 25.0) if is_file else 0.0
            self.opened.emit()
            misses = 0
            while not self.stop_flag.is_set():
                ok, bgr = capture.read()
                if not ok:
                    misses += 1
                    if misses > 50:
                        self.failed.emit(f"camera {self.target!r} stopped sending frames")
                        return
                    if is_file:
                        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)  # loop the stand-in video
                    else:
                        time.sleep(0.05)
                    continue
                misses = 0
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
                h, w = rgb.shape[:2]
                self.frame.emit(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())
                if interval:
                    time.sleep(interval)
        finally:
            capture.release()
            self.done.emit()


class CameraFeed(QObject):
    """Owns the worker thread; keeps the newest frame for capture."""

    frame = Signal(QImage)
    failed = Signal(str)
    started = Signal()

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
        self._thread, self._worker = thread, worker
        thread.start()

    def _opened(self) -> None:
        self.live = True
        self.started.emit()

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
        worker.stop_flag.set()
        thread.quit()
        if not thread.wait(5000):
            log.error("camera thread did not stop within 5 s")
            return  # leak the thread rather than destroy it while it runs
        thread.deleteLater()
