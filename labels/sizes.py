"""Label stock sizes, and the dot grid a label is laid out on.

Everything on a label is placed in printer dots at the chosen resolution (203 or 300 dpi);
the PDF then maps dots to points (72/dpi). That is what keeps PDF and ZPL at the same scale
and orientation, and why every barcode module is a whole number of dots.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from labels.errors import LabelError

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4
SUPPORTED_DPI = (203, 300)


@dataclass(frozen=True)
class LabelSize:
    """A label as it comes off the roll: ``width`` across the print head, ``height`` along
    the feed, in inches."""

    name: str
    width_in: float
    height_in: float

    def dots(self, dpi: int) -> tuple[int, int]:
        return round(self.width_in * dpi), round(self.height_in * dpi)

    @property
    def points(self) -> tuple[float, float]:
        return self.width_in * 72, self.height_in * 72


SIZES: dict[str, LabelSize] = {
    "4x6in": LabelSize("4x6in", 4.0, 6.0),
    "100x150mm": LabelSize("100x150mm", 100 / MM_PER_INCH, 150 / MM_PER_INCH),
    "2x1in": LabelSize("2x1in", 2.0, 1.0),
    "50x25mm": LabelSize("50x25mm", 50 / MM_PER_INCH, 25 / MM_PER_INCH),
}


def parse_size(name: str) -> LabelSize:
    try:
        return SIZES[name.strip().lower()]
    except KeyError:
        raise LabelError("size", f"{name!r} is not a label size; use one of {', '.join(SIZES)}.") from None


def check_dpi(dpi: int) -> int:
    if dpi not in SUPPORTED_DPI:
        raise LabelError("dpi", f"{dpi} is not supported; use 203 or 300.")
    return dpi


def min_module_dots(dpi: int) -> int:
    """Narrowest bar a handheld scanner reads reliably: 0.25 mm (10 mil), in whole dots."""
    return 2 if dpi < 250 else 3
