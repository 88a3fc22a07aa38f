"""``rma-station decode-video SOURCE``: the dock camera's arrivals, headless, for tests and tuning.

SOURCE is a video file, a camera index (``0``) or a stream URL (``rtsp://...``). Every
parcel that arrives, settles and leaves is one JSON line::

    {"arrival": 1, "first_frame": 10, "settled_frame": 23, "codes": [{"text": ..., "format": ...,
     "frame": 23}], "identified": "RMA000000123" | null}

``identified`` is looked up in the station database named by ``--db`` (by the dock's rule,
``station.receiving.identification``); without ``--db`` it is null. The last line gives the
frames read, the CPU seconds the watcher and decoder spent on them (video decoding not
counted), and frames per second of that CPU time.

``--explain`` prints, instead of the JSON, one line per parcel saying why it was identified
or not (``station.receiving.arrival_reasons``: never settled, settled but nothing read,
codes but no RMA, codes for several RMAs), then the frames, the CPU time and the thresholds
in use, each marked with where it came from when not the default. The thresholds are the
station's ``camera.*`` settings, overridden by ``--presence-percent``, ``--settle-frames``...
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from collections.abc import Callable

from drivers.arrival_settings import LIMITS, TUNED_AT_THE_DOCK, WatchSettings
from station.core.errors import InvalidInput
from ui.cli import add_db_option, argtypes, printable

#: The watcher's thresholds a command line may set (the station's ``camera.*`` settings).
THRESHOLD_OPTIONS = TUNED_AT_THE_DOCK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("decode-video", help="parcels arriving in a video or camera stream, one JSON line each")
    parser.add_argument("source", metavar="SOURCE", help="video file, camera index (0) or stream URL")
    parser.add_argument("--formats", default="", help="comma-separated barcode formats (default: every warehouse format)")
    parser.add_argument("--region", default="", metavar="X,Y,W,H",
                        help="part of the frame to watch, as fractions (e.g. 0.1,0,0.8,1)")
    parser.add_argument("--max-frames", type=argtypes.non_negative_int, default=0, help="stop after this many frames (0: until the end)")
    parser.add_argument("--explain", action="store_true",
                        help="instead of JSON, one line per parcel saying why it was identified or not, "
                             "then the thresholds in use")
    for name in THRESHOLD_OPTIONS:
        limit = LIMITS[name]
        default = getattr(WatchSettings, name)
        parser.add_argument(f"--{name.replace('_', '-')}", type=_threshold(name), default=None,
                            metavar="N" if isinstance(default, int) else "X",
                            help=f"{limit.least:g}-{limit.most:g} {limit.unit}: the {limit.words} "
                                 f"(default: camera.{name} in settings, else {default:g})".replace("%", "%%"))
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


def _threshold(name: str) -> Callable[[str], float | int]:
    """argparse type for the watcher's threshold ``name``: digits 0-9, inside its range."""
    limit = LIMITS[name]
    whole = isinstance(getattr(WatchSettings, name), int)

    def threshold(text: str) -> float | int:
        if whole:
            return argtypes.whole_number(text, least=int(limit.least), most=int(limit.most))
        try:
            value = argtypes.decimal_number(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if not limit.least <= value <= limit.most:
            raise argparse.ArgumentTypeError(f"must be between {limit.least:g} and {limit.most:g} {limit.unit} "
                                             f"(the {limit.words}), not {text.strip()}")
        return value

    threshold.__name__ = name.replace("_", " ")
    return threshold


def thresholds(args: argparse.Namespace) -> tuple[WatchSettings, dict[str, str]]:
    """The watcher's thresholds: the station's ``camera.*`` settings, then the command line's
    options; and where each one that is not the default came from."""
    from ui.camera_watch import watch_settings
    from ui.cli.station_setup import cli_settings

    from_settings = watch_settings(cli_settings())
    given = {name: getattr(args, name) for name in THRESHOLD_OPTIONS if getattr(args, name) is not None}
    where = {name: f"camera.{name}" for name in THRESHOLD_OPTIONS
             if getattr(from_settings, name) != getattr(WatchSettings, name)}
    where.update({name: f"--{name.replace('_', '-')}" for name in given})
    return from_settings.with_changes(**given), where


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
    from drivers.scanners.video_frames import VideoFrames
    from station.receiving.arrival_reasons import EveryRmaKnown

    cv2.setNumThreads(1)  # the CPU figure is one core's: no OpenCV worker threads it would not see
    formats = parse_formats(args.formats)
    region = parse_region(args.region)
    settings, where = thresholds(args)
    lookup, classifier = _lookup(args)
    source: int | str = int(args.source) if args.source.isascii() and args.source.isdigit() else args.source
    capture = VideoFrames(source)  # MJPEG sources: compressed packets, decoded as far as needed
    if not capture.isOpened():
        raise InvalidInput(f"{args.source}: cannot be opened as a video, camera or stream.",
                           next_step="Check the path, the camera index or the URL.")
    watcher = ArrivalWatcher(formats, region=region, settings=settings)
    cpu = decoding = 0.0
    frames = 0

    def report(arrival: Arrival) -> None:
        if args.explain:
            # A code's text may hold control characters (GS1's separator): shown escaped.
            print(printable(explained(arrival, settings, lookup, classifier)), flush=True)
            return
        codes = [{"text": d.text, "format": d.format, "frame": f} for d, f in arrival.codes]
        line = {"arrival": arrival.number, "first_frame": arrival.first_frame,
                "settled_frame": arrival.settled_frame, "codes": codes,
                "identified": _identified(arrival, lookup, classifier) if lookup is not None else None}
        print(json.dumps(line, ensure_ascii=False), flush=True)

    try:
        while not args.max_frames or frames < args.max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            frames += 1
            before = frame.decode_s
            t0 = time.thread_time()
            events = watcher.feed(frame)
            lazy = frame.decode_s - before  # the frame's own decoding, done when the watcher asked
            cpu += time.thread_time() - t0 - lazy
            decoding += frame.decode_s
            for e in events:
                if e.kind == "read" and _identified(e.arrival, lookup or EveryRmaKnown(), classifier):
                    watcher.stop_reading()  # as the dock does once the card is open
                if e.kind == "left":
                    report(e.arrival)
        for e in watcher.finish():
            report(e.arrival)
    finally:
        capture.release()
    fps = frames / cpu if cpu > 0 else 0.0
    if args.explain:
        print(f"{watcher.arrivals} parcel{'' if watcher.arrivals == 1 else 's'} in {frames} frames "
              f"({cpu:.1f} CPU s, {fps:.0f} frames/s; video decoding {decoding:.1f} CPU s more).")
        if watcher.unreadable_frames:
            one = watcher.unreadable_frames == 1
            print(f"{watcher.unreadable_frames} frame{'' if one else 's'} could not be decoded "
                  f"(a damaged picture) and {'was' if one else 'were'} skipped.")
        print("Thresholds: " + "; ".join(footer(settings, where)) + ".")
        if lookup is None:
            print("No --db: RMA numbers are told by their form only, not looked up.")
    else:
        print(json.dumps({"frames": frames, "seconds": round(cpu, 3), "fps": round(fps, 1),
                          "decoding_seconds": round(decoding, 3),
                          "unreadable_frames": watcher.unreadable_frames}), flush=True)
    return 0


def explained(arrival, settings: WatchSettings, lookup, classifier) -> str:  # type: ignore[no-untyped-def]
    """One parcel's line: its number and frames, then why it was identified or not."""
    from station.receiving.arrival_reasons import explain_arrival
    from ui.camera_watch import parcel_stay

    reason = explain_arrival(parcel_stay(arrival, settings), lookup, classifier)
    last = arrival.left_frame - 1 if arrival.left_frame is not None else "end"  # left_frame: first frame without it
    return f"parcel {arrival.number} (frames {arrival.first_frame}-{last}): {reason.words}"


def footer(settings: WatchSettings, where: dict[str, str]) -> list[str]:
    """Each threshold as ``name value unit``, with ``[source]`` when not the default."""
    from dataclasses import fields

    items = settings.described()
    return [item + (f" [{where[f.name]}]" if f.name in where else "") for item, f in zip(items, fields(settings))]


def _lookup(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The station's RMAs when ``--db`` names a database (else None), and its classifier."""
    from station.scanning.classify import ScanClassifier
    from ui.cli.station_setup import cli_settings

    classifier = ScanClassifier.from_file(cli_settings().get("scanning.formats_file") or None)
    if not getattr(args, "db", None):
        return None, classifier
    from station.core.services import Service
    from station.receiving.identification import RmaLookup
    from ui.cli.station_setup import open_context

    return RmaLookup(Service(open_context(args, writes=False))), classifier


def _identified(arrival, lookup, classifier) -> str | None:  # type: ignore[no-untyped-def]
    from station.receiving.identification import Outcome, identify

    found = identify([(d.text, d.format) for d, _ in arrival.codes], lookup, classifier)
    return found.rma if found.outcome is Outcome.IDENTIFIED else None


if __name__ == "__main__":  # pragma: no cover
    from ui.cli import main

    sys.exit(main(["decode-video", *sys.argv[1:]]))
