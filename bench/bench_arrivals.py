"""Hands-free receiving figures (issue 16), on dock clips composed from the dev corpus.

Clips: parcels sliding onto a 1920x1080 table (return label with the RMA number as Code 128
or QR, carrier label with a tracking number, a product photo from the corpus; every fourth
parcel has no return label), written as MJPG and read back like a camera file. Video
decoding is not counted: CPU time (``thread_time``) of ``ArrivalWatcher.feed`` only.

Figures:
* ``arrivals.identified``: parcels identified / parcels whose RMA or tracking code zxing-cpp
  (defaults) reads in a still of the settled view; ``wrong`` counts parcels identified as
  another RMA; ``card_frames`` is how many frames after the parcel settled the card could
  open (max and median).
* ``arrivals.fps_1080p``: frames/s of one core on the arrival-heavy 1080p clip.
* ``arrivals.fps_720p_single``: frames/s on 1280x720 clips of single-label parcels.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import zxingcpp

from bench import Figure, figure
from bench.bench_decoding import corpus_dir
from drivers.camera_arrivals import ArrivalWatcher
from drivers.scanners.fake_camera import (
    ArrivalTruth,
    ParcelSpec,
    arrival_frames,
    corpus_photos,
    dock_parcels,
    printed_label,
    write_video,
)
from station.core.identifiers import make_rma_number
from station.receiving.identification import Outcome, RmaIndex, identify


def _clip(path: Path, specs: list[ParcelSpec], width: int, height: int, seed: int) -> tuple[list[ArrivalTruth], list]:
    truth: list[ArrivalTruth] = []
    views: list = []
    write_video(path, arrival_frames(specs, width, height, seed=seed, truth=truth, views=views, shadows=1))
    return truth, views


def _watch(path: Path, index: RmaIndex | None) -> tuple[int, float, list[dict]]:
    """Play the clip through a watcher: frames, CPU seconds, and per arrival its frames and
    the first frame its codes identified an RMA (the card)."""
    capture = cv2.VideoCapture(str(path))
    watcher = ArrivalWatcher()
    cpu, frames, arrivals = 0.0, 0, {}
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames += 1
        t0 = time.thread_time()
        events = watcher.feed(frame)
        cpu += time.thread_time() - t0
        for e in events:
            a = arrivals.setdefault(e.arrival.number, {"arrival": e.arrival, "card_frame": None, "rma": None})
            if e.kind == "read" and index is not None and a["card_frame"] is None:
                found = identify([(d.text, d.format) for d, _ in e.arrival.codes], index)
                if found.outcome is Outcome.IDENTIFIED:
                    a["card_frame"], a["rma"] = watcher.frame_no, found.rma
    capture.release()
    watcher.finish()
    return frames, cpu, list(arrivals.values())


def run(quick: bool) -> Iterator[Figure]:
    cv2.setNumThreads(1)
    corpus = corpus_dir()
    photos = corpus_photos(corpus, formats=("ean13", "upca", "qrcode", "datamatrix")) if corpus else []
    parcels = 4 if quick else 40
    per_clip = 4
    eligible = identified = wrong = identified_any = 0
    arrivals_seen = 0
    card_frames: list[int] = []
    frames_total, cpu_total = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for c in range(0, parcels, per_clip):
            numbers = [make_rma_number(5000 + c + k) for k in range(per_clip)]
            specs, facts = dock_parcels(numbers, corpus=photos, seed=c, hold=30, gap=6)
            index = RmaIndex(numbers=set(numbers), by_tracking={f["tracking"]: {f["rma"]} for f in facts})
            path = Path(tmp) / f"heavy{c}.avi"
            truth, views = _clip(path, specs, 1920, 1080, seed=c)
            frames, cpu, arrivals = _watch(path, index)
            frames_total += frames
            arrivals_seen += len(arrivals)
            cpu_total += cpu
            for t, view, fact in zip(truth, views, facts):
                mine = [a for a in arrivals if t.first_frame - 2 <= a["arrival"].first_frame < t.left_frame]
                if mine and mine[0]["rma"] == fact["rma"]:
                    identified_any += 1
                ref = {b.text for b in zxingcpp.read_barcodes(view)}
                if not ref & {fact["rma"], fact["tracking"]}:
                    continue
                eligible += 1
                if mine and mine[0]["rma"] == fact["rma"]:
                    identified += 1
                    card_frames.append(mine[0]["card_frame"] - t.settled_frame)
                elif mine and mine[0]["rma"] is not None:
                    wrong += 1
        yield figure("arrivals.identified", identified / max(1, eligible) * 100, "%",
                     identified=identified, eligible=eligible, parcels=parcels, wrong=wrong,
                     identified_of_all_parcels=identified_any, arrivals_reported=arrivals_seen,
                     card_frames_max=max(card_frames, default=None),
                     card_frames_median=statistics.median(card_frames) if card_frames else None)
        yield figure("arrivals.fps_1080p", frames_total / cpu_total if cpu_total else 0.0, "frames/s",
                     frames=frames_total, cpu_s=round(cpu_total, 2))
        singles = 4 if quick else 24
        numbers = [make_rma_number(7000 + k) for k in range(singles)]
        specs = [ParcelSpec([printed_label("code128" if k % 2 else "qrcode", n, 3 if k % 2 else 5)], hold=30, gap=6)
                 for k, n in enumerate(numbers)]
        path = Path(tmp) / "single720.avi"
        truth, _views = _clip(path, specs, 1280, 720, seed=99)
        index = RmaIndex(numbers=set(numbers))
        frames, cpu, arrivals = _watch(path, index)
        read = sum(1 for a in arrivals if a["rma"] is not None)
        yield figure("arrivals.fps_720p_single", frames / cpu if cpu else 0.0, "frames/s",
                     frames=frames, cpu_s=round(cpu, 2), parcels=singles, identified=read, arrivals=len(arrivals))
