"""``rma-station sync --once | --watch | --start-over | status | conflicts [list | resolve ID]``."""

from __future__ import annotations

import argparse
import logging
import threading

from sqlalchemy import Engine

from station.core.context import StationContext
from station.core.errors import InvalidInput
from station.sync.connection import central_url, make_central_engine
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from ui.cli import add_db_option
from ui.cli.argtypes import positive_float, positive_int
from ui.cli.secret_input import ask_secret
from ui.cli.station_setup import cli_settings, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sync", help="sync with the central database (push, pull, status, conflicts)")
    parser.add_argument("action", nargs="?", choices=["status", "conflicts"],
                        help="status: queue length, last success, last error; conflicts: list or resolve them")
    parser.add_argument("what", nargs="*", metavar="list | resolve ID",
                        help="with conflicts: list (the default) or resolve ID --keep central|station")
    add_db_option(parser)
    parser.add_argument("--central", metavar="URL",
                        help="central database URL (default: $RMA_CENTRAL_URL, else settings)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="push everything pending, pull, and exit")
    mode.add_argument("--watch", action="store_true", help="keep syncing until Ctrl-C")
    mode.add_argument("--start-over", action="store_true",
                      help="move this station to the central the URL names: push what waits here, "
                           "then pull everything from the start")
    parser.add_argument("--interval", type=positive_float, default=5.0, help="seconds between rounds with --watch")
    parser.add_argument("--batch-size", type=positive_int, default=5000, help="events per central transaction")
    parser.add_argument("--keep", choices=["central", "station"], help="with conflicts resolve: which version stays")
    parser.add_argument("--note", default="", help="with conflicts resolve: why (kept in the audit log)")
    parser.add_argument("--badge", help="with conflicts resolve: the supervisor's badge (PIN from $RMA_PIN or asked)")
    parser.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    if args.action != "status":
        # The URL is checked first, before the database is opened: a bad one is refused in one
        # line (exit 2), whatever else is wrong.
        central_url(args.central, cli_settings().get("central.db_url") or None)
    # Pushing writes this station's records to the central database under its id.
    ctx = open_context(args)
    engine = ctx.engine
    if args.action == "status":
        status = read_status(engine)
        print(status.words())
        print(f"  waiting: {status.queue_length}   set aside: {status.quarantined}   "
              f"pull cursor: {status.pull_cursor}   conflicts seen: {status.conflicts_seen}   "
              f"open conflicts: {status.open_conflicts}")
        if status.last_error:
            print(f"  last error: {status.last_error}")
        return 0 if status.online or status.last_attempt_at is None else 1
    station_id, station_no = ctx.station_id, ctx.station_no
    url = central_url(args.central, cli_settings().get("central.db_url") or None)
    if args.action == "conflicts":
        return _conflicts(args, ctx, make_central_engine(url, station_id=station_id))
    if args.what:
        raise InvalidInput(f"Unexpected words after sync: {' '.join(args.what)}.")
    if not (args.once or args.watch or args.start_over):
        raise InvalidInput("Say what to do: sync --once, sync --watch, sync --start-over, sync status "
                           "or sync conflicts.")
    worker = SyncWorker(engine, lambda: make_central_engine(url, station_id=station_id), station_id,
                        interval=args.interval, batch_size=args.batch_size, station_no=station_no)
    if args.once or args.start_over:
        result = worker.start_over() if args.start_over else worker.run_once()
        if result.history_lost is not None:
            print(result.history_lost.words())
        if result.fence is not None:
            print(result.fence.words())
        if not result.ok and result.error == result.push.audit_refused:
            # The data went through; only the audit anchor was refused. Say exactly that (a
            # "Sync failed" here sends an admin hunting a network fault), and still exit 1:
            # central's refusal means this station's audit log needs looking at.
            print(f"Synced, but central refused this station's audit log: {result.error}")
            print(f"Pushed: {result.push.words()}. Pulled: {result.pull.applied} record(s).")
            return 1
        if not result.ok:
            print(f"Sync failed: {result.error}")
            return 1
        if args.start_over:
            print("Started over with this central: the changes waiting here were pushed first.")
        print(f"Pushed: {result.push.words()}. Pulled: {result.pull.applied} record(s).")
        if result.voided.receipts:
            print(f"Voided here: {result.voided.receipts} receipt(s) and {result.voided.units} unit(s) of parcels "
                  "a supervisor settled for another dock's receipt (quarantined; see `audit tail`).")
        for number in result.credits.accepted:
            print(f"Credit of {number} confirmed by central: the batch is credited.")
        for number, why in result.credits.voided:
            print(f"Credit of {number} void: {why}")
        print(read_status(engine).words())
        return 0
    stop = threading.Event()

    def show(status):  # type: ignore[no-untyped-def]
        print(status.words(), flush=True)

    worker.on_status = show
    try:
        worker.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _conflicts(args: argparse.Namespace, ctx: StationContext, central: Engine) -> int:
    what = args.what or ["list"]
    if what == ["list"]:
        from station.sync.conflicts import list_conflicts

        found = list_conflicts(central)
        for c in found:
            versions = f"central's version by {c.central_by}, " if c.central_by else ""
            print(f"#{c.id} {c.detected_at:%Y-%m-%d %H:%M} {c.entity_type} ({versions}held back from "
                  f"{c.pushed_by}, {c.members} record(s)): {c.reason}")
        print(f"{len(found)} open conflict(s).")
        return 0
    if len(what) != 2 or what[0] != "resolve" or not (what[1].isascii() and what[1].isdigit()):
        raise InvalidInput("Say `sync conflicts list` or `sync conflicts resolve ID --keep central|station`.")
    if not args.keep or not args.badge:
        raise InvalidInput("Resolving a conflict needs --keep central|station and a supervisor's --badge.")
    from station.operators.service import AuthService
    from station.sync.conflict_service import SyncConflictService

    actor = AuthService(ctx).sign_in(args.badge, ask_secret("PIN: ", env="RMA_PIN"))
    settled = SyncConflictService(ctx, central).resolve(actor, int(what[1]), args.keep, args.note)
    print(f"Conflict #{settled.conflict_id} settled: kept the {settled.kept} version.")
    return 0
