"""``rma-station decode-video SOURCE``: the dock camera's arrivals, headless, for tests and tuning.

SOURCE is a video file, a camera index (``0``) or a stream URL (``rtsp://...``). Every
parcel that arrives, settles and leaves is one JSON line::

    {"arrival": 1, "first_frame": 10, "settled_frame": 23, "codes": [{"text": ..., "format": ...,
     "frame": 23}], "identified": "RMA000000123" | null}

``identified`` is looked up in the station database named by ``--db`` (by the dock's rule,
``station.receiving.identification``); without ``--db`` it is null. The last line gives the
frames read, the CPU seconds the watcher and decoder spent on them (video decoding not
counted), and frames per second of that CPU time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from station.core.errors import InvalidInput
from ui.cli import add_db_option, argtypes


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("decode-video", help="parcels arriving in a video or camera stream, one JSON line each")
    parser.add_argument("source", metavar="SOURCE", help="video file, camera index (0) or stream URL")
    parser.add_argument("--formats", default="", help="comma-separated barcode formats (default: every warehouse format)")
    parser.add_argument("--region", default="", metavar="X,Y,W,H",
                        help="part of the frame to watch, as fractions (e.g. 0.1,0,0.8,1)")
    parser.add_argument("--max-frames", type=argtypes.non_negative_int, default=0, help="stop after this many frames (0: until the end)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def parse_region(text: str) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        x, y, w, h = (argtypes.decimal_number(v) for v in text.split(","))
    except ValueError:
        raise InvalidInput(f"--region {text!r}: write four fractions X,Y,W,H, e.g. 0.1,0,0.8,1.") from None
    if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 - x + 1e-9 and 0 < h <= 1 - y + 1e-9):
        raise InvalidInput(f"--region {text!r}: fractions must lie inside the frame (0 to 1).")
    return (x, y, w, h)


def parse_formats(text: str) -> tuple[str, ...]:
    from drivers.scanners.decoding import WAREHOUSE_FORMATS

    if not text:
        return WAREHOUSE_FORMATS
    names = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [n for n in names if n not in WAREHOUSE_FORMATS]
    if unknown or not names:
        raise InvalidInput(f"--formats: unknown format {', '.join(unknown) or text!r}; "
                           f"known: {', '.join(WAREHOUSE_FORMATS)}.")
    return names


def run(args: argparse.Namespace) -> int:
    import cv2

    from drivers.camera_arrivals import Arrival, ArrivalWatcher

    cv2.setNumThreads(1)  # the CPU figure is one core's: no OpenCV worker threads it would not see
    formats = parse_formats(args.formats)
    region = parse_region(args.region)
    identify_codes = _identifier(args)
    source: int | str = int(args.source) if args.source.isascii() and args.source.isdigit() else args.source
    capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        raise InvalidInput(f"{args.source}: cannot be opened as a video, camera or stream.",
                           next_step="Check the path, the camera index or the URL.")
    watcher = ArrivalWatcher(formats, region=region)
    cpu = 0.0
    frames = 0

    def report(arrival: Arrival) -> None:
        codes = [{"text": d.text, "format": d.format, "frame": f} for d, f in arrival.codes]
        line = {"arrival": arrival.number, "first_frame": arrival.first_frame,
                "settled_frame": arrival.settled_frame, "codes": codes,
                "identified": identify_codes(arrival) if identify_codes else None}
        print(json.dumps(line, ensure_ascii=False), flush=True)

    try:
        while not args.max_frames or frames < args.max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            frames += 1
            t0 = time.thread_time()
            events = watcher.feed(frame)
            cpu += time.thread_time() - t0
            for e in events:
                if e.kind == "left":
                    report(e.arrival)
        for e in watcher.finish():
            report(e.arrival)
    finally:
        capture.release()
    fps = frames / cpu if cpu > 0 else 0.0
    print(json.dumps({"frames": frames, "seconds": round(cpu, 3), "fps": round(fps, 1)}), flush=True)
    return 0


def _identifier(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """A function arrival -> RMA number or None, when ``--db`` names a database."""
    db = getattr(args, "db", None)
    if not db:
        return None
    from station.core.services import Service
    from station.receiving.identification import Outcome, RmaLookup, identify
    from ui.cli.station_setup import open_context

    lookup = RmaLookup(Service(open_context(args, writes=False)))

    def identified(arrival) -> str | None:  # type: ignore[no-untyped-def]
        found = identify([(d.text, d.format) for d, _ in arrival.codes], lookup)
        return found.rma if found.outcome is Outcome.IDENTIFIED else None

    return identified


if __name__ == "__main__":  # pragma: no cover
    from ui.cli import main

    sys.exit(main(["decode-video", *sys.argv[1:]]))
