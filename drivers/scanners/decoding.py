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

from drivers.image_limits import MAX_PIXELS, ImageTooLarge, check_pixels
from drivers.scanners.bars import has_bars

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


class ImageRefused(UnreadableImage):
    """An image too large to decode safely (see ``drivers.image_limits``)."""


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


def load_image(path: str | Path, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read an image file (PNG, JPEG, WebP, TIFF, BMP...) as a BGR or grey array.

    The header's pixel count is checked first (``drivers.image_limits``), so a decompression
    bomb is refused with ``ImageTooLarge`` (an ``UnreadableImage``) before it is decoded.
    """
    try:
        check_pixels(path, max_pixels)
    except ImageTooLarge as exc:
        raise ImageRefused(f"{path}: {exc}") from None
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise UnreadableImage(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    except cv2.error as exc:  # e.g. a format OpenCV refuses by its own size limit
        raise UnreadableImage(f"{path} cannot be decoded ({' '.join(str(exc).split())[-120:]})") from None
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
    return [_decoded(b, via, scale, offset) for b in found]


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
_LINEAR = ("code128", "code39", "code93", "itf", "codabar", "ean13", "ean8", "upca", "upce", "databar", "databarexp")
#: zbar's retries read only these: on the corpus every zbar rescue was a worn EAN/UPC, and
#: zbar with every symbology costs 2-3x as much on a cluttered photo.
_RETAIL = ("ean13", "ean8", "upca", "upce")


def _up2(g: np.ndarray) -> np.ndarray:
    return cv2.resize(g, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _unsharp(g: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(g, 3.0, cv2.GaussianBlur(g, (0, 0), 2), -2.0, 0)


def _adaptive(g: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(g, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5)


@dataclass(frozen=True)
class Retry:
    """One prepared copy of a missed image and the readers that look at it.

    ``prepare`` gets the working copy, 2x upscaled if ``upscaled`` and the image is small
    (the upscale is made once and shared). zxing-cpp reads the copy for linear formats only and zbar (when ``zbar``) for
    EAN/UPC only: 2D symbols get their own retries around what zxing-cpp detected (see
    ``_candidate_retries``), and restricting formats makes a retry 3-5x cheaper.
    """

    name: str
    prepare: Callable[[np.ndarray], np.ndarray]
    upscaled: bool = False
    zbar: bool = False


#: Whole-image retries, cheapest rescue first. Corpus study (bench/bench_decoding.py,
#: ``decoding.corpus.pipeline.rescued_by``): of the 55 images neither library reads as they
#: are, these rescue 21 worn, blurred or low-contrast EAN/UPC photos; each image is rescued
#: by at least one zxing step or by zbar on the equalised upscale, which is the one costly
#: step (~40 ms on a cluttered VGA photo), so it runs last.
RETRIES: tuple[Retry, ...] = (
    Retry("clahe-unsharp", lambda g: _unsharp(_CLAHE.apply(g))),
    Retry("blur", lambda g: cv2.GaussianBlur(g, (5, 5), 0)),
    Retry("unsharp-up2", _unsharp, upscaled=True),
    Retry("clahe-up2", _CLAHE.apply, upscaled=True, zbar=True),
    Retry("blur-clahe-up2", lambda g: _CLAHE.apply(cv2.GaussianBlur(g, (5, 5), 0)), upscaled=True),
)
#: Retries on a crop around a symbol zxing-cpp located but could not decode (a checksum
#: error): cheap, because a crop is a few percent of the image, and in the corpus they
#: rescue every such DataMatrix and PDF417.
CANDIDATE_RETRIES: tuple[tuple[str, Callable[[np.ndarray], np.ndarray]], ...] = (
    ("up2", _up2),
    ("clahe-up2", lambda g: _CLAHE.apply(_up2(g))),
    ("adaptive", _adaptive),
    ("clahe-unsharp", lambda g: _unsharp(_CLAHE.apply(g))),
)
#: At most this many undecodable symbols get candidate retries (a busy photo can show many).
MAX_CANDIDATES = 4
#: Images whose long side is at most this are upscaled 2x in retries; larger ones are
#: retried on a copy this size.
SMALL_SIDE = 1000
#: Photos larger than this are read at this size.
LARGE_SIDE = 2000


@dataclass
class _Still:
    """One still image at the sizes the pipeline reads it, and what was found so far."""

    gray: np.ndarray
    view: np.ndarray  # read by zxing-cpp: at most LARGE_SIDE
    work: np.ndarray  # read by zbar and the retries: at most SMALL_SIDE
    found: list[Decoded]
    candidates: list[zxingcpp.Barcode]
    bars: bool  # see drivers/scanners/bars.py

    @property
    def small(self) -> bool:
        """Small enough for retries to upscale it 2x."""
        return max(self.view.shape) <= SMALL_SIDE

    def scale_of(self, image: np.ndarray) -> float:
        return image.shape[1] / self.gray.shape[1]


def decode_image(
    image: np.ndarray,
    *,
    formats: Sequence[str] = WAREHOUSE_FORMATS,
    budget_ms: float = 150.0,
    retries: Sequence[Retry] = RETRIES,
) -> list[Decoded]:
    """Every barcode found in a still image, thorough but bounded.

    Both libraries read the image as it is (zxing-cpp, then pyzbar, which catches some
    worn EAN/UPC that zxing-cpp drops). Unless that first read is trustworthy (see
    ``_confident``), symbols zxing-cpp located but could not decode are retried on crops
    around them, then, if the image shows bars (``bars.has_bars``), the whole image is
    retried for linear codes on prepared copies; all reads are pooled. A retry starts only if, by what the readers cost so far, it ends
    inside ``budget_ms``. Time is this thread's CPU time, so a station busy with other work
    reads the same codes as an idle one (it just takes longer in wall-clock terms).
    A photo with no barcode costs about the first read (figures in docs/scanning.md).
    Photos over ``LARGE_SIDE`` pixels are read at that size; retries on images over
    ``SMALL_SIDE`` (and zbar's first read) use a copy that size: contrast, not resolution,
    is what they fix.
    """
    start = time.thread_time()
    still = _first_pass(image, formats)
    # A located symbol left undecoded is a code still to read (e.g. the second one on a pack).
    if _confident(still.found) and not still.candidates:
        return _dedupe(still.found)
    still.found += _candidate_retries(still, formats)
    _whole_image_retries(still, formats, retries, start, budget_ms)
    return _dedupe(still.found)


def _first_pass(image: np.ndarray, formats: Sequence[str]) -> _Still:
    """zxing-cpp on the image (at most LARGE_SIDE), then zbar on the working copy.

    zxing-cpp also returns what it located but could not decode; those become candidates.
    zbar costs ~3x zxing-cpp on a busy 1080p photo, so it reads the smaller copy, and on a
    large photo only when it shows bars: its value is worn EAN/UPC, and a QR code in a
    large photo is better read by zxing-cpp at twice zbar's resolution (zbar on a busy
    12-megapixel photo's copy: ~55 ms).
    """
    gray = to_gray(image)
    view = _fit(gray, LARGE_SIDE)
    work = _fit(view, SMALL_SIDE)
    still = _Still(gray, view, work, [], [], has_bars(work))
    raw = zxingcpp.read_barcodes(view, formats=zxing_formats(formats), text_mode=zxingcpp.TextMode.Plain, return_errors=True)  # type: ignore[arg-type]
    still.found = [_decoded(b, "zxing", still.scale_of(view), (0, 0)) for b in raw if b.valid]
    still.candidates = [b for b in raw if not b.valid][:MAX_CANDIDATES]
    if still.small or still.bars:
        still.found += read_zbar(work, _zbar_symbols(formats), scale=still.scale_of(work))
    return still


def _candidate_retries(still: _Still, formats: Sequence[str]) -> list[Decoded]:
    """Re-read each located-but-undecodable symbol on prepared crops, in its format only."""
    out: list[Decoded] = []
    vs = still.scale_of(still.view)
    for cand in still.candidates:
        fmt = _ZX_NAME.get(cand.format.name, "")
        wanted = [f for f in formats if f in _LINEAR] if fmt in _LINEAR else [fmt]
        if not wanted or fmt not in formats:
            continue
        x0, y0, crop = _crop_around(still.view, cand.position)
        for name, prepare in CANDIDATE_RETRIES:
            prepared = prepare(crop)
            up = prepared.shape[1] / crop.shape[1]
            hits = read_zxing(prepared, zxing_formats(wanted), via=f"zxing:roi-{name}", scale=up * vs,
                              offset=(int(x0 / vs), int(y0 / vs)))
            if hits:
                out += hits
                break
    return out


def _whole_image_retries(
    still: _Still, formats: Sequence[str], retries: Sequence[Retry], start: float, budget_ms: float
) -> None:
    """Run ``retries`` on the working copy while the budget allows; reads go into ``still.found``.

    No early exit on a hit: a retry can read the wrong one of two codes in frame, and the
    schedule is cheap. Each reader's cost per pixel is taken from its last read (first
    guess: the first pass, which read every format), so a retry that would overrun the
    budget is skipped rather than started.
    """
    linear = zxing_formats([f for f in formats if f in _LINEAR])
    retail = _zbar_symbols([f for f in formats if f in _RETAIL])
    if not still.bars or (not linear and not retail):
        return
    ms_per_px = {"zx": _ZX_FIRST_GUESS, "zb": _ZB_FIRST_GUESS}
    upscaled: np.ndarray | None = None
    for retry in retries:
        up = retry.upscaled and still.small
        pixels = still.work.size * (4 if up else 1)
        guess = ms_per_px["zx"] * pixels + (ms_per_px["zb"] * pixels if retry.zbar and retail else 0.0)
        elapsed = (time.thread_time() - start) * 1000
        if elapsed + guess > budget_ms:
            log.debug("decode budget: skipping retry %s (%.0f ms spent)", retry.name, elapsed)
            continue
        t0 = time.thread_time()
        if up and upscaled is None:
            upscaled = _up2(still.work)
        prepared = retry.prepare(upscaled if up and upscaled is not None else still.work)
        rscale = still.scale_of(prepared)
        if linear:
            still.found += read_zxing(prepared, linear, via=f"zxing:{retry.name}", scale=rscale)
        t1 = time.thread_time()
        ms_per_px["zx"] = (t1 - t0) * 1000 / prepared.size
        if retry.zbar and retail:
            still.found += read_zbar(prepared, retail, via=f"zbar:{retry.name}", scale=rscale)
            ms_per_px["zb"] = (time.thread_time() - t1) * 1000 / prepared.size


#: First guesses of a retry's cost, ms per pixel (a cluttered 1280x960 upscale: zxing-cpp
#: linear formats ~12 ms, zbar EAN/UPC ~40 ms); replaced by measured costs as retries run.
_ZX_FIRST_GUESS = 12.0 / (1280 * 960)
_ZB_FIRST_GUESS = 40.0 / (1280 * 960)


def _decoded(b: zxingcpp.Barcode, via: str, scale: float, offset: tuple[int, int]) -> Decoded:
    p = b.position
    quad = tuple(
        (int(pt.x / scale) + offset[0], int(pt.y / scale) + offset[1])
        for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    )
    fmt = _ZX_NAME.get(b.format.name, b.format.name.lower())
    return Decoded(b.text, fmt, b.symbology_identifier, quad, via)


def _crop_around(gray: np.ndarray, position: zxingcpp.Position, margin: float = 0.25) -> tuple[int, int, np.ndarray]:
    """A crop around a located symbol with a quiet-zone margin: (x0, y0, crop)."""
    xs = [pt.x for pt in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)]
    ys = [pt.y for pt in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)]
    m = int(max(max(xs) - min(xs), max(ys) - min(ys)) * margin) + 8
    h, w = gray.shape[:2]
    x0, y0 = max(0, min(xs) - m), max(0, min(ys) - m)
    return x0, y0, gray[y0:min(h, max(ys) + m), x0:min(w, max(xs) + m)]


def _fit(gray: np.ndarray, side: int) -> np.ndarray:
    """``gray`` shrunk so its long side is at most ``side``.

    Shrinks by a whole factor first (OpenCV's area resize has a fast path for those: 1.4 ms
    instead of 22 ms for a 12-megapixel photo), then by what is left.
    """
    if max(gray.shape) <= side:
        return gray
    whole = max(gray.shape) // side
    if whole >= 2:
        gray = cv2.resize(gray, (gray.shape[1] // whole, gray.shape[0] // whole), interpolation=cv2.INTER_AREA)
        if max(gray.shape) <= side:
            return gray
    f = side / max(gray.shape)
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
