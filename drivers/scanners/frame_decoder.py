"""The camera path: a barcode per frame in a few milliseconds.

zxing-cpp's defaults search every format at every scale in both orientations and both
polarities (~47 ms on a busy 720p frame). A camera gives the decoder something a photo does
not: the next frame looks like the last one. ``FrameDecoder`` uses that:

1. **Region of interest.** After a hit, the next frame is first read only around where the
   code was (with a margin), at full resolution: a fraction of the pixels.
2. **Fast pass.** Otherwise the frame is shrunk so its long side is ~``fast_side`` px and
   read with rotation, inversion and zxing's own pyramid off.
3. **Turned 90 degrees.** Only when that finds nothing, the shrunk frame is transposed and
   read again (cheaper than ``try_rotate``, which rescans every line).
4. **Full resolution.** Small codes the shrunk frame lost: a full pass every
   ``full_every`` missed frames, and pyzbar on the shrunk frame at most every
   ``zbar_interval_s`` (zbar costs >100 ms on a full 720p frame).

Every warehouse format stays enabled throughout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from drivers.scanners.decoding import (
    WAREHOUSE_FORMATS,
    Decoded,
    _zbar_symbols,
    read_zbar,
    read_zxing,
    to_gray,
    zxing_formats,
)

log = logging.getLogger(__name__)


class FrameDecoder:
    """Stateful decoder for a stream of frames from one camera (not thread-safe)."""

    def __init__(
        self,
        formats: Sequence[str] = WAREHOUSE_FORMATS,
        *,
        fast_side: int = 640,
        roi_margin: float = 0.6,
        full_every: int = 4,
        use_zbar: bool = True,
        zbar_interval_s: float = 0.25,
    ) -> None:
        self._zx = zxing_formats(formats)
        self._zb = _zbar_symbols(formats) if use_zbar else []
        self.fast_side = fast_side
        self.roi_margin = roi_margin
        self.full_every = full_every
        self.zbar_interval_s = zbar_interval_s
        self._roi: tuple[int, int, int, int] | None = None
        self._misses = 0
        self._last_zbar = 0.0
        self._fast: dict[str, Any] = dict(try_rotate=False, try_invert=False, try_downscale=False)

    def reset(self) -> None:
        self._roi = None
        self._misses = 0

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        gray = to_gray(frame)
        found = self._decode(gray)
        if found:
            self._misses = 0
            self._roi = self._roi_around(found, gray.shape)
        else:
            self._misses += 1
            self._roi = None
        return found

    def _decode(self, gray: np.ndarray) -> list[Decoded]:
        if self._roi is not None:
            x0, y0, x1, y1 = self._roi
            crop = gray[y0:y1, x0:x1]
            found = read_zxing(crop, self._zx, via="zxing:roi", offset=(x0, y0), **self._fast)
            if found:
                return found
            found = read_zxing(cv2.transpose(crop), self._zx, via="zxing:roi-turned", **self._fast)
            if found:
                return [_untranspose(d, 1.0, (x0, y0)) for d in found]
        h, w = gray.shape
        factor = min(1.0, self.fast_side / max(h, w))
        small = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        found = read_zxing(small, self._zx, via="zxing:fast", scale=factor, **self._fast)
        if found:
            return found
        turned = cv2.transpose(small)
        found = read_zxing(turned, self._zx, via="zxing:turned", **self._fast)
        if found:
            return [_untranspose(d, factor, (0, 0)) for d in found]
        if self.full_every and self._misses % self.full_every == self.full_every - 1 and factor < 1.0:
            found = read_zxing(gray, self._zx, via="zxing:full", try_rotate=True, try_invert=False, try_downscale=False)
            if found:
                return found
        now = time.monotonic()
        if self._zb and now - self._last_zbar >= self.zbar_interval_s:
            self._last_zbar = now
            return read_zbar(small, self._zb, via="zbar:fast", scale=factor)
        return []

    def _roi_around(self, found: list[Decoded], shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
        points = [p for d in found for p in d.quad]
        if not points:
            return None
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        h, w = shape[:2]
        size = max(max(xs) - min(xs), max(ys) - min(ys), 40)
        m = int(size * self.roi_margin) + 20
        x0, x1 = max(0, min(xs) - m), min(w, max(xs) + m)
        y0, y1 = max(0, min(ys) - m), min(h, max(ys) + m)
        if x1 - x0 < 32 or y1 - y0 < 32:
            return None
        return (x0, y0, x1, y1)


def _untranspose(d: Decoded, factor: float, offset: tuple[int, int]) -> Decoded:
    """Map corners found in a transposed, shrunk image back to the frame."""
    quad = tuple((int(y / factor) + offset[0], int(x / factor) + offset[1]) for x, y in d.quad)
    return Decoded(d.text, d.format, d.aim, quad, d.via)
