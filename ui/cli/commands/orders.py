"""``rma-station orders import FILE``: CSV with a header or JSON lines, the API's fields.

Every line is checked first; any problem is reported with its line number and nothing is
imported. A re-run of the same file changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.intake.imports import import_orders as run_file
from station.intake.service import IntakeService
from ui.cli import add_db_option
from ui.supervisor.headless import open_context


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("orders", help="import orders the customer may return from")
    sub = parser.add_subparsers(dest="orders_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a CSV (header row) or JSON-lines file")
    imp.add_argument("file", type=Path)
    add_db_option(imp)
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    result = run_file(IntakeService(open_context(args)), args.file)
    print(f"{args.file.name}: {result.read} orders read: {result.created} created, "
          f"{result.updated} updated, {result.unchanged} unchanged.")
    return 0
