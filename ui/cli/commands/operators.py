"""``rma-station operators add|list|unlock``: manage who may sign in (the first admin
bootstraps); a supervisor lifts a wrong-PIN lock."""

from __future__ import annotations

import argparse

from station.core.errors import InvalidInput
from station.models import Role
from station.operators.roster import RosterService
from station.operators.service import AuthService
from ui.cli import add_db_option
from ui.cli.secret_input import ask_secret
from ui.cli.station_setup import open_context
from ui.supervisor.headless import CLI_ACTOR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("operators", help="add or list operators")
    actions = parser.add_subparsers(dest="op_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an operator (an admin's badge+PIN unless the station is empty)")
    add_db_option(add)
    add.add_argument("--badge", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--locale", default="en", choices=["en", "zh"])
    add.add_argument("--email", default="", help="where alerts escalate to (supervisors)")
    add.add_argument("--admin-badge", help="the admin authorising this (not needed for the first operator)")
    add.set_defaults(handler=_add)
    lst = actions.add_parser("list", help="list operators")
    add_db_option(lst)
    lst.set_defaults(handler=_list)
    unlock = actions.add_parser("unlock", help="lift a wrong-PIN lock (a supervisor's or admin's badge+PIN)")
    add_db_option(unlock)
    unlock.add_argument("badge", nargs="?", metavar="BADGE", help="the locked badge")
    unlock.add_argument("--station", action="store_true", help="lift the lock on this station instead")
    unlock.add_argument("--station-id", help="this station's id (default: the one in settings)")
    unlock.add_argument("--supervisor-badge", required=True, help="the supervisor or admin lifting the lock")
    unlock.set_defaults(handler=_unlock)


def _pin(prompt: str, env: str) -> str:
    return ask_secret(prompt, env=env)


def _add(args: argparse.Namespace) -> int:
    auth = AuthService(open_context(args))
    actor = None
    if args.admin_badge:
        actor = auth.sign_in(args.admin_badge, _pin("Admin PIN: ", "RMA_ADMIN_PIN"))
    created = auth.create_operator(actor, badge=args.badge, name=args.name, role=Role(args.role),
                                   pin=_pin("New operator's PIN: ", "RMA_NEW_PIN"), locale=args.locale,
                                   email=args.email)
    print(f"Added {created.badge} {created.name} ({created.role.value}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    for op in RosterService(open_context(args, writes=False)).operators(CLI_ACTOR):
        print(f"{op.badge:<12} {op.role.value:<10} {op.state:<7} {op.name}" + (f" <{op.email}>" if op.email else ""))
    return 0


def _unlock(args: argparse.Namespace) -> int:
    if not args.station and not args.badge:
        raise InvalidInput("Name the badge to unlock, or give --station.")
    ctx = open_context(args)
    station_id = ctx.station_id
    auth = AuthService(ctx)
    supervisor = auth.sign_in(args.supervisor_badge, _pin("Supervisor PIN: ", "RMA_SUPERVISOR_PIN"))
    forgiven = auth.unlock(supervisor, args.badge, station=args.station)
    what = f"station {station_id}" if args.station else f"badge {args.badge.strip().upper()}"
    print(f"Unlocked {what} ({forgiven} wrong PINs forgiven) by {supervisor.badge} {supervisor.name}.")
    return 0
