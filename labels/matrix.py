"""QR and Data Matrix symbols as module matrices, encoded by zxing-cpp.

reportlab's QR widget costs ~15 ms a label; a matrix from zxing-cpp costs ~10 us and is
drawn as rectangles (PDF) or handed to the printer with the same rows and columns (ZPL).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import zxingcpp

from labels.errors import LabelError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Matrix:
    """A 2D symbol: ``rows`` of ``True`` (dark) modules, without quiet zone."""

    kind: str  # "qr" | "datamatrix"
    data: str
    rows: tuple[tuple[bool, ...], ...]
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of dark runs

    @property
    def size(self) -> tuple[int, int]:
        return len(self.rows[0]), len(self.rows)


_FORMATS = {"qr": zxingcpp.BarcodeFormat.QRCode, "datamatrix": zxingcpp.BarcodeFormat.DataMatrix}
QUIET_MODULES = {"qr": 4, "datamatrix": 1}


@lru_cache(maxsize=4096)
def encode_matrix(kind: str, data: str, *, field: str = "barcode") -> Matrix:
    if not data:
        raise LabelError(field, "is empty; a 2D code needs something to encode.")
    if any(not (32 <= ord(ch) <= 126) for ch in data):
        # Kept to printable ASCII so the printer's ^BQ/^BX encodes exactly what the PDF shows.
        raise LabelError(field, f"{data!r} holds characters this label's 2D code does not carry.")
    try:
        kwargs = {"ec_level": "M"} if kind == "qr" else {}
        symbol = zxingcpp.create_barcode(data, _FORMATS[kind], **kwargs)
    except Exception as exc:  # noqa: BLE001 - zxing raises plain errors for capacity
        raise LabelError(field, f"cannot be encoded as {kind}: {exc}") from exc
    image = np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) < 128
    runs = []
    for r, row in enumerate(image):
        padded = np.concatenate(([False], row, [False])).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        runs += [(r, int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2])]
    rows = tuple(tuple(bool(v) for v in row) for row in image)
    return Matrix(kind=kind, data=data, rows=rows, runs=tuple(runs))
