"""``rma-station refurbish finish LPN --cost X --parts TEXT --grade A|B|C|D``: the refurbish step."""

from __future__ import annotations

import argparse
import logging

from station.inspection.refurbishment import RefurbishService
from station.operators.service import AuthService
from ui.cli import add_db_option
from ui.cli.secret_input import ask_secret
from ui.supervisor.headless import open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("refurbish", help="record a finished refurbishment by LPN")
    sub = parser.add_subparsers(dest="refurbish_command", metavar="ACTION", required=True)
    finish = sub.add_parser("finish", help="the unit is repaired: cost, parts and the grade it came out as")
    finish.add_argument("lpn")
    finish.add_argument("--cost", required=True, help="what the repair cost, e.g. 35.00")
    finish.add_argument("--parts", default="", help="parts used, in words")
    finish.add_argument("--grade", required=True, choices=("A", "B", "C", "D"), type=str.upper,
                        help="the grade after the repair")
    finish.add_argument("--badge", required=True, help="the technician's badge (PIN from $RMA_PIN or asked)")
    add_db_option(finish)
    finish.set_defaults(handler=run_finish)


def run_finish(args: argparse.Namespace) -> int:
    ctx = open_context(args, writes=True)
    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    result = RefurbishService(ctx).finish(actor, args.lpn, args.cost, args.parts, args.grade)
    print(result.message)
    return 0
