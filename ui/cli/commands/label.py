"""``rma-station label lpn|disposition|relabel --data FILE.json --size 4x6in --format pdf|zpl
--out PATH``: render one label from a JSON file (no database, no printer needed)."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from labels import FORMATS, KINDS, SIZES, label_from_dict, render_label
from station.core.errors import InvalidInput
from ui.cli import argtypes
from ui.cli.files import check_output_path, write_output

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("label", help="render a label (LPN, disposition, relabel) to PDF or ZPL")
    parser.add_argument("kind", choices=sorted(KINDS), help="which label")
    parser.add_argument("--data", required=True, type=Path, help="JSON object with the label's fields")
    parser.add_argument("--size", default="4x6in", choices=list(SIZES), help="label stock (default 4x6in)")
    parser.add_argument("--format", dest="fmt", default="pdf", choices=FORMATS, help="pdf or zpl")
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument("--copies", type=argtypes.positive_int, default=1, help="number of copies (default 1)")
    parser.add_argument("--dpi", type=argtypes.positive_int, default=203, choices=(203, 300), help="printer resolution")
    parser.set_defaults(handler=run)


MAX_DATA_BYTES = 1_000_000
"""A label's fields fit in a few hundred bytes; a bigger file is the wrong file."""


def read_label_data(path: Path) -> object:
    """The JSON in ``path``; every way it can be unusable is one ``InvalidInput``."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; --data needs a JSON file.")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"Label data file {path} does not exist.") from None
    except OSError as exc:
        raise InvalidInput(f"Label data file {path} cannot be read ({exc.strerror or exc}).") from None
    if len(raw) > MAX_DATA_BYTES:
        raise InvalidInput(f"{path} is {len(raw) // 1024} KB; label data is a small JSON object.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.", next_step="Save it as UTF-8 JSON.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    except RecursionError:
        raise InvalidInput(f"{path} nests too deeply to be label data; it must be one flat JSON object.") from None


def run(args: argparse.Namespace) -> int:
    check_output_path(args.out)
    label = label_from_dict(args.kind, read_label_data(args.data))
    output = render_label(label, args.size, args.fmt, dpi=args.dpi, copies=args.copies)
    write_output(args.out, output)
    print(f"wrote {args.kind} label ({args.size}, {args.fmt}, {args.copies} copies) to {args.out}")
    return 0
