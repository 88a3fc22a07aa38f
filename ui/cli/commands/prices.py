"""``rma-station prices import FILE.csv``: the resale price list per SKU and grade."""

from __future__ import annotations

import argparse
import logging

from station.catalog.prices import PriceListService
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("prices", help="import the resale price list (sku,grade,price,currency)")
    sub = parser.add_subparsers(dest="prices_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a CSV sku,grade,price,currency; all lines or none")
    imp.add_argument("file", type=argtypes.csv_file)
    add_db_option(imp)
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    result = PriceListService(open_context(args, writes=True)).import_csv(None, args.file)
    print(f"{args.file.name}: {result.lines} prices read: {result.added} added, {result.changed} changed, "
          f"{result.unchanged} unchanged.")
    if result.unknown_skus:
        shown = ", ".join(result.unknown_skus[:10]) + (" ..." if len(result.unknown_skus) > 10 else "")
        print(f"{len(result.unknown_skus)} SKUs are not in the catalogue yet: {shown}")
    return 0
