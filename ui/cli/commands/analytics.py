"""``rma-station analytics refresh [--full]``: bring the dashboard's per-day summaries up to date.

The dashboard, the report and the exports refresh the summaries themselves (only the days
touched since the last refresh); this command does it ahead of time, e.g. right after an
upgrade (the first build reads every return once) or from a nightly job, and ``--full``
rebuilds them from scratch (after rows were deleted or written with old timestamps).
"""

from __future__ import annotations

import argparse
import logging

from station.analytics.summary import refresh
from ui.cli import add_db_option
from ui.supervisor.headless import open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("analytics", help="maintain the analytics summaries behind the dashboard")
    sub = parser.add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    ref = sub.add_parser("refresh", help="recompute the days changed since the last refresh")
    ref.add_argument("--full", action="store_true", help="rebuild every day from the raw tables")
    add_db_option(ref)
    ref.set_defaults(handler=run_refresh)


def run_refresh(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx.session_factory.kw["bind"].begin() as conn:
        report = refresh(conn, full=args.full)
    what = "rebuilt" if report.full else "refreshed"
    print(f"analytics summaries {what}: {report.days} days recomputed in {report.runs} runs, "
          f"{report.seconds:.2f} s; watermark {report.watermark:%Y-%m-%d %H:%M:%S} UTC")
    return 0
