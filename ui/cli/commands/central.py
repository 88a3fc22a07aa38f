"""``rma-station central init --url URL``: set up (or upgrade) the central database."""

from __future__ import annotations

import argparse
import time

from station.sync.central_setup import init_central
from station.sync.connection import central_url, make_central_engine, store_password
from ui.cli.secret_input import ask_secret


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("central", help="central database: init (schema), password (keyring)")
    actions = parser.add_subparsers(dest="central_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="create or upgrade the central schema (safe to repeat)")
    init.add_argument("--url", help="central database URL (default: $RMA_CENTRAL_URL)")
    init.set_defaults(handler=_init)
    pw = actions.add_parser("password", help="store the central database password in the OS keyring")
    pw.add_argument("--url", help="central database URL (default: $RMA_CENTRAL_URL)")
    pw.set_defaults(handler=_password)


def _init(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from station.core.errors import ConfigError

    try:
        engine = make_central_engine(central_url(args.url))
        started = time.perf_counter()
        schema = init_central(engine)
    except (DBAPIError, ArgumentError, NoSuchModuleError, ImportError) as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConfigError(f"Cannot set up the central database: {reason}.",
                          next_step="Check --url (or RMA_CENTRAL_URL), that the server is running, and the password.") from None
    print(f"{engine.url.render_as_string(hide_password=True)}: station schema {schema.station_revision}, "
          f"central schema {schema.central_revision} in {time.perf_counter() - started:.2f} s")
    if schema.renewed_identity is not None:
        print(f"This database now lives on another server: new identity {schema.renewed_identity}. "
              "Every station must run `rma-station sync --start-over` once.")
    engine.dispose()
    return 0


def _password(args: argparse.Namespace) -> int:
    url = central_url(args.url)
    store_password(url, ask_secret("Central database password: ", what="central database password"))
    print("Stored in the OS keyring (service rma-station).")
    return 0
