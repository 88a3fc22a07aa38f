"""``rma-station sheet scrap|relabel|receiving --date D --out PATH [--paper a4|letter]``:
the supervisor's sheets for one day, read from the station database."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path

from labels.sheets import PAPERS
from station.supervision.sheet_jobs import KINDS, SheetRequest, SheetService
from ui.cli import add_db_option, argtypes
from ui.cli.files import check_output_path, write_output
from ui.cli.station_setup import open_context
from ui.supervisor.headless import CLI_ACTOR
from ui.supervisor.sheet_jobs import render_sheet

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("sheet", help="print a day's scrap, relabel or receiving sheet as PDF")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--date", default=None, type=argtypes.day, help="day as YYYY-MM-DD (default: today)")
    parser.add_argument("--out", required=True, type=Path, help="PDF file to write")
    parser.add_argument("--paper", default="a4", choices=sorted(PAPERS))
    parser.add_argument("--tz", default="UTC", type=argtypes.time_zone, help="time zone the day is counted in (default UTC)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    day = args.date or dt.date.today()
    check_output_path(args.out)
    request = SheetRequest(args.kind, day, day, paper=args.paper)
    ctx = open_context(args)
    try:
        rows = SheetService(ctx, tz=args.tz).rows(CLI_ACTOR, request, day)
    finally:
        ctx.engine.dispose()
    write_output(args.out, render_sheet(request, day, rows, ctx.station_id))
    print(f"wrote {args.kind} sheet for {day} ({len(rows)} rows) to {args.out}")
    return 0
