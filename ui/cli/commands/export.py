"""``rma-station export TABLE --format csv|xlsx --out PATH``: any queue or analytic table."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from station.analytics import build_dashboard
from station.analytics.export import FORMATS, write_table
from station.analytics.tables import ANALYTIC_TABLES, analytic_table
from station.analytics.thresholds import load_thresholds
from station.core.errors import InvalidInput
from station.supervision.desk import QUEUES, SupervisionService
from ui.cli import add_db_option
from ui.cli.files import check_output_path
from ui.supervisor.headless import CLI_ACTOR, add_period_options, open_context, period_of

log = logging.getLogger(__name__)

STATION_QUEUES = tuple(q for q in QUEUES if q != "sync_conflicts")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "export", help="export a queue or an analytic table as CSV or XLSX",
        description=f"Queues: {', '.join(STATION_QUEUES)}. Analytics: {', '.join(ANALYTIC_TABLES)}.")
    parser.add_argument("table", metavar="TABLE", help="a queue or analytic table name")
    parser.add_argument("--format", choices=FORMATS, default=None, help="default: from --out's extension")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--search", default="", help="queues: only rows containing this text")
    add_period_options(parser)
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Cannot tell the format from {args.out.name}.", next_step="Add --format csv or xlsx.")
    if args.table not in STATION_QUEUES + ANALYTIC_TABLES:
        raise InvalidInput(f"{args.table!r} is not a queue or analytic table.",
                           next_step=f"Choose one of {', '.join(STATION_QUEUES + ANALYTIC_TABLES)}.")
    check_output_path(args.out)
    ctx = open_context(args)
    if args.table in STATION_QUEUES:
        view = SupervisionService(ctx).queue(CLI_ACTOR, args.table, search=args.search, limit=5000)
        title, columns, rows = view.title, view.columns, view.rows
    else:
        period = period_of(args)
        with ctx.session_factory.kw["bind"].begin() as conn:  # commits the summaries' refresh
            dashboard = build_dashboard(conn, period, rates=load_thresholds().rates.with_policy(ctx.policy), top_skus=100_000)
        table = analytic_table(dashboard, args.table)
        title, columns, rows = f"{table.title} {period}", table.columns, table.rows
    count = write_table(args.out, fmt, title, columns, rows)
    print(f"wrote {count} rows of {args.table} to {args.out}")
    return 0
