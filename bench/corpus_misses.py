"""The dev corpus images the still pipeline misses, and what each reader makes of them.

``PYTHONPATH=. python -m bench.corpus_misses``: one block per missed image, with its
expected text and what zxing-cpp (several options) and pyzbar read, ``ok``/``WRONG``
against the expected text by the corpus README's rules. For tuning ``decode_image``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from bench.bench_decoding import corpus_dir, corpus_match, load_corpus
from drivers.scanners.decoding import decode_image, to_gray

_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def _zx(**options: object) -> Callable[[np.ndarray], list[str]]:
    return lambda g: [b.text for b in zxingcpp.read_barcodes(g, text_mode=zxingcpp.TextMode.Plain, **options)]  # type: ignore[arg-type]


def _zb(g: np.ndarray) -> list[str]:
    return [d.data.decode("utf-8", "replace") for d in pyzbar.decode(g)]


def _scaled(f: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda g: cv2.resize(g, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)


def _unsharp(g: np.ndarray, sigma: float = 2.0, amount: float = 2.0) -> np.ndarray:
    return cv2.addWeighted(g, 1 + amount, cv2.GaussianBlur(g, (0, 0), sigma), -amount, 0)


PREPARED: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "as-is": lambda g: g,
    "half": _scaled(0.5),
    "quarter": _scaled(0.25),
    "up2": _scaled(2.0),
    "clahe": _CLAHE.apply,
    "unsharp": _unsharp,
    "unsharp-s4": lambda g: _unsharp(g, 4.0, 3.0),
    "stretch": lambda g: cv2.normalize(g, np.empty_like(g), 0, 255, cv2.NORM_MINMAX),
}
READERS: dict[str, Callable[[np.ndarray], list[str]]] = {
    "zx": _zx(),
    "zx-local": _zx(binarizer=zxingcpp.Binarizer.LocalAverage),
    "zx-global": _zx(binarizer=zxingcpp.Binarizer.GlobalHistogram),
    "zx-downscale": _zx(try_downscale=True),
    "zbar": _zb,
}


def main() -> int:
    dev = corpus_dir()
    if dev is None:
        print("set RMA_BARCODE_CORPUS", file=sys.stderr)
        return 2
    missed = 0
    for row, image in load_corpus(dev):
        if corpus_match(row, [d.text for d in decode_image(image)]):
            continue
        missed += 1
        gray = to_gray(image)
        print(f"{row['file']}  {row['format']}  {image.shape[1]}x{image.shape[0]}  expected {row['expected_text']!r}  notes={row.get('notes', '')!r}")
        for pname, prepare in PREPARED.items():
            g = prepare(gray)
            for rname, reader in READERS.items():
                texts = reader(g)
                if texts:
                    marks = ["ok" if corpus_match(row, [t]) else "WRONG" for t in texts]
                    print(f"    {pname:>10} {rname:<12} {list(zip(texts, marks))}")
    print(f"missed {missed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
