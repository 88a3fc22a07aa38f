"""Decoding barcodes from images: a thorough still-image pipeline and a fast camera path.

Two readers, two jobs. ``decode_image`` serves a photo or a scan a clerk drops on the
station (``rma-station decode``): it reads with zxing-cpp and pyzbar, and when both find
nothing it retries on prepared copies of the image (contrast-limited equalisation,
upscaling, unsharp masking, smoothing, adaptive thresholding, another binariser) until a
time budget runs out, because a miss costs a clerk a re-scan while 100 ms costs nothing.
``FrameDecoder`` serves a camera at 30-60 frames/s: see its docstring for how it keeps a
frame to a few milliseconds with every warehouse format enabled and codes turned 90°.

Formats are named in lower case as in the corpus manifest (``code128``, ``ean13``,
``upca``, ``qrcode``, ``datamatrix``...).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

_ZX = zxingcpp.BarcodeFormat
#: What a returns dock meets on parcels, products and the station's own labels.
WAREHOUSE_FORMATS: tuple[str, ...] = (
    "code128", "code39", "code93", "itf", "codabar", "ean13", "ean8", "upca", "upce",
    "databar", "databarexp", "qrcode", "datamatrix", "pdf417", "aztec",
)
_ZX_FORMAT = {
    "code128": _ZX.Code128, "code39": _ZX.Code39, "code93": _ZX.Code93, "itf": _ZX.ITF,
    "codabar": _ZX.Codabar, "ean13": _ZX.EAN13, "ean8": _ZX.EAN8, "upca": _ZX.UPCA,
    "upce": _ZX.UPCE, "databar": _ZX.DataBar, "databarexp": _ZX.DataBarExp,
    "qrcode": _ZX.QRCode, "datamatrix": _ZX.DataMatrix, "pdf417": _ZX.PDF417, "aztec": _ZX.Aztec,
}
_ZX_NAME = {
    "Code128": "code128", "Code39": "code39", "Code39Std": "code39", "Code39Ext": "code39",
    "Code93": "code93", "ITF": "itf", "ITF14": "itf", "Codabar": "codabar", "EAN13": "ean13",
    "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "ISBN": "ean13", "DataBar": "databar",
    "DataBarOmni": "databar", "DataBarStk": "databar", "DataBarStkOmni": "databar",
    "DataBarLtd": "databar", "DataBarExp": "databarexp", "DataBarExpStk": "databarexp",
    "QRCode": "qrcode", "QRCodeModel1": "qrcode", "QRCodeModel2": "qrcode",
    "MicroQRCode": "qrcode", "DataMatrix": "datamatrix", "PDF417": "pdf417",
    "CompactPDF417": "pdf417", "Aztec": "aztec", "AztecCode": "aztec",
}
_ZBAR_NAME = {
    "CODE128": "code128", "CODE39": "code39", "CODE93": "code93", "I25": "itf", "CODABAR": "codabar",
    "EAN13": "ean13", "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "DATABAR": "databar",
    "DATABAR_EXP": "databarexp", "QRCODE": "qrcode", "PDF417": "pdf417",
}
#: AIM modifiers that mean "this symbol carries GS1 element strings".
_GS1_AIM = {"]C1", "]e0", "]d2", "]Q3", "]J1", "]z1"}


class UnreadableImage(ValueError):
    """A file that is not an image OpenCV can open."""


@dataclass(frozen=True)
class Decoded:
    """One barcode found in an image.

    ``quad`` is the symbol's corners (x, y) in image pixels; ``via`` names the reader and
    the pass that found it (``zxing``, ``zbar``, ``zxing:clahe-up2``...), for tuning.
    """

    text: str
    format: str
    aim: str = ""
    quad: tuple[tuple[int, int], ...] = ()
    via: str = "zxing"

    @property
    def symbology(self) -> str:
        """The name a ``Scan`` carries: ``gs1-`` in front when the symbol holds GS1 data."""
        if self.aim in _GS1_AIM and not self.format.startswith("databar"):
            return f"gs1-{'128' if self.format == 'code128' else self.format}"
        return self.format


def load_image(path: str | Path) -> np.ndarray:
    """Read an image file (PNG, JPEG, WebP, TIFF, BMP...) as a BGR or grey array."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise UnreadableImage(f"cannot read {path}: {exc.strerror or exc}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None:
        raise UnreadableImage(f"{path} is not an image this station can read")
    if image.dtype != np.uint8:
        image = cv2.convertScaleAbs(image, alpha=255.0 / max(1, int(image.max())))
    return image


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    if image.shape[2] == 1:
        return image[:, :, 0]
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def zxing_formats(names: Iterable[str]) -> list[zxingcpp.BarcodeFormat]:
    try:
        return [_ZX_FORMAT[n] for n in names]
    except KeyError as exc:
        raise ValueError(f"unknown barcode format {exc.args[0]!r}; known: {', '.join(_ZX_FORMAT)}") from None


def _zbar_symbols(names: Iterable[str]) -> list[object]:
    from pyzbar.pyzbar import ZBarSymbol

    wanted = {v: k for k, v in _ZBAR_NAME.items()}
    return [ZBarSymbol[wanted[n]] for n in names if n in wanted]


def read_zxing(
    gray: np.ndarray,
    formats: Sequence[zxingcpp.BarcodeFormat],
    *,
    via: str = "zxing",
    scale: float = 1.0,
    offset: tuple[int, int] = (0, 0),
    **options: Any,
) -> list[Decoded]:
    """zxing-cpp on a grey image; positions mapped back by ``scale`` and ``offset``."""
    found = zxingcpp.read_barcodes(gray, formats=formats, text_mode=zxingcpp.TextMode.Plain, **options)  # type: ignore[arg-type]
    out = []
    for b in found:
        p = b.position
        quad = tuple(
            (int(pt.x / scale) + offset[0], int(pt.y / scale) + offset[1])
            for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        fmt = _ZX_NAME.get(b.format.name, b.format.name.lower())
        out.append(Decoded(b.text, fmt, b.symbology_identifier, quad, via))
    return out


def read_zbar(gray: np.ndarray, symbols: Sequence[object], *, via: str = "zbar", scale: float = 1.0) -> list[Decoded]:
    """pyzbar on a grey image, limited to ``symbols`` (unrestricted zbar floods stderr)."""
    from pyzbar import pyzbar

    out = []
    for d in pyzbar.decode(gray, symbols=symbols or None):
        fmt = _ZBAR_NAME.get(d.type, d.type.lower())
        text = d.data.decode("utf-8", errors="replace")
        if fmt == "ean13" and len(text) == 13 and text.startswith("0"):
            # zbar reports UPC-A as its EAN-13 form; give the 12 digits printed on the pack.
            fmt, text = "upca", text[1:]
        r = d.rect
        quad = tuple((int(x / scale), int(y / scale)) for x, y in (
            (r.left, r.top), (r.left + r.width, r.top), (r.left + r.width, r.top + r.height), (r.left, r.top + r.height)
        ))
        out.append(Decoded(text, fmt, "", quad, via))
    return out


def _dedupe(results: Iterable[Decoded]) -> list[Decoded]:
    seen: set[tuple[str, str]] = set()
    out = []
    for r in results:
        key = (r.text, "ean" if r.format in ("ean13", "upca") else r.format)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


_MATRIX = {"qrcode", "datamatrix", "pdf417", "aztec"}


def _confident(found: Sequence[Decoded]) -> bool:
    """Whether a first read can be trusted enough to stop looking.

    2D symbols carry error correction; a linear code is trusted when both libraries read
    the same text. A lone linear read may be a partial misread (zbar reports an EAN-8 inside
    a worn EAN-13) or the other code on a pack, so retries still run within the budget.
    """
    if any(r.format in _MATRIX for r in found):
        return True
    by_reader: dict[str, set[str]] = {"zxing": set(), "zbar": set()}
    for r in found:
        by_reader[r.via].add(r.text[-12:])
    return bool(found) and by_reader["zxing"] == by_reader["zbar"]


_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def _up2(g: np.ndarray) -> np.ndarray:
    return cv2.resize(g, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _unsharp(g: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(g, 3.0, cv2.GaussianBlur(g, (0, 0), 2), -2.0, 0)


#: Retries for a still image, in the order they paid off on real photos (corpus study in
#: bench/bench_decoding.py): (name, prepare, use zbar too). Upscaling is only for small
#: images; a large photo gets the same retries on the image as it is.
RETRIES: tuple[tuple[str, Callable[[np.ndarray, bool], np.ndarray], bool], ...] = (
    ("clahe-up2", lambda g, small: _CLAHE.apply(_up2(g) if small else g), True),
    ("clahe-unsharp", lambda g, small: _unsharp(_CLAHE.apply(g)), True),
    ("unsharp-up2", lambda g, small: _unsharp(_up2(g) if small else g), False),
    ("blur-clahe-up2", lambda g, small: _CLAHE.apply(cv2.GaussianBlur(_up2(g) if small else g, (5, 5), 0)), False),
    ("clahe", lambda g, small: _CLAHE.apply(g), True),
    ("up2", lambda g, small: _up2(g) if small else g, False),
    ("blur", lambda g, small: cv2.GaussianBlur(g, (5, 5), 0), False),
    ("adaptive", lambda g, small: cv2.adaptiveThreshold(
        g, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5), False),
    ("otsu", lambda g, small: cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1], True),
)
#: Images whose long side is at most this are upscaled 2x in retries; larger ones are
#: retried on a copy this size.
SMALL_SIDE = 1000
#: Photos larger than this are read at this size.
LARGE_SIDE = 2000


def decode_image(
    image: np.ndarray,
    *,
    formats: Sequence[str] = WAREHOUSE_FORMATS,
    budget_ms: float = 150.0,
    retries: Sequence[tuple[str, Callable[[np.ndarray, bool], np.ndarray], bool]] = RETRIES,
) -> list[Decoded]:
    """Every barcode found in a still image, thorough but bounded.

    Both libraries read the image as it is (zxing-cpp, then pyzbar, which catches some
    worn EAN/UPC that zxing-cpp drops). Unless that first read is trustworthy (see
    ``_confident``), retries run on prepared copies and their reads are pooled; a retry
    starts only if, by the cost of the slowest one so far, it will end inside ``budget_ms``,
    so a photo with no barcode costs about the budget, not the sum of every retry. Time is
    this thread's CPU time, so a station busy with other work reads the same codes as an
    idle one (it just takes longer in wall-clock terms).
    Photos over ``LARGE_SIDE`` pixels are read at that size; retries on images over
    ``SMALL_SIDE`` (and zbar's first read) use a copy that size: contrast, not resolution,
    is what they fix.
    """
    start = time.thread_time()
    zx = zxing_formats(formats)
    zb = _zbar_symbols(formats)
    gray = to_gray(image)
    view = _fit(gray, LARGE_SIDE)
    scale = view.shape[1] / gray.shape[1]
    small = max(view.shape) <= SMALL_SIDE
    work = view if small else _fit(view, SMALL_SIDE)
    t0 = time.thread_time()
    found = read_zxing(view, zx, scale=scale)
    # zbar costs ~3x zxing on a busy 1080p photo; it reads the smaller copy.
    found += read_zbar(work, zb, scale=work.shape[1] / gray.shape[1])
    first_ms = (time.thread_time() - t0) * 1000
    if _confident(found):
        return _dedupe(found)
    # First guess for a retry: an upscaled small image has 4x the pixels. Busy scenes (print,
    # text) cost more than that; the guess is corrected by each retry's measured cost.
    estimate = first_ms * (4.0 if small else work.size / view.size)
    for name, prepare, with_zbar in retries:
        elapsed = (time.thread_time() - start) * 1000
        if elapsed + estimate > budget_ms:
            log.debug("decode budget: skipping retries from %s on (%.0f ms spent)", name, elapsed)
            break
        t0 = time.thread_time()
        prepared = prepare(work, small)
        rscale = prepared.shape[1] / gray.shape[1]
        hits = read_zxing(prepared, zx, via=f"zxing:{name}", scale=rscale)
        if with_zbar:
            hits += read_zbar(prepared, zb, via=f"zbar:{name}", scale=rscale)
        # No early exit: a retry can read the wrong one of two codes in frame, and running
        # on costs no more than the worst case (a photo with no barcode) already does.
        found.extend(hits)
        estimate = max(estimate if name != retries[0][0] else 0.0, (time.thread_time() - t0) * 1000)
    return _dedupe(found)


def _fit(gray: np.ndarray, side: int) -> np.ndarray:
    if max(gray.shape) <= side:
        return gray
    f = side / max(gray.shape)
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
