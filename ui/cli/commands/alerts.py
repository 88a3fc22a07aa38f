"""``rma-station alerts check|list|ack|note|close|export``: the early-warning rules headless,
and a supervisor's answers to an alert (by ``--badge`` + ``$RMA_PIN``)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from station.analytics.export import FORMATS, write_table
from station.analytics.thresholds import load_thresholds
from station.core.errors import InvalidInput
from station.operators.service import AuthService
from station.supervision.alert_trail import COLUMNS, alert_trail
from station.supervision.alerts import AlertService
from ui.cli import add_db_option, argtypes
from ui.cli.files import check_output_path
from ui.cli.secret_input import ask_secret
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("alerts", help="check the alert rules; list, answer and export alerts")
    sub = parser.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="evaluate every rule, store new alerts, escalate overdue ones")
    check.add_argument("--rules", type=Path, help="alerts.toml to use (default: site file, else shipped)")
    check.add_argument("--date", type=argtypes.day, help="evaluate as of this day (default: today, UTC)")
    add_db_option(check)
    check.set_defaults(handler=run_check)
    listing = sub.add_parser("list", help="list alerts not closed yet, with their owner")
    add_db_option(listing)
    listing.set_defaults(handler=run_list)
    for name, helptext in (("ack", "acknowledge an alert with a note"), ("note", "add an action note"),
                           ("close", "close an alert with a note")):
        answer = sub.add_parser(name, help=helptext)
        answer.add_argument("alert_id", metavar="ID", help="the alert's id (its first 8 characters will do)")
        answer.add_argument("--note", required=True, help='e.g. "supplier informed, size chart corrected"')
        answer.add_argument("--badge", required=True, help="the supervisor's badge (PIN from $RMA_PIN or asked)")
        add_db_option(answer)
        answer.set_defaults(handler=run_answer, action=name)
    export = sub.add_parser("export", help="write every alert's trail to CSV or XLSX")
    export.add_argument("--out", required=True, type=Path)
    add_db_option(export)
    export.set_defaults(handler=run_export)


def run_check(args: argparse.Namespace) -> int:
    today = args.date
    service = AlertService(open_context(args, writes=True), load_thresholds(args.rules))
    result = service.check(today)
    for alert in result.raised:
        print(f"NEW   [{alert.severity}] {alert.rule}: {alert.message} -> {alert.owner}")
    for alert in result.refreshed:
        print(f"OPEN  [{alert.severity}] {alert.rule}: {alert.message}")
    for alert in result.escalated:
        print(f"LATE  [{alert.severity}] {alert.rule}: {alert.subject} escalated to the supervisors")
    print(f"{result.rules_run} rules checked: {len(result.raised)} new alerts, "
          f"{len(result.refreshed)} still open, {len(result.escalated)} escalated.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    alerts = AlertService(open_context(args)).open_alerts(CLI_ACTOR)
    for alert in alerts:
        print(f"{str(alert.id)[:8]} {alert.raised_at:%Y-%m-%d %H:%M} [{alert.severity}] {alert.state.value:<12} "
              f"{alert.subject} (owner: {alert.owner}): {alert.message}")
    print(f"{len(alerts)} alerts not closed.")
    return 0


def run_answer(args: argparse.Namespace) -> int:
    ctx = open_context(args, writes=True)
    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    service = AlertService(ctx)
    do = {"ack": service.acknowledge, "note": service.add_note, "close": service.close}[args.action]
    view = do(actor, args.alert_id, args.note)
    print(f"Alert {str(view.id)[:8]} on {view.subject}: {view.state.value}.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    fmt = args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Cannot tell the format from {args.out.name}.", next_step="Name it .csv or .xlsx.")
    check_output_path(args.out)
    ctx = open_context(args)
    with ctx.session_factory.kw["bind"].connect() as conn:
        rows = alert_trail(conn)
    count = write_table(args.out, fmt, "Alert trail", COLUMNS, [r.values() for r in rows])
    print(f"wrote {count} steps of {len({r.alert for r in rows})} alerts to {args.out}")
    return 0
