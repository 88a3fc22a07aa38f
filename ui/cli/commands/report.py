"""``rma-station report --from D --to D --out report.pdf``: the returns report as PDF."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import time
from pathlib import Path

from station.analytics import build_dashboard
from station.analytics.thresholds import load_thresholds
from station.core.errors import InvalidInput
from ui.cli import add_db_option, argtypes
from ui.cli.files import check_output_path, write_output
from ui.supervisor.headless import add_period_options, open_context, period_of

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("report", help="write the returns report (charts and tables) as PDF")
    add_period_options(parser, required=True)
    parser.add_argument("--out", required=True, type=Path, help="PDF file to write")
    parser.add_argument("--top", type=argtypes.positive_int, default=200, help="SKUs in the per-SKU table (default 200)")
    parser.add_argument("--rules", type=Path, help="alerts.toml with the cost rates (default: site/shipped)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ui.supervisor.report_pdf import render_report

    if not 1 <= args.top <= 100_000:
        raise InvalidInput("--top must be 1 to 100000.")
    period = period_of(args)
    check_output_path(args.out)
    started = time.perf_counter()
    ctx = open_context(args)
    rates = load_thresholds(args.rules).rates.with_policy(ctx.policy)
    with ctx.session_factory.kw["bind"].begin() as conn:  # commits the summaries' refresh
        dashboard = build_dashboard(conn, period, rates=rates, top_skus=args.top)
    pdf = render_report(dashboard, station=ctx.station_id,
                        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    write_output(args.out, pdf)
    note = " (nothing was returned or sold in this period)" if dashboard.empty else ""
    print(f"wrote the report for {period} to {args.out} ({len(pdf) // 1024} KB, "
          f"{time.perf_counter() - started:.2f} s){note}")
    return 0
