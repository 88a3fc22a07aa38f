"""``rma-station decode IMAGE...``: what the station reads in photos or scans of barcodes.

Support staff run it on a photo of a label that "will not scan" to see whether the print
or the scanner is at fault. One JSON line per image; exit 0 even when nothing is found,
1 when a file cannot be read as an image or is refused as too large to decode (a
decompression bomb); the files after it are still decoded.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from ui.cli.argtypes import non_negative_float

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("decode", help="decode barcodes in image files, one JSON line per image")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, WebP, TIFF or BMP files")
    parser.add_argument("--budget-ms", type=non_negative_float, default=150.0,
                        help="time allowed for retries per image")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from drivers.scanners.decoding import UnreadableImage, decode_image, load_image

    failed = 0
    for path in args.images:
        start = time.perf_counter()
        try:
            image = load_image(path)
        except UnreadableImage as exc:
            print(json.dumps({"file": path, "error": str(exc)}, ensure_ascii=False), flush=True)
            failed += 1
            continue
        found = decode_image(image, budget_ms=args.budget_ms)
        ms = (time.perf_counter() - start) * 1000
        results = [{"text": d.text, "format": d.format} for d in found]
        print(json.dumps({"file": path, "results": results, "ms": round(ms, 1)}, ensure_ascii=False), flush=True)
    if failed:
        print(f"rma-station: {failed} of {len(args.images)} files could not be decoded (see their lines above).",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(argparse.Namespace(images=sys.argv[1:], budget_ms=150.0)))
