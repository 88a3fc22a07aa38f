"""``rma-station label lpn|disposition|relabel --data FILE.json --size 4x6in --format pdf|zpl
--out PATH``: render one label from a JSON file (no database, no printer needed)."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from labels import FORMATS, KINDS, SIZES, label_from_dict, render_label
from station.errors import InvalidInput

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("label", help="render a label (LPN, disposition, relabel) to PDF or ZPL")
    parser.add_argument("kind", choices=sorted(KINDS), help="which label")
    parser.add_argument("--data", required=True, type=Path, help="JSON object with the label's fields")
    parser.add_argument("--size", default="4x6in", choices=list(SIZES), help="label stock (default 4x6in)")
    parser.add_argument("--format", dest="fmt", default="pdf", choices=FORMATS, help="pdf or zpl")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument("--copies", type=int, default=1, help="number of copies (default 1)")
    parser.add_argument("--dpi", type=int, default=203, choices=(203, 300), help="printer resolution")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.data.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"Label data file {args.data} does not exist.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{args.data} is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    label = label_from_dict(args.kind, data)
    output = render_label(label, args.size, args.fmt, dpi=args.dpi, copies=args.copies)
    args.out.write_bytes(output)
    print(f"wrote {args.kind} label ({args.size}, {args.fmt}, {args.copies} copies) to {args.out}")
    return 0
