"""Frames from a camera, file or stream, decoded only as far as the watcher needs them.

The arrival watcher judges every frame on a copy of about 160 px and reads the full picture
only when a parcel comes to rest: a few frames in a hundred. Decoding every 4K frame in full
(about 20 ms of one core for an MJPEG frame, before a single pixel is looked at) would spend
most of the time on pictures nobody reads. So:

* When the source sends JPEG pictures (MJPEG cameras over USB or HTTP, MJPG files: most
  dock cameras at 1080p and 4K), ``VideoFrames`` asks OpenCV for the compressed packets
  (``CAP_PROP_FORMAT`` -1) and a ``JpegFrame`` decodes them lazily: the watch copy with
  libjpeg's DCT scaling (1/8 of each side: a 4K frame in about 5 ms instead of 20, already
  grey), the full grey picture only when asked, and each at most once.
* Any other source (H.264, a V4L2 camera sending raw YUYV) is decoded by OpenCV as usual and
  wrapped in an ``ArrayFrame`` with the same questions.

``VideoFrames`` has the ``cv2.VideoCapture`` duck interface (``isOpened``, ``read``,
``release``, ``get``, ``set``), so whatever opens and reopens captures can open these.
Each frame counts the thread CPU seconds its decoding took (``decode_s``), so a benchmark can
tell video decoding from the watcher's own work.

Pure OpenCV/numpy: no Qt, no station import.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

import cv2
import numpy as np

from drivers.scanners.decoding import to_gray

_REDUCED_GREY = {1: cv2.IMREAD_GRAYSCALE, 2: cv2.IMREAD_REDUCED_GRAYSCALE_2,
                 4: cv2.IMREAD_REDUCED_GRAYSCALE_4, 8: cv2.IMREAD_REDUCED_GRAYSCALE_8}
_REDUCED_COLOUR = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2,
                   4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}


class Frame(Protocol):
    """One picture, asked for only what is needed of it."""

    width: int
    height: int
    decode_s: float

    def gray(self) -> np.ndarray:
        """The full-resolution grey picture."""
        ...

    def small_gray(self, side: int) -> np.ndarray:
        """A grey copy whose long side is at least ``side`` (cheaply: maybe larger)."""
        ...

    def small_bgr(self, side: int) -> np.ndarray:
        """A colour copy whose long side is at least ``side`` (for a preview)."""
        ...


class ArrayFrame:
    """A picture OpenCV already decoded (BGR or grey array)."""

    def __init__(self, image: np.ndarray, decode_s: float = 0.0) -> None:
        self.image = image
        self.height, self.width = image.shape[:2]
        self.decode_s = decode_s
        self._gray: np.ndarray | None = None

    def gray(self) -> np.ndarray:
        if self._gray is None:
            self._gray = to_gray(self.image)
        return self._gray

    def small_gray(self, side: int) -> np.ndarray:
        if self._gray is not None or self.image.ndim == 2:
            return self.gray()
        # Shrink the colour picture first: converting 8 million pixels to grey to keep 30,000
        # of them costs more than the shrinking.
        return to_gray(_shrunk(self.image, side))

    def small_bgr(self, side: int) -> np.ndarray:
        image = self.image if self.image.ndim == 3 else cv2.cvtColor(self.image, cv2.COLOR_GRAY2BGR)
        return _shrunk(image, side)


class JpegFrame:
    """A compressed JPEG picture, decoded lazily and at most once per size."""

    def __init__(self, data: np.ndarray, width: int, height: int) -> None:
        self.data = data
        self.width, self.height = width, height
        self.decode_s = 0.0
        self._grey: dict[int, np.ndarray] = {}
        self._colour: dict[int, np.ndarray] = {}

    def gray(self) -> np.ndarray:
        return self._decode_grey(1)

    def small_gray(self, side: int) -> np.ndarray:
        k = _reduction(self.width, self.height, side)
        # A colour copy decoded for the preview serves as well: turning 130,000 pixels grey
        # costs a fraction of decoding the picture again.
        shown = min((c for c in self._colour if c <= k), default=None, key=lambda c: -c)
        if shown is not None and k not in self._grey:
            return to_gray(self._colour[shown])
        return self._decode_grey(k)

    def small_bgr(self, side: int) -> np.ndarray:
        k = _reduction(self.width, self.height, side)
        image = self._colour.get(k)
        if image is None:
            image = self._colour[k] = self._decode(_REDUCED_COLOUR[k])
        return image

    def _decode_grey(self, k: int) -> np.ndarray:
        image = self._grey.get(k)
        if image is None:
            if 1 in self._grey:  # the full picture is decoded already: shrinking it is cheaper
                return self._grey[1]
            image = self._grey[k] = self._decode(_REDUCED_GREY[k])
        return image

    def _decode(self, flags: int) -> np.ndarray:
        """The picture decoded with ``flags``, its CPU time counted in ``decode_s``."""
        started = time.thread_time()
        image = cv2.imdecode(self.data, flags)
        self.decode_s += time.thread_time() - started
        if image is None:
            raise ValueError("a camera frame is not a readable JPEG picture")
        return image


def _reduction(width: int, height: int, side: int) -> int:
    """The largest of 1, 2, 4, 8 that keeps the long side at least ``side``."""
    long_side = max(width, height)
    for k in (8, 4, 2):
        if long_side // k >= side:
            return k
    return 1


def _shrunk(image: np.ndarray, side: int) -> np.ndarray:
    f = side / max(image.shape[:2])
    return image if f >= 1.0 else cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def as_frame(frame: Any) -> Frame:
    """A ``Frame`` for an array (what a plain ``VideoCapture`` or a test hands over) or a frame."""
    return ArrayFrame(frame) if isinstance(frame, np.ndarray) else frame


class VideoFrames:
    """``cv2.VideoCapture`` that hands out ``Frame``s, compressed JPEG packets where it can."""

    def __init__(self, source: int | str, *, capture: Any = None, compressed: bool = True) -> None:
        self.capture = capture if capture is not None else cv2.VideoCapture(source)
        self.jpeg = compressed and self.capture.isOpened() and _sends_jpeg(self.capture)
        if self.jpeg and not self.capture.set(cv2.CAP_PROP_FORMAT, -1):
            self.jpeg = False
        self._checked = False

    def isOpened(self) -> bool:  # noqa: N802 - the VideoCapture interface
        return bool(self.capture.isOpened())

    def read(self) -> tuple[bool, Frame | None]:
        started = time.thread_time()
        ok, data = self.capture.read()
        spent = time.thread_time() - started
        if not ok or data is None:
            return False, None
        if not self.jpeg:
            return True, ArrayFrame(data, spent)
        packet = np.asarray(data).reshape(-1)
        if not self._checked:
            self._checked = True
            if packet[:2].tobytes() != b"\xff\xd8":  # not JPEG after all: decode as usual from now on
                self.jpeg = False
                self.capture.set(cv2.CAP_PROP_FORMAT, 0)
                image = cv2.imdecode(packet, cv2.IMREAD_COLOR)
                return (image is not None), (ArrayFrame(image, spent) if image is not None else None)
        frame = JpegFrame(packet, int(self.capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                          int(self.capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        frame.decode_s = spent
        return True, frame

    def get(self, prop: int) -> float:
        return float(self.capture.get(prop))

    def set(self, prop: int, value: float) -> bool:
        return bool(self.capture.set(prop, value))

    def release(self) -> None:
        self.capture.release()


def _sends_jpeg(capture: Any) -> bool:
    fourcc = int(capture.get(cv2.CAP_PROP_FOURCC))
    name = "".join(chr((fourcc >> (8 * i)) & 0xFF) for i in range(4)).upper()
    return name in ("MJPG", "JPEG", "MJPA", "AVRN")
