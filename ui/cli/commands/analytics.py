"""``rma-station analytics refresh [--full]``: bring the dashboard's per-day summaries up to date;
``rma-station analytics lots --sku SKU``: the SKU's production lots, worst first (issue 26).

The dashboard, the report and the exports refresh the summaries themselves (only the days
touched since the last refresh); this command does it ahead of time, e.g. right after an
upgrade (the first build reads every return once) or from a nightly job, and ``--full``
rebuilds them from scratch (after rows were deleted or written with old timestamps).
"""

from __future__ import annotations

import argparse
import logging

from station.analytics.lots import LotReport
from station.analytics.service import AnalyticsService
from station.analytics.summary import refresh
from ui.cli import add_db_option
from ui.supervisor.headless import CLI_ACTOR, add_period_options, open_context, period_of

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("analytics", help="maintain the analytics summaries behind the dashboard")
    sub = parser.add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    ref = sub.add_parser("refresh", help="recompute the days changed since the last refresh")
    ref.add_argument("--full", action="store_true", help="rebuild every day from the raw tables")
    add_db_option(ref)
    ref.set_defaults(handler=run_refresh)
    lots = sub.add_parser("lots", help="return rate, reasons and grades per production lot of a SKU, worst first")
    lots.add_argument("--sku", required=True, help="the SKU whose lots to compare")
    add_period_options(lots)
    add_db_option(lots)
    lots.set_defaults(handler=run_lots)


def run_refresh(args: argparse.Namespace) -> int:
    ctx = open_context(args)
    with ctx.session_factory.kw["bind"].begin() as conn:
        report = refresh(conn, full=args.full)
    what = "rebuilt" if report.full else "refreshed"
    print(f"analytics summaries {what}: {report.days} days recomputed in {report.runs} runs, "
          f"{report.seconds:.2f} s; watermark {report.watermark:%Y-%m-%d %H:%M:%S} UTC")
    return 0


def lot_lines(report: LotReport) -> list[str]:
    """The lots as printed lines: rate (or counts only, said once), top reasons, grades."""
    if not report.rows:
        return [f"No returns with a lot for {report.sku} in {report.period}."]
    lines = [f"Lots of {report.sku}, {report.period}, worst first:"]
    if report.counts_only:
        lines.append(report.note())
    for r in report.rows:
        rate = f"{r.returned} returned of {r.sold} sold ({r.rate * 100:.1f} %)" if r.rate is not None \
            else f"{r.returned} returned" + (" (no sales of this lot)" if r.has_sales else "")
        why = ", ".join(f"{words} {n}" for _code, words, n in r.reasons[:3])
        grades = " ".join(f"{g}:{n}" for g, n in r.grades)
        lines.append(f"  {r.lot:<20} {rate}" + (f"; reasons: {why}" if why else "") + (f"; grades {grades}" if grades else ""))
    return lines


def run_lots(args: argparse.Namespace) -> int:
    report = AnalyticsService(open_context(args)).lots(CLI_ACTOR, period_of(args), args.sku)
    print("\n".join(lot_lines(report)))
    return 0
