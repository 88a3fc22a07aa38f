"""``rma-station db upgrade|current``: schema migrations of the local (or any) database."""

from __future__ import annotations

import argparse
import time

from station.core.db import connect_database, current_revision, head_revision, upgrade
from ui.cli import add_db_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="database schema: upgrade, current revision")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    up = actions.add_parser("upgrade", help="apply migrations up to the newest schema")
    add_db_option(up)
    up.set_defaults(handler=_upgrade)
    cur = actions.add_parser("current", help="print the schema revision of the database")
    add_db_option(cur)
    cur.set_defaults(handler=_current)


def _upgrade(args: argparse.Namespace) -> int:
    engine = connect_database(getattr(args, "db", None), create=True)  # the one way to make a new file
    before = current_revision(engine)
    started = time.perf_counter()
    upgrade(engine)
    print(f"{engine.url.render_as_string(hide_password=True)}: {before or 'empty'} -> "
          f"{current_revision(engine)} in {time.perf_counter() - started:.2f} s")
    return 0


def _current(args: argparse.Namespace) -> int:
    engine = connect_database(getattr(args, "db", None))
    revision = current_revision(engine)
    head = head_revision()
    print(f"{revision or 'empty'} (newest: {head})")
    return 0 if revision == head else 1
