"""A cheap test for "is there anything like a linear barcode in this image?".

The still-image pipeline's whole-image retries (``decoding.RETRIES``) only ever rescue
linear codes, and on a photo with no barcode they are most of the cost. A linear barcode is
a patch of strong gradients that all point the same way; print, clutter edges and sensor
noise are either thin (one edge) or point every way. So: the structure tensor of a
downscaled copy, kept where the gradient is strong, coherent (one orientation) and dense
(not a lone edge), opened to drop thin strips; the largest such patch, as a fraction of the
image, is the score. About 3 ms on a 1000 px image.

Measured on the corpus (bench/bench_decoding.py) at ``SIDE`` = 480: every linear code
either library reads scores >= 1.0 %, every retry-rescued EAN/UPC >= 1.6 %, and cluttered
or noisy stills with no barcode <= 0.4 %, hence ``MIN_BAR_FRACTION``.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Long side of the copy the test looks at: bars of 1-2 px in the working copy survive.
SIDE = 480
#: Smallest bar patch, as a fraction of the image, that counts as "bars here".
MIN_BAR_FRACTION = 0.0075
_WINDOW = (7, 7)
_OPEN = np.ones((5, 5), np.uint8)


def bar_fraction(gray: np.ndarray) -> float:
    """Area of the largest bar-like patch in ``gray``, as a fraction of the image (0-1)."""
    if max(gray.shape) > SIDE:
        f = SIDE / max(gray.shape)
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    jxx = cv2.boxFilter(gx * gx, -1, _WINDOW)
    jyy = cv2.boxFilter(gy * gy, -1, _WINDOW)
    jxy = cv2.boxFilter(gx * gy, -1, _WINDOW)
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (energy + 1e-3)
    magnitude = cv2.magnitude(gx, gy)
    # Dense: the window's mean gradient is a fair share of its strongest one (not one edge).
    density = cv2.boxFilter(magnitude, -1, _WINDOW) / (cv2.dilate(magnitude, np.ones(_WINDOW, np.uint8)) + 1e-3)
    mask = ((coherence > 0.7) & (energy > 400) & (density > 0.3)).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _OPEN)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    if n < 2:
        return 0.0
    return float(stats[1:, cv2.CC_STAT_AREA].max()) / mask.size


def has_bars(gray: np.ndarray) -> bool:
    """Whether ``gray`` holds a patch that looks like a linear barcode."""
    return bar_fraction(gray) >= MIN_BAR_FRACTION
