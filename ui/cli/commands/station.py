"""``rma-station station show | rename``: this station's id and number, changed only on purpose.

    rma-station station show
    rma-station station rename --id DOCK07 --number 7 --reason "dock 7 reopened" --admin-badge A1

The database remembers the identity it was first used with (``station.core.identity``); the
window and every writing command refuse settings that name another. ``rename`` is the one
deliberate way to change it: an admin's badge and PIN, audited with the admin and the reason,
refused when the new number's LPNs already exist in this database, and written to
settings.toml as well, so the next start agrees with the database. (Whoever can run the
command can read the file, but renaming a station re-labels what it mints from then on: like
adding an operator, it takes an admin who says who they are.)
"""

from __future__ import annotations

import argparse

from station.core.context import Actor, StationContext
from station.core.db import open_database
from station.core.identity import StationIdentity, StationIdentityError, bound_identity, rename
from station.core.settings import save_identity, settings_path
from ui.cli import add_db_option, argtypes
from ui.cli.secret_input import ask_secret
from ui.cli.station_setup import cli_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("station", help="show or deliberately change this station's id and number")
    actions = parser.add_subparsers(dest="station_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="the id and number in settings and in the database")
    add_db_option(show)
    show.set_defaults(handler=_show)
    ren = actions.add_parser("rename", help="change the id and/or number (audited; updates settings.toml)")
    add_db_option(ren)
    ren.add_argument("--id", dest="new_id", help="new station id (default: keep)")
    ren.add_argument("--number", dest="new_number", type=argtypes.non_negative_int,
                     help="new station number 0-999 (default: keep)")
    ren.add_argument("--reason", required=True, help="why; kept in the audit log")
    ren.add_argument("--admin-badge", required=True,
                     help="the admin doing this (PIN from $RMA_ADMIN_PIN or the terminal)")
    ren.set_defaults(handler=_rename)


def _show(args: argparse.Namespace) -> int:
    settings = cli_settings()
    _engine, session_factory = open_database(getattr(args, "db", None))
    bound = bound_identity(session_factory)
    if settings.identity_problem:
        print(f"settings: unreadable ({settings.identity_problem})")
    else:
        print(f"settings: {settings.get('station.id')} (number {settings.get('station.number')})")
    print(f"database: {bound.words() if bound else 'not bound yet (bound on first use)'}")
    return 0


def _rename(args: argparse.Namespace) -> int:
    settings = cli_settings()
    if settings.identity_problem:
        raise StationIdentityError(
            f"The settings file {settings_path()} cannot say which station this is: {settings.identity_problem}",
            next_step="Fix the file first; rename changes a known identity, it does not guess one.")
    if args.new_id is None and args.new_number is None:
        raise StationIdentityError("Say what changes: --id, --number or both.")
    _engine, session_factory = open_database(getattr(args, "db", None))
    current = bound_identity(session_factory) or StationIdentity(
        str(settings.get("station.id")), int(settings.get("station.number")))
    new = StationIdentity.checked(args.new_id if args.new_id is not None else current.id,
                                  args.new_number if args.new_number is not None else current.number)
    actor = _actor(args, StationContext(session_factory, station_id=current.id, station_no=current.number))
    old = rename(session_factory, new, actor, args.reason)
    path = save_identity(new.id, new.number)
    print(f"Station {old.words() if old else '(unbound)'} is now {new.words()}; {path} updated.")
    return 0


def _actor(args: argparse.Namespace, ctx: StationContext) -> Actor:
    from station.operators.service import AuthService

    return AuthService(ctx).sign_in(args.admin_badge, ask_secret("Admin PIN: ", env="RMA_ADMIN_PIN"))
