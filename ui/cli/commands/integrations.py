"""``rma-station integrations init``: create the delivery ledger next to ``domain_events``."""

from __future__ import annotations

import argparse

from station.core.db import connect_database
from station.integrations import ledger
from ui.cli import add_db_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("integrations", help="set up webhooks, event feed and notices on a database")
    actions = parser.add_subparsers(dest="integrations_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="create the ledger tables and the feed view (idempotent)")
    add_db_option(init)
    init.set_defaults(handler=_init)


def open_ledger(args: argparse.Namespace):  # noqa: ANN201 - an Engine; kept import-light
    """The engine of ``--db`` (station or central database) with the ledger checked."""
    from sqlalchemy import inspect

    from station.core.errors import ConfigError

    engine = connect_database(getattr(args, "db", None))
    if not inspect(engine).has_table(ledger.event_log.name):
        raise ConfigError("This database has no integrations ledger.",
                          next_step="Run `rma-station integrations init` on it first.")
    ledger.add_missing_columns(engine)  # a ledger from an older release
    return engine


def _init(args: argparse.Namespace) -> int:
    engine = connect_database(getattr(args, "db", None))
    created = ledger.init(engine)
    print(f"Created: {', '.join(created)}." if created else "Integrations ledger already in place.")
    return 0
