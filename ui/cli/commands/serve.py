"""``rma-station serve``: the returns service (JSON API for the shop's systems) on uvicorn.

It serves the station's own database by default (a single-site shop), or any database given
with ``--db`` (a multi-site company points every process at central PostgreSQL). The web
stack is imported only when this command runs.
"""

from __future__ import annotations

import argparse
import logging

from ui.cli import add_db_option

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("serve", help="run the returns service (JSON API) with uvicorn")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument("--rate-limit", type=int, default=None, metavar="N",
                        help="requests per minute per API token (default 6000; 0 = off)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from station.intake.tokens import DEFAULT_RATE_PER_MINUTE
    from ui.supervisor.headless import open_context
    from web.app import WebConfig, create_app

    ctx = open_context(args)
    rate = DEFAULT_RATE_PER_MINUTE if args.rate_limit is None else args.rate_limit
    app = create_app(ctx, config=WebConfig(rate_per_minute=rate))
    print(f"returns service on http://{args.host}:{args.port}/api/v1 (OpenAPI: /api/v1/openapi.json); "
          f"customers: http://{args.host}:{args.port}/returns",
          flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0
