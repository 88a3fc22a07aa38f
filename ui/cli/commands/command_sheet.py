"""``rma-station command-sheet --out FILE.pdf [--paper a4|letter]``: the sheet of command
barcodes to pin beside the stations (no database needed)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path

from labels.sheets import PAPERS
from ui.cli.files import check_output_path, write_output
from ui.command_sheet import command_rows, command_sheet_pdf

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("command-sheet", help="print the sheet of command barcodes (CMD:CONFIRM ...) as PDF")
    parser.add_argument("--out", required=True, type=Path, help="PDF file to write")
    parser.add_argument("--paper", default="a4", choices=sorted(PAPERS))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_output_path(args.out)
    printed = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    write_output(args.out, command_sheet_pdf(paper=args.paper, printed_at=printed))
    print(f"wrote the command sheet ({len(command_rows())} commands) to {args.out}")
    return 0
