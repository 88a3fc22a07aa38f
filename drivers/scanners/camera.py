"""Camera scanner: OpenCV ``VideoCapture`` on a device index, a video file or a stream URL.

Two plain threads (drivers/ knows no Qt): a grabber reads frames into a one-frame slot, a
decoder takes the newest frame from the slot and runs ``FrameDecoder`` on it. A live camera
therefore never queues stale frames (the slot is overwritten) and nothing here ever blocks
the caller: ``start`` returns at once, scans arrive through the source's queue/callbacks.
A file is played frame by frame without dropping, so tests see every frame.
The same code seen again within ``hold_off_s`` of its last sighting is reported once, so a
label held under the camera is one scan, not thirty a second.

The grabber is a ``CameraLink``: a live camera or stream whose picture goes is reopened with
backoff (0.5, 1, 2, 4, 8 s...) for as long as the scanner runs, and each change is logged and
kept in ``link_status`` (``on_status`` hears it too); a camera that cannot be opened when the
scanner starts is still an error at ``start``, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from drivers.scanners.camera_link import CameraLink, Ending, LinkState, LinkStatus, capture_opener
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
        on_status: Callable[[LinkStatus], None] | None = None,
    ) -> None:
        super().__init__(name or f"camera://{target}")
        self.target = target
        self.hold_off_s = hold_off_s
        self.drop_frames = drop_frames if drop_frames is not None else self._is_live(target)
        self.decoder = decoder or FrameDecoder()
        self._capture_factory = capture_factory or _open_capture
        self.on_status = on_status
        self.link_status = LinkStatus(LinkState.OPENING)
        self._link: CameraLink | None = None
        self._slot: Any = None
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
        first = [capture]  # the link starts with the capture opened here, then opens its own

        def open_capture() -> Any:
            return first.pop() if first else self._capture_factory(self.target)

        self._link = CameraLink(open_capture, self._grabbed, self._link_changed, name=self.name,
                                ending=Ending.RECONNECT if self.drop_frames else Ending.FINISH)
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
        if self._link is not None:
            self._link.stop()
        with self._cond:
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout=5)

    def wait_until_done(self, timeout: float | None = None) -> bool:
        """For files: wait until every frame has been decoded. True when done."""
        for t in self._threads:
            t.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    def _grab_loop(self) -> None:
        assert self._link is not None
        try:
            self._link.run()  # returns when stopped, or at the end of a file
        finally:
            with self._cond:
                self._grabbed_all = True
                self._cond.notify_all()

    def _grabbed(self, frame: Any) -> None:
        """A frame from the link (on the grab thread): into the slot; a file's frames wait
        for the decoder, a live camera's newest frame replaces the one not yet decoded."""
        self.frames_read += 1
        with self._cond:
            while not self.drop_frames and self._slot is not None and not self._stop.is_set():
                self._cond.wait(0.1)
            self._slot = frame
            self._cond.notify_all()

    def _link_changed(self, status: LinkStatus) -> None:
        self.link_status = status
        if self.on_status is not None:
            self.on_status(status)

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
    """``cv2.VideoCapture``; a stream URL with read timeouts, so a stalled stream is reopened."""
    return capture_opener(target)()
