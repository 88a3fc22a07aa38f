"""``rma-station sync --once | --watch | status | conflicts``: headless central sync."""

from __future__ import annotations

import argparse
import logging
import threading

from station.db import open_database
from station.errors import InvalidInput
from station.sync.connection import central_url, make_central_engine
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from ui.cli import add_db_option
from ui.cli.station_setup import cli_settings, writing_identity

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sync", help="sync with the central database (push, pull, status)")
    parser.add_argument("action", nargs="?", choices=["status", "conflicts"],
                        help="status: queue length, last success, last error; conflicts: open conflicts")
    add_db_option(parser)
    parser.add_argument("--central", metavar="URL",
                        help="central database URL (default: $RMA_CENTRAL_URL, else settings)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="push everything pending, pull, and exit")
    mode.add_argument("--watch", action="store_true", help="keep syncing until Ctrl-C")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds with --watch")
    parser.add_argument("--batch-size", type=int, default=5000, help="events per central transaction")
    parser.set_defaults(handler=_sync)


def _central(args: argparse.Namespace, station_id: str):  # type: ignore[no-untyped-def]
    settings = cli_settings()
    return make_central_engine(central_url(args.central, settings.get("central.db_url")), station_id=station_id)


def _sync(args: argparse.Namespace) -> int:
    engine, session_factory = open_database(getattr(args, "db", None))
    if args.action == "status":
        status = read_status(engine)
        print(status.words())
        print(f"  waiting: {status.queue_length}   set aside: {status.quarantined}   "
              f"pull cursor: {status.pull_cursor}   conflicts seen: {status.conflicts_seen}")
        if status.last_error:
            print(f"  last error: {status.last_error}")
        return 0 if status.online or status.last_attempt_at is None else 1
    # Pushing writes this station's records to the central database under its id.
    station_id = writing_identity(args, session_factory).id
    if args.action == "conflicts":
        from station.sync.conflicts import list_conflicts

        found = list_conflicts(_central(args, station_id))
        for c in found:
            print(f"#{c.id} {c.detected_at:%Y-%m-%d %H:%M} from {c.pushed_by}: {c.reason}")
        print(f"{len(found)} open conflict(s).")
        return 0
    if not (args.once or args.watch):
        raise InvalidInput("Say what to do: sync --once, sync --watch, sync status or sync conflicts.")
    worker = SyncWorker(engine, lambda: _central(args, station_id), station_id,
                        interval=args.interval, batch_size=args.batch_size)
    if args.once:
        result = worker.run_once()
        if not result.ok:
            print(f"Sync failed: {result.error}")
            return 1
        print(f"Pushed: {result.push.words()}. Pulled: {result.pull.applied} record(s).")
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
