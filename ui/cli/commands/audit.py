"""``rma-station audit verify|tail``: check the chain (here and against central), read the newest events.

``verify`` exits 0 when everything it could check holds, 1 when the chain is broken or
differs from central's copy, 3 when nothing is wrong but not everything could be checked (the
station's audit key is not on this machine, or central is configured but cannot be reached).
"""

from __future__ import annotations

import argparse
import json
import logging

from station.audit.chain import VerifyResult, walk_chain
from station.audit.key import default_store
from station.audit.trail import AuditTrail
from station.core.db import READ_ONLY
from station.core.errors import ConfigError
from station.core.settings import load_settings
from ui.cli import add_db_option
from ui.cli.argtypes import positive_int
from ui.cli.station_setup import open_context
from ui.supervisor.headless import CLI_ACTOR

log = logging.getLogger(__name__)

INCOMPLETE = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="verify or read the audit log")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check that no audit event was edited, re-chained or deleted (here and against central)",
        description="Exit 0: intact; 1: broken or different from central's copy; 3: nothing wrong found, "
                    "but the audit key or central was not available, so not everything was checked.")
    add_db_option(verify)
    verify.add_argument("--central", metavar="URL",
                        help="central database URL (default: $RMA_CENTRAL_URL, else the central.db_url setting)")
    verify.add_argument("--local-only", action="store_true", help="do not compare with central")
    verify.set_defaults(handler=_verify)
    tail = actions.add_parser("tail", help="print the newest audit events as JSON lines")
    add_db_option(tail)
    tail.add_argument("-n", type=positive_int, default=20, help="how many of the newest events (from 1)")
    tail.set_defaults(handler=_tail)


def _print_local(result: VerifyResult) -> None:
    if result.ok:
        what = "intact" if result.complete else "links intact"
        print(f"Audit chain {what}: {result.events:,} events ({result.keyed:,} keyed, "
              f"{result.plain:,} with plain SHA-256 hashes from before keyed chaining).")
    else:
        print(f"Audit chain BROKEN: {result.problems:,} problem(s) in {result.events:,} events.")
        for brk in result.breaks[:50]:
            print(f"  event #{brk.seq}: {brk.problem}")
    if result.unchecked:
        why = "; ".join(f"{station}: {reason}" for station, reason in result.keyless.items())
        print(f"The station's audit key is not available here ({why}). The content of {result.unchecked:,} keyed "
              f"event(s) was NOT checked, only their links: run `audit verify` where the key is.")


def _central_engine(args: argparse.Namespace, station_id: str):  # type: ignore[no-untyped-def]
    """The central engine if one is configured (None if not); the same sources as ``sync``."""
    from station.sync.connection import central_url, make_central_engine

    settings, _error = load_settings()
    try:
        url = central_url(args.central, settings.get("central.db_url"))
    except ConfigError as exc:
        if "No central database is configured" in exc.message:
            return None
        raise
    return make_central_engine(url, station_id=station_id)


def _check_central(args: argparse.Namespace, engine, station_id: str) -> int:  # type: ignore[no-untyped-def]
    """Compare with central's copy; returns 0 (agrees), 1 (differs) or INCOMPLETE."""
    from station.sync.audit_anchor import compare_with_central, has_anchor
    from station.sync.errors_in_words import describe

    central = _central_engine(args, station_id)
    if central is None:
        print("No central database is configured: only this station's chain was checked (events deleted "
              "from the end of the log cannot be seen without central's copy).")
        return 0
    try:
        if not has_anchor(central):
            print("The central database keeps no audit copy yet (run `rma-station central init`): only this "
                  "station's chain was checked.")
            return INCOMPLETE
        with engine.connect() as local, central.connect() as remote:
            check = compare_with_central(local.execution_options(**READ_ONLY), remote, station_id)
            local.rollback()
    except Exception as exc:  # noqa: BLE001 - an unreachable central is reported, not a crash
        print(f"Central could not be checked: {describe(exc)} Only this station's chain was checked.")
        return INCOMPLETE
    finally:
        central.dispose()
    brk = check.first_difference
    if brk is None:
        print(f"Central holds {check.central_events:,} event(s) of {station_id} (up to #{check.head.seq}); "
              f"every one matches this station's chain.")
    else:
        print(f"Central's copy DIFFERS: event #{brk.seq} {brk.problem}.")
        print(f"  {check.differences:,} event(s) in all differ from central's copy or are missing here; central "
              f"holds {check.central_events:,} for {station_id} (up to #{check.head.seq}).")
    if check.unsent:
        print(f"Not yet on central: {check.unsent:,} event(s) (the oldest at {check.oldest_unsent_at}). Until "
              f"they are synced, someone holding this database and its key could rewrite them unseen.")
    else:
        print("Not yet on central: none.")
    for reason in check.refusals:
        print(f"Central refused this station's audit log: {reason}")
    return 0 if check.ok else 1


def _verify(args: argparse.Namespace) -> int:
    ctx = open_context(args, writes=False)
    engine, station_id = ctx.engine, ctx.station_id
    with engine.connect() as conn:
        result = walk_chain(conn.execution_options(**READ_ONLY), default_store())
        conn.rollback()
    _print_local(result)
    central = 0 if args.local_only else _check_central(args, engine, station_id)
    engine.dispose()
    if not result.ok or central == 1:
        return 1
    if result.unchecked or central == INCOMPLETE:
        return INCOMPLETE
    return 0


def _tail(args: argparse.Namespace) -> int:
    for entry in AuditTrail(open_context(args, writes=False)).newest(CLI_ACTOR, args.n):
        print(json.dumps(entry.as_json(), ensure_ascii=False))
    return 0
