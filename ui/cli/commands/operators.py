"""``rma-station operators add|list``: manage who may sign in (the first admin bootstraps)."""

from __future__ import annotations

import argparse
import getpass
import os

from sqlalchemy import select

from station.auth import AuthService
from station.db import open_database
from station.models import Operator, Role
from ui.cli import add_db_option
from ui.cli.station_setup import writing_context


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


def _pin(prompt: str, env: str) -> str:
    # PINs come from the environment (scripts) or the terminal, never from the command line.
    return os.environ.get(env) or getpass.getpass(prompt)


def _add(args: argparse.Namespace) -> int:
    _engine, session_factory = open_database(getattr(args, "db", None))
    auth = AuthService(writing_context(args, session_factory))
    actor = None
    if args.admin_badge:
        actor = auth.sign_in(args.admin_badge, _pin("Admin PIN: ", "RMA_ADMIN_PIN"))
    created = auth.create_operator(actor, badge=args.badge, name=args.name, role=Role(args.role),
                                   pin=_pin("New operator's PIN: ", "RMA_NEW_PIN"), locale=args.locale,
                                   email=args.email)
    print(f"Added {created.badge} {created.name} ({created.role.value}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    _engine, session_factory = open_database(getattr(args, "db", None))
    with session_factory() as db:
        for op in db.scalars(select(Operator).order_by(Operator.badge)):
            print(f"{op.badge:<12} {op.role.value:<10} {'active ' if op.active else 'blocked'} {op.name}"
                  + (f" <{op.email}>" if op.email else ""))
    return 0
