"""Camera scanner: OpenCV ``VideoCapture`` on a device index, a video file or a stream URL.

Two plain threads (drivers/ knows no Qt): a grabber reads frames into a one-frame slot, a
decoder takes the newest frame from the slot and runs ``FrameDecoder`` on it. A live camera
therefore never queues stale frames (the slot is overwritten) and nothing here ever blocks
the caller: ``start`` returns at once, scans arrive through the source's queue/callbacks.
A file is played frame by frame without dropping, so tests see every frame.
The same code seen again within ``hold_off_s`` of its last sighting is reported once, so a
label held under the camera is one scan, not thirty a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from drivers.scanners.errors import ScannerUnavailable
from drivers.scanners.frame_decoder import FrameDecoder
from drivers.scanners.scan import Scan
from drivers.scanners.source import ScanSource

log = logging.getLogger(__name__)


class CameraScanner(ScanSource):
    """Scans from frames; ``target`` is an int (device), a file path or a URL."""

    def __init__(
        self,
        target: int | str,
        *,
        name: str | None = None,
        hold_off_s: float = 2.0,
        drop_frames: bool | None = None,
        decoder: FrameDecoder | None = None,
        capture_factory: Callable[[int | str], Any] | None = None,
    ) -> None:
        super().__init__(name or f"camera://{target}")
        self.target = target
        self.hold_off_s = hold_off_s
        self.drop_frames = drop_frames if drop_frames is not None else self._is_live(target)
        self.decoder = decoder or FrameDecoder()
        self._capture_factory = capture_factory or _open_capture
        self._slot: np.ndarray | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._grabbed_all = False
        self._threads: list[threading.Thread] = []
        self._last_seen: dict[str, float] = {}
        self.frames_read = 0
        self.frames_decoded = 0

    @staticmethod
    def _is_live(target: int | str) -> bool:
        return isinstance(target, int) or "://" in str(target)

    def _open(self) -> None:
        capture = self._capture_factory(self.target)
        if capture is None or not capture.isOpened():
            raise ScannerUnavailable(f"camera {self.target!r} cannot be opened: check the cable, the index or the URL")
        self._capture = capture
        self._stop.clear()
        self._grabbed_all = False
        self._threads = [
            threading.Thread(target=self._grab_loop, name=f"{self.name}-grab", daemon=True),
            threading.Thread(target=self._decode_loop, name=f"{self.name}-decode", daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout=5)
        self._capture.release()

    def wait_until_done(self, timeout: float | None = None) -> bool:
        """For files: wait until every frame has been decoded. True when done."""
        for t in self._threads:
            t.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    def _grab_loop(self) -> None:
        try:
            while not self._stop.is_set():
                ok, frame = self._capture.read()
                if not ok:
                    if self.drop_frames:  # a live stream hiccup: try again shortly
                        time.sleep(0.05)
                        continue
                    break
                self.frames_read += 1
                with self._cond:
                    while not self.drop_frames and self._slot is not None and not self._stop.is_set():
                        self._cond.wait(0.1)
                    self._slot = frame
                    self._cond.notify_all()
        except Exception:
            log.exception("camera %s: frame grabbing failed", self.name)
        finally:
            with self._cond:
                self._grabbed_all = True
                self._cond.notify_all()

    def _decode_loop(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                while self._slot is None and not self._grabbed_all and not self._stop.is_set():
                    self._cond.wait(0.1)
                frame, self._slot = self._slot, None
                self._cond.notify_all()
            if frame is None:
                if self._grabbed_all:
                    return
                continue
            try:
                found = self.decoder.decode(frame)
            except Exception:
                log.exception("camera %s: decoding a frame failed", self.name)
                continue
            self.frames_decoded += 1
            now = time.monotonic()
            for d in found:
                last = self._last_seen.get(d.text)
                self._last_seen[d.text] = now
                if last is None or now - last > self.hold_off_s:
                    self._emit(Scan(d.text, d.symbology, self.name, time.time()))


def _open_capture(target: int | str) -> Any:
    import cv2

    return cv2.VideoCapture(target)
