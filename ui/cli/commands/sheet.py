"""``rma-station sheet scrap|relabel|receiving --date D --out PATH [--paper a4|letter]``:
the supervisor's sheets for one day, read from the station database."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from pathlib import Path

from labels import sheet_data
from labels.sheets import PAPERS, render_receiving_sheet, render_relabel_sheet, render_scrap_sheet
from station.supervision import sheets
from ui.cli import add_db_option, argtypes
from ui.cli.files import check_output_path, write_output
from ui.cli.station_setup import open_context

log = logging.getLogger(__name__)

KINDS = {
    "scrap": ("Scrap sheet", sheets.scrap_rows, render_scrap_sheet),
    "relabel": ("Relabel sheet", sheets.relabel_rows, render_relabel_sheet),
    "receiving": ("Daily receiving summary", sheets.receiving_rows, render_receiving_sheet),
}


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
    title, query, render = KINDS[args.kind]
    ctx = open_context(args)
    try:
        with ctx.session_factory() as session:
            rows = query(session, day, tz=args.tz)
    finally:
        ctx.engine.dispose()
    header = sheet_data.SheetHeader(title, day.isoformat(), ctx.station_id,
                                    dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    write_output(args.out, render(header, rows, paper=args.paper))
    print(f"wrote {args.kind} sheet for {day} ({len(rows)} rows) to {args.out}")
    return 0
