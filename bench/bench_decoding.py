"""Decoding figures: corpus read rates (zxing-cpp alone, pyzbar alone, the station's
pipeline, from one run), the cost of a still with no barcode, and camera-path frames/s.

Corpus: ``$RMA_BARCODE_CORPUS`` or ``../shared/corpus/barcodes/dev`` (never copied into
the repo). Texts are compared by the corpus README's rules (``corpus_match``).
"""

from __future__ import annotations

import csv
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from bench import Figure, figure

REPO = Path(__file__).resolve().parent.parent
_NAMES = {**{i: n for i, n in enumerate(
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split())},
    127: "DEL"}


def corpus_dir() -> Path | None:
    root = Path(os.environ.get("RMA_BARCODE_CORPUS", REPO.parent / "shared" / "corpus" / "barcodes"))
    dev = root / "dev" if (root / "dev").is_dir() else root
    return dev if (dev / "manifest.csv").is_file() else None


def normalise(text: str, fmt: str) -> str:
    """README rules: control characters as <NAME>, no AIM id, no leading <GS>, EAN/UPC as GTIN-14."""
    out = "".join(f"<{_NAMES[ord(c)]}>" if ord(c) in _NAMES else c for c in text)
    out = re.sub(r"^\][A-Za-z][0-9A-Za-z]", "", out)
    out = out.removeprefix("<GS>")
    if fmt in ("ean13", "upca") and out.isdigit() and len(out) in (12, 13):
        out = out.zfill(14)
    return out


def corpus_match(row: dict[str, str], texts: list[str]) -> bool:
    expected = normalise(row["expected_text"], row["format"])
    return any(normalise(t, row["format"]) == expected for t in texts)


def load_corpus(dev: Path, limit: int | None = None) -> list[tuple[dict[str, str], np.ndarray]]:
    from drivers.scanners.decoding import load_image

    with open(dev / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if limit:
        rows = rows[::max(1, len(rows) // limit)]
    return [(r, load_image(dev / r["file"])) for r in rows]


def _corpus_figures(quick: bool) -> Iterator[Figure]:
    from pyzbar import pyzbar

    from drivers.scanners.decoding import decode_image, to_gray

    dev = corpus_dir()
    if dev is None:
        yield figure("decoding.corpus.missing", 0, "images", hint="set RMA_BARCODE_CORPUS")
        return
    corpus = load_corpus(dev, 24 if quick else None)
    vias: dict[str, list[str]] = {}

    def pipeline(image: np.ndarray) -> list[str]:
        found = decode_image(image)
        for d in found:
            vias.setdefault(d.text, []).append(d.via)
        return [d.text for d in found]

    readers = {
        "zxing": lambda g: [b.text for b in zxingcpp.read_barcodes(g, text_mode=zxingcpp.TextMode.Plain)],
        "pyzbar": lambda g: [d.data.decode("utf-8", "replace") for d in pyzbar.decode(g)],
        "pipeline": pipeline,
    }
    rescued_by: Counter[str] = Counter()
    read: dict[str, Counter[str]] = {k: Counter() for k in readers}
    ms: dict[str, list[float]] = {k: [] for k in readers}
    total: Counter[str] = Counter()
    either = 0
    lost = []
    for row, image in corpus:
        gray = to_gray(image)
        total[row["format"]] += 1
        hit = {}
        vias.clear()
        for name, reader in readers.items():
            start = time.perf_counter()
            texts = reader(gray if name != "pipeline" else image)
            ms[name].append((time.perf_counter() - start) * 1000)
            hit[name] = corpus_match(row, texts)
            read[name][row["format"]] += hit[name]
        either += hit["zxing"] or hit["pyzbar"]
        if hit["pipeline"]:  # which pass read it (first pass: "zxing" / "zbar")
            rescued_by[next(v[0] for t, v in vias.items() if corpus_match(row, [t]))] += 1
        if (hit["zxing"] or hit["pyzbar"]) and not hit["pipeline"]:
            lost.append(row["file"])
    n = len(corpus)
    for name in readers:
        yield figure(f"decoding.corpus.{name}.read", sum(read[name].values()), "images", of=n,
                     per_format={f: f"{read[name][f]}/{total[f]}" for f in sorted(total)},
                     median_ms=round(statistics.median(ms[name]), 2))
    yield figure("decoding.corpus.either_library.read", either, "images", of=n)
    yield figure("decoding.corpus.pipeline.rescued_by", sum(rescued_by.values()), "images",
                 by_pass=dict(rescued_by.most_common()))
    yield figure("decoding.corpus.pipeline.lost_vs_either", len(lost), "images", files=lost)


def blank_scene(width: int, height: int, seed: int = 1) -> np.ndarray:
    """A photo-like frame with no barcode: bench clutter, text, lighting, sensor noise."""
    from drivers.scanners.fake_camera import _background

    rng = np.random.default_rng(seed)
    image = _background(width, height, rng)
    return cv2.add(image, rng.normal(0, 5, image.shape).astype(np.int8), dtype=cv2.CV_8U)


def _blank_figures(quick: bool) -> Iterator[Figure]:
    from drivers.scanners.decoding import decode_image

    rng = np.random.default_rng(0)
    for w, h in ((640, 480), (1280, 720), (1920, 1080), (4032, 3024)):
        for kind in ("scene", "noise"):
            if kind == "scene":
                image = blank_scene(w, h)
            else:  # worst case: texture everywhere
                small = rng.normal(128, 40, (h // 8, w // 8, 3)).clip(0, 255).astype(np.uint8)
                image = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
            times = []
            for _ in range(3 if quick else 9):
                start = time.perf_counter()
                found = decode_image(image)
                times.append((time.perf_counter() - start) * 1000)
            yield figure(f"decoding.still_no_barcode.{w}x{h}.{kind}", statistics.median(times), "ms",
                         max_ms=round(max(times), 1), found=len(found))


def _camera_figures(quick: bool) -> Iterator[Figure]:
    from drivers.scanners.decoding import WAREHOUSE_FORMATS, to_gray, zxing_formats
    from drivers.scanners.fake_camera import scene_frames
    from drivers.scanners.frame_decoder import FrameDecoder

    formats = zxing_formats(WAREHOUSE_FORMATS)
    for w, h in ((1280, 720), (1920, 1080)):
        frames = list(scene_frames(w, h, frames=60 if quick else 360, scene_length=30, seed=3))
        rotated = sum(f.rotated for f in frames)
        for label, cold in (("stream", False), ("cold_frames", True)):
            decoder = FrameDecoder()
            ok = ok_rot = 0
            elapsed = 0.0
            for f in frames:
                if cold:
                    decoder.reset()
                start = time.perf_counter()
                found = decoder.decode(f.image)
                elapsed += time.perf_counter() - start
                hit = any(d.text == f.text for d in found)
                ok += hit
                ok_rot += hit and f.rotated
            yield figure(f"decoding.camera.{w}x{h}.{label}", len(frames) / elapsed, "frames/s",
                         read=f"{ok}/{len(frames)}", read_rotated_90=f"{ok_rot}/{rotated}",
                         note="one thread; BGR frame in, includes grey conversion")
        sample = frames[:: 12 if quick else 6]
        for label, options in (
            ("zxing_defaults", {}),
            ("zxing_restricted_norotate", dict(formats=formats, try_rotate=False, try_invert=False)),
        ):
            ok = 0
            start = time.perf_counter()
            for f in sample:
                ok += any(b.text == f.text for b in zxingcpp.read_barcodes(to_gray(f.image), **options))
            elapsed = time.perf_counter() - start
            yield figure(f"decoding.camera.{w}x{h}.{label}", len(sample) / elapsed, "frames/s",
                         read=f"{ok}/{len(sample)}")


def run(quick: bool) -> Iterator[Figure]:
    cv2.setNumThreads(1)
    yield from _corpus_figures(quick)
    yield from _blank_figures(quick)
    yield from _camera_figures(quick)
