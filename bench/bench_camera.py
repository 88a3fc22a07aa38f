"""Hands-free receiving at 720p, 1080p and 4K (issue 25): parcels read, against zxing-cpp on every frame.

Clips: the fake camera (``drivers/scanners/fake_camera.py``) films the same kind of parcels
at each resolution as a camera mounted for it would (``MOUNTS``: higher cameras see smaller
boxes and labels): a return label (RMA as Code 128 or QR; missing on every fourth parcel),
an SF tracking label and a product photo from the corpus, at random angles, with motion
blur, exposure drift, sensor noise and a passing shadow. Written as MJPG and read back.

Per resolution:

* ``camera.<res>.parcels``: parcels the station identified (``ArrivalWatcher`` + the dock's
  identification rule), beside the parcels whose RMA or tracking code zxing-cpp reads on
  *some* frame of the parcel's stay (defaults; and limited to the warehouse formats), and
  parcels identified as the wrong RMA. ``missed`` lists parcels the reference reads and the
  station does not.
* ``camera.<res>.codes``: the same, code by code: of the codes stuck on the parcels that
  zxing-cpp reads on some frame (return, carrier and product labels), how many the station
  read (``missed``: parcel:code). Reading stops once a parcel is identified, as at the dock,
  so a second label on an identified parcel may go unread on purpose.
* ``camera.<res>.fps``: frames per second of one core for the station's own work
  (``thread_time`` of ``feed``), with the video decoding measured separately, and the wall
  clock of both together (the real-time figure).
* ``camera.<res>.zxing_fps``: zxing-cpp on every frame, for scale.

``BENCH_CAMERA_OLD=<git rev>`` also runs that revision's ``drivers/camera_arrivals.py`` on
the same clips (the "old" columns of BENCHMARKS.md). ``BENCH_CAMERA_RES=720p,1080p`` picks
resolutions; ``BENCH_CAMERA_PARCELS=N`` overrides the parcel count.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import cv2
import zxingcpp

from bench import Figure, figure
from bench.bench_decoding import corpus_dir
from drivers.scanners.decoding import WAREHOUSE_FORMATS, zxing_formats
from drivers.scanners.fake_camera import MOUNTS, ArrivalTruth, Mount, arrival_frames, corpus_photos, mounted_parcels, write_video
from station.core.identifiers import make_rma_number
from station.receiving.identification import Outcome, RmaIndex, identify

REPO = Path(__file__).resolve().parent.parent
FULL_PARCELS = {"720p": 40, "1080p": 20, "4k": 10}
QUICK_PARCELS = {"720p": 2, "1080p": 2, "4k": 1}


@dataclass
class Clip:
    path: Path
    mount: Mount
    truth: list[ArrivalTruth]
    facts: list[dict[str, str]]
    spans: list[tuple[int, int]]  # per parcel: first frame in view, first frame gone
    index: RmaIndex


@dataclass
class Pass:
    """One watcher's run over a clip."""

    name: str
    frames: int = 0
    watch_cpu: float = 0.0
    decode_cpu: float = 0.0
    wall: float = 0.0
    identified: dict[int, str | None] = field(default_factory=dict)  # parcel -> RMA (first arrival in its span)
    codes: dict[int, set[str]] = field(default_factory=dict)  # parcel -> codes on it the station read


def _clip(tmp: Path, res: str, parcels: int, seed: int) -> Clip:
    mount = MOUNTS[res]
    corpus = corpus_dir()
    photos = corpus_photos(corpus, formats=("ean13", "upca", "qrcode", "datamatrix")) if corpus else []
    numbers = [make_rma_number(9000 + seed * 100 + k) for k in range(parcels)]
    specs, facts = mounted_parcels(mount, numbers, corpus=photos, seed=seed)
    truth: list[ArrivalTruth] = []
    path = write_video(tmp / f"dock-{res}.avi",
                       arrival_frames(specs, mount.width, mount.height, seed=seed, truth=truth, shadows=1))
    spans = [(t.first_frame, t.left_frame + spec.leave) for t, spec in zip(truth, specs)]
    index = RmaIndex(numbers=set(numbers), by_tracking={f["tracking"]: {f["rma"]} for f in facts})
    return Clip(path, mount, truth, facts, spans, index)


def _frames(path: Path, open_capture: Callable[[str], Any] = cv2.VideoCapture) -> Iterator[Any]:
    """Every frame of the clip, as ``open_capture(path)`` hands them out (arrays by default)."""
    capture = open_capture(str(path))
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


def reference(clip: Clip, key: str) -> dict[str, Any]:
    """zxing-cpp on every frame: which parcels' RMA or tracking code it reads somewhere.

    ``BENCH_CAMERA_CACHE=DIR`` keeps the answer per clip (``key``) for runs that only change
    the station's code: the clips are the same for the same resolution, count and seed.
    """
    cache_dir = os.environ.get("BENCH_CAMERA_CACHE")
    cached = Path(cache_dir) / f"{key}.json" if cache_dir else None
    if cached is not None and cached.is_file():
        data = json.loads(cached.read_text())
        return {**data, "default": set(data["default"]), "warehouse": set(data["warehouse"]),
                "codes": {int(n): set(t) for n, t in data["codes"].items()}}
    answer = _reference(clip)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({**answer, "default": sorted(answer["default"]),
                                      "warehouse": sorted(answer["warehouse"])}))
    return {**answer, "codes": {int(n): set(t) for n, t in answer["codes"].items()}}


def _reference(clip: Clip) -> dict[str, Any]:
    warehouse = zxing_formats(WAREHOUSE_FORMATS)
    seen_default: dict[int, set[str]] = {}
    seen_warehouse: dict[int, set[str]] = {}
    cpu_default = cpu_warehouse = 0.0
    frames = 0
    for i, frame in enumerate(_frames(clip.path)):
        frames += 1
        parcel = next((n for n, (a, b) in enumerate(clip.spans) if a <= i < b), None)
        t0 = time.thread_time()
        texts = {b.text for b in zxingcpp.read_barcodes(frame)}
        t1 = time.thread_time()
        texts_w = {b.text for b in zxingcpp.read_barcodes(frame, formats=warehouse)}
        t2 = time.thread_time()
        cpu_default += t1 - t0
        cpu_warehouse += t2 - t1
        if parcel is not None:
            seen_default.setdefault(parcel, set()).update(texts)
            seen_warehouse.setdefault(parcel, set()).update(texts_w)

    def readable(seen: dict[int, set[str]]) -> set[int]:
        return {n for n, f in enumerate(clip.facts) if seen.get(n, set()) & {f["rma"], f["tracking"]}}

    codes = {str(n): sorted(_on_the_box(seen_default.get(n, set()), clip.truth[n])) for n in range(len(clip.facts))}
    return {"default": readable(seen_default), "warehouse": readable(seen_warehouse), "frames": frames, "codes": codes,
            "fps_default": frames / cpu_default if cpu_default else 0.0,
            "fps_warehouse": frames / cpu_warehouse if cpu_warehouse else 0.0}


def _gtin(text: str) -> str:
    """EAN-13 and UPC-A compared as GTIN-14 (the corpus README's rule)."""
    return text.zfill(14) if text.isdigit() and len(text) in (12, 13) else text


def _on_the_box(texts: set[str], truth: ArrivalTruth) -> set[str]:
    """The texts that are codes stuck on this parcel (not a misread), as GTIN-14 where digits."""
    stuck = {_gtin(t) for t, _fmt in truth.codes}
    return {_gtin(t) for t in texts} & stuck


def watch(clip: Clip, name: str, make_watcher: Callable[[], Any], open_frames: Callable[[Path], Iterator[Any]]) -> Pass:
    """Play the clip through a watcher; per parcel the RMA its first arrival identified."""
    run = Pass(name)
    watcher = make_watcher()
    arrivals: dict[int, Any] = {}
    rma_of: dict[int, str | None] = {}
    frames = open_frames(clip.path)
    started = time.perf_counter()
    while True:
        t0 = time.thread_time()
        frame = next(frames, None)
        t1 = time.thread_time()
        if frame is None:
            break
        lazy = getattr(frame, "decode_s", None)  # a Frame counts its own (lazy) decoding
        events = watcher.feed(frame)
        t2 = time.thread_time()
        if lazy is None:
            run.decode_cpu += t1 - t0
            run.watch_cpu += t2 - t1
        else:
            run.decode_cpu += frame.decode_s
            run.watch_cpu += (t2 - t1) - (frame.decode_s - lazy)
        run.frames += 1
        for e in events:
            arrivals[e.arrival.number] = e.arrival
            if e.kind == "read" and rma_of.get(e.arrival.number) is None:
                found = identify([(d.text, d.format) for d, _ in e.arrival.codes], clip.index)
                rma_of[e.arrival.number] = found.rma if found.outcome is Outcome.IDENTIFIED else None
                if rma_of[e.arrival.number] is not None and hasattr(watcher, "stop_reading"):
                    watcher.stop_reading()  # the card is open: as the dock's preview does
    run.wall = time.perf_counter() - started
    watcher.finish()
    for n, (a, b) in enumerate(clip.spans):
        mine = [k for k, arr in sorted(arrivals.items()) if a - 2 <= arr.first_frame < b]
        run.identified[n] = rma_of.get(mine[0]) if mine else None
        run.codes[n] = _on_the_box({t for k in mine for t in arrivals[k].texts()}, clip.truth[n])
    return run


def _old_module(rev: str) -> ModuleType:
    """``drivers/camera_arrivals.py`` as it was at ``rev`` (imports of today's drivers)."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:drivers/camera_arrivals.py"],
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "camera_arrivals_old.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("camera_arrivals_old", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def passes() -> list[tuple[str, Callable[[], Any], Callable[[Path], Iterator[Any]]]]:
    from drivers.camera_arrivals import ArrivalWatcher

    out: list[tuple[str, Callable[[], Any], Callable[[Path], Iterator[Any]]]] = []
    rev = os.environ.get("BENCH_CAMERA_OLD")
    if rev:
        old = _old_module(rev)
        out.append((f"old {rev}", old.ArrivalWatcher, _frames))
    out.append(("new", ArrivalWatcher, _compressed_frames))
    out.append(("new, with the 480-px preview", ArrivalWatcher, _previewed_frames))
    return out


def _previewed_frames(path: Path) -> Iterator[Any]:
    """As the receiving view's worker runs: each frame's 480-px colour preview made first (the
    watcher's grey copy is then taken from it)."""
    for frame in _compressed_frames(path):
        frame.small_bgr(480)
        yield frame


def _compressed_frames(path: Path) -> Iterator[Any]:
    """Frames as the station reads them: ``VideoFrames`` (compressed packets, decoded lazily)."""
    from drivers.scanners.video_frames import VideoFrames

    return _frames(path, VideoFrames)


def run(quick: bool) -> Iterator[Figure]:
    cv2.setNumThreads(1)
    wanted = os.environ.get("BENCH_CAMERA_RES", "720p,1080p,4k").split(",")
    counts = QUICK_PARCELS if quick else FULL_PARCELS
    if quick:  # the suite's smoke run: one resolution runs every path of the bench
        wanted = [r for r in wanted if r == "720p"] or wanted
    with tempfile.TemporaryDirectory() as tmp:
        for res in wanted:
            parcels = int(os.environ.get("BENCH_CAMERA_PARCELS", counts[res]))
            clip = _clip(Path(tmp), res, parcels, seed=len(res))
            composer = hashlib.sha1((REPO / "drivers/scanners/fake_camera.py").read_bytes()).hexdigest()[:10]
            ref = reference(clip, f"{res}-{parcels}-{len(res)}-{composer}-v2")
            runs = [watch(clip, name, make, frames) for name, make, frames in passes()]
            for r in runs:
                good = {n for n, rma in r.identified.items() if rma == clip.facts[n]["rma"]}
                wrong = {n for n, rma in r.identified.items() if rma is not None and rma != clip.facts[n]["rma"]}
                yield figure(f"camera.{res}.parcels", len(good), "parcels", code=r.name, parcels=parcels,
                             zxing_any_frame=len(ref["default"]), zxing_warehouse_any_frame=len(ref["warehouse"]),
                             wrong=len(wrong), missed=sorted(n + 1 for n in ref["default"] - good),
                             beyond_zxing=sorted(n + 1 for n in good - ref["default"]))
                ref_codes = sum(len(t) for t in ref["codes"].values())
                read = {n: r.codes.get(n, set()) & t for n, t in ref["codes"].items()}
                yield figure(f"camera.{res}.codes", sum(len(t) for t in read.values()), "codes", code=r.name,
                             zxing_any_frame=ref_codes,
                             station_all=sum(len(t) for t in r.codes.values()),
                             missed=sorted(f"{n + 1}:{t}" for n, ts in ref["codes"].items() for t in ts - read[n]))
                yield figure(f"camera.{res}.fps", r.frames / r.watch_cpu if r.watch_cpu else 0.0, "frames/s",
                             code=r.name, frames=r.frames, watch_cpu_s=round(r.watch_cpu, 2),
                             decode_cpu_s=round(r.decode_cpu, 2),
                             decode_fps=round(r.frames / r.decode_cpu, 1) if r.decode_cpu else None,
                             wall_fps_with_decoding=round(r.frames / r.wall, 1) if r.wall else None)
            yield figure(f"camera.{res}.zxing_fps", ref["fps_default"], "frames/s", frames=ref["frames"],
                         warehouse_formats_fps=round(ref["fps_warehouse"], 1))
