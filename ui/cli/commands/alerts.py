"""``rma-station alerts check|list``: run the early-warning rules headless, list open alerts."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from station.alerts import AlertService
from station.analytics.thresholds import load_thresholds
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("alerts", help="check the alert thresholds, list open alerts")
    sub = parser.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="evaluate every rule and store new alerts")
    check.add_argument("--rules", type=Path, help="alerts.toml to use (default: site file, else shipped)")
    check.add_argument("--date", type=argtypes.day, help="evaluate as of this day (default: today, UTC)")
    add_db_option(check)
    check.set_defaults(handler=run_check)
    listing = sub.add_parser("list", help="list open alerts")
    add_db_option(listing)
    listing.set_defaults(handler=run_list)


def run_check(args: argparse.Namespace) -> int:
    today = args.date
    service = AlertService(open_context(args, writes=True), load_thresholds(args.rules))
    result = service.check(today)
    for alert in result.raised:
        print(f"NEW   [{alert.severity}] {alert.rule}: {alert.message}")
    for alert in result.refreshed:
        print(f"OPEN  [{alert.severity}] {alert.rule}: {alert.message}")
    print(f"{result.rules_run} rules checked: {len(result.raised)} new alerts, "
          f"{len(result.refreshed)} still open.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    alerts = AlertService(open_context(args)).open_alerts(CLI_ACTOR)
    for alert in alerts:
        print(f"{alert.raised_at:%Y-%m-%d %H:%M} [{alert.severity}] {alert.subject}: {alert.message}")
    print(f"{len(alerts)} open alerts.")
    return 0
