"""``rma-station serve``: the returns service (JSON API for the shop's systems) on uvicorn.

It serves the station's own database by default (a single-site shop), or any database given
with ``--db`` (a multi-site company points the service at central PostgreSQL, as one service
for all docks). The web stack is imported only when this command runs.

The database is opened as every command opens it (``open_context``: another program's
database, an unreadable station id or number, or a database bound to another station is
refused in one line before the port is taken). The service issues RMA numbers in this
station's range, so it must know which station it is.

``--workers N`` runs N processes on one port. Each worker opens the database itself (the same
checks as the command: ``worker_app``); what must hold across workers (API token rate limits,
the request page's attempt counters and used form nonces) lives in the database, so two
workers count one limit. A SQLite file has one writer at a time, so several workers are
refused there: they would only queue on its lock.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from dataclasses import asdict, dataclass

from station.core.errors import InvalidInput
from ui.cli import add_db_option
from ui.cli.argtypes import non_negative_int, port, positive_int

log = logging.getLogger(__name__)

OPTIONS_ENV = "RMA_SERVE_OPTIONS"
"""How ``run`` hands its options to each worker process (uvicorn starts them by import)."""

MAX_WORKERS = 64


@dataclass(frozen=True)
class ServeOptions:
    """What every worker needs to build the same app: plain values, so they travel as JSON."""

    db: str | None
    rate_limit: int | None
    forwarded_allow_ips: str | None
    labels: bool = True
    station_id: str | None = None

    def namespace(self) -> argparse.Namespace:
        """The options as the command line's shared helpers read them (``--db``)."""
        return argparse.Namespace(**({"db": self.db} if self.db is not None else {}), station_id=self.station_id)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("serve", help="run the returns service (JSON API) with uvicorn")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=port, default=8080, help="port (default 8080)")
    parser.add_argument("--workers", type=positive_int, default=1, metavar="N",
                        help="worker processes on the one port (default 1; more than 1 needs PostgreSQL)")
    parser.add_argument("--rate-limit", type=non_negative_int, default=None, metavar="N",
                        help="requests per minute per API token (default 6000; 0 = off)")
    parser.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                        help="behind a reverse proxy on another machine: its addresses (comma-separated), whose "
                             "X-Forwarded-For names the customer's address (default 127.0.0.1 or "
                             "$FORWARDED_ALLOW_IPS)")
    parser.add_argument("--no-labels", action="store_true",
                        help="run without a dock address: decisions carry no return label")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ui.supervisor.headless import open_context

    if args.workers > MAX_WORKERS:
        raise InvalidInput(f"--workers {args.workers}: give 1 to {MAX_WORKERS}.")
    options = ServeOptions(getattr(args, "db", None), args.rate_limit, args.forwarded_allow_ips,
                           labels=not args.no_labels, station_id=getattr(args, "station_id", None))
    if options.labels:
        _require_dock_address()
    ctx = open_context(options.namespace())  # refused here, in one line, before any worker starts
    backend = ctx.engine.dialect.name
    ctx.engine.dispose()
    if args.workers > 1 and backend == "sqlite":
        raise InvalidInput(
            f"--workers {args.workers} needs PostgreSQL: a SQLite file has one writer at a time, so more "
            "workers would only wait for each other.",
            next_step="Run one worker, or point --db at the central PostgreSQL database.")
    os.environ[OPTIONS_ENV] = json.dumps(asdict(options))
    print(f"returns service on http://{args.host}:{args.port}/api/v1 (OpenAPI: /api/v1/openapi.json); "
          f"customers: http://{args.host}:{args.port}/returns"
          + (f"; {args.workers} workers" if args.workers > 1 else ""),
          flush=True)
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS) unless told otherwise
    uvicorn.run(f"{__name__}:worker_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", access_log=False,
                forwarded_allow_ips=options.forwarded_allow_ips)
    return 0


def worker_app():  # type: ignore[no-untyped-def]
    """The app of one worker process, built from the options ``run`` left in the environment."""
    from station.intake.tokens import DEFAULT_RATE_PER_MINUTE
    from ui.supervisor.headless import open_context
    from web.app import WebConfig, create_app
    from web.pages import PageConfig

    options = ServeOptions(**json.loads(os.environ[OPTIONS_ENV]))
    ctx = open_context(options.namespace())
    rate = DEFAULT_RATE_PER_MINUTE if options.rate_limit is None else options.rate_limit
    return create_app(ctx, config=WebConfig(rate_per_minute=rate), pages=PageConfig(labels=options.labels))


def _require_dock_address() -> None:
    """Every authorised return hands out a label to ship to the dock: without the dock's
    address each one would fail (503 on the page, 422 in the API), so say it at start."""
    from station.core.settings import settings_path
    from ui.cli.station_setup import cli_settings

    if not str(cli_settings().get("dock.address")).strip():
        raise InvalidInput(
            "The dock's address (setting dock.address) is not set, so no return label can be made.",
            next_step=f'Add  address = "Dock 3; 88 Harbour Road; Shanghai"  under [dock] in {settings_path()} '
                      "(or in the window: F10, Settings), or start with --no-labels.")
