"""``rma-station lots hold|release|list``: a supervisor holds a production lot (issue 26).

``hold --sku SKU --lot LOT --reason "..." --badge EMP...`` (PIN from ``$RMA_PIN`` or asked)
puts the lot on hold at every dock and prints the units already restocked to pull back;
``release`` ends the hold with a note; ``list`` shows the standing holds.
"""

from __future__ import annotations

import argparse
import logging

from station.operators.service import AuthService
from station.supervision.lot_holds import HoldView, LotHoldService
from ui.cli import add_db_option
from ui.cli.secret_input import ask_secret
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("lots", help="hold or release a production lot; list the holds")
    sub = parser.add_subparsers(dest="lots_command", metavar="ACTION", required=True)
    for name, helptext, words in (("hold", "hold a lot: its units are held for QC when scanned", "--reason"),
                                  ("release", "end the hold on a lot", "--note")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--sku", required=True)
        p.add_argument("--lot", required=True)
        p.add_argument(words, required=True, dest="words", help="why, in a few words the dock will read")
        p.add_argument("--badge", required=True, help="the supervisor's badge (PIN from $RMA_PIN or asked)")
        add_db_option(p)
        p.set_defaults(handler=run_hold if name == "hold" else run_release)
    listing = sub.add_parser("list", help="the standing holds and the restocked units to pull back")
    add_db_option(listing)
    listing.set_defaults(handler=run_list)


def _print(view: HoldView) -> None:
    print(view.words())
    for unit in view.restocked:
        print(f"  pull back {unit.lpn}" + (f" from bin {unit.bin}" if unit.bin else "") + f" ({unit.state})")


def run_hold(args: argparse.Namespace) -> int:
    ctx = open_context(args, writes=True)
    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    _print(LotHoldService(ctx).hold(actor, args.sku, args.lot, args.words))
    return 0


def run_release(args: argparse.Namespace) -> int:
    ctx = open_context(args, writes=True)
    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    n = LotHoldService(ctx).release(actor, args.sku, args.lot, args.words)
    print(f"Lot {args.lot} of {args.sku.upper()} released ({n} hold{'s' if n != 1 else ''} ended).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    holds = LotHoldService(open_context(args)).holds(CLI_ACTOR)
    if not holds:
        print("No lot is on hold.")
    for view in holds:
        _print(view)
    return 0
