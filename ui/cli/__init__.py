"""The ``rma-station`` command.

With no sub-command it opens the dock window. Each sub-command lives in its own module in
``ui.cli.commands`` and exposes ``register(subparsers)``; modules are discovered, so adding a
command never means editing this file. Qt is imported only when the window opens, so headless
commands (``db upgrade``, ``sync --once``, ``label``) start fast and run without a display.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from station.errors import StationError

log = logging.getLogger(__name__)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rma-station",
        description="Returns-dock station. With no command, opens the dock window.",
    )
    add_db_option(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="seed demo data into the database first if it holds none, then open the window",
    )
    parser.add_argument("--station-id", help="this station's id (default: from settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    from ui.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="local database: a SQLite file path or any SQLAlchemy URL "
        "(default: $RMA_STATION_DB, else station.sqlite in the user data dir)",
    )


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line, importing sub-command modules only when one is asked for.

    Opening the window is the common case and must start fast; the sub-command modules pull
    in labels, analytics and sync, which together cost about a second of imports.
    """
    if "-h" in argv or "--help" in argv:
        return build_parser().parse_args(argv)
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from ui.app import run_window

            return run_window(args)
        return int(handler(args) or 0)
    except StationError as exc:
        print(f"rma-station: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
