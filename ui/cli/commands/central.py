"""``rma-station central init --url URL``: set up (or upgrade) the central database.

``central restored`` and ``central unfence`` are the admin's steps around a restore from a
backup (``station.sync.fence``, docs/sync.md "A copy of central, or an older backup"):
the first fences commitments on a central restored into the same database, the second stops
waiting for stations that will never sync again; ``central fence`` says where it stands."""

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
    restored = actions.add_parser("restored", help="say central was restored from a backup: new resolutions wait "
                                                   "until every station has re-sent what it lost")
    restored.add_argument("--url", help="central database URL (default: $RMA_CENTRAL_URL)")
    restored.add_argument("--by", required=True, help="who restored it (written to the fence log)")
    restored.set_defaults(handler=_restored)
    show = actions.add_parser("fence", help="is central fenced after a restore, and which stations it waits for")
    show.add_argument("--url", help="central database URL (default: $RMA_CENTRAL_URL)")
    show.set_defaults(handler=_show_fence)
    unfence = actions.add_parser("unfence", help="stop waiting for stations that will never sync again")
    unfence.add_argument("--url", help="central database URL (default: $RMA_CENTRAL_URL)")
    unfence.add_argument("--station", action="append", required=True, metavar="STATION_ID",
                         help="a retired station (repeat for several)")
    unfence.add_argument("--by", required=True, help="who decided (written to the fence log)")
    unfence.add_argument("--reason", required=True, help="why the station will not come back")
    unfence.set_defaults(handler=_unfence)
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


def _restored(args: argparse.Namespace) -> int:
    from station.sync.fence import current_fence, fence

    engine = make_central_engine(central_url(args.url))
    try:
        with engine.begin() as conn:
            fence(conn, f"{args.by} restored central from a backup", by=args.by)
            now = current_fence(conn)
    finally:
        engine.dispose()
    print(now.words() if now is not None else "")
    return 0


def _show_fence(args: argparse.Namespace) -> int:
    from station.sync.fence import current_fence

    engine = make_central_engine(central_url(args.url))
    try:
        with engine.connect() as conn:
            now = current_fence(conn)
    finally:
        engine.dispose()
    print(now.words() if now is not None else "Central is not fenced: resolutions stand as central takes them.")
    return 0


def _unfence(args: argparse.Namespace) -> int:
    from station.core.errors import InvalidInput
    from station.sync.fence import current_fence, release

    engine = make_central_engine(central_url(args.url))
    try:
        with engine.begin() as conn:
            released, lifted = release(conn, args.station, by=args.by, reason=args.reason)
            now = current_fence(conn)
    finally:
        engine.dispose()
    unknown = sorted(set(args.station) - set(released))
    if released:
        print(f"Central no longer waits for {', '.join(released)} (recorded in sync_fence_log).")
    if lifted or now is None:
        print("The fence is lifted: resolutions stand as central takes them.")
    else:
        print(now.words())
    if unknown:
        raise InvalidInput(f"Central was not waiting for {', '.join(unknown)}.",
                           next_step="`rma-station central fence` lists the stations it waits for.")
    return 0
