"""``rma-station sales import FILE.csv``: units sold per SKU and day, for return rates."""

from __future__ import annotations

import argparse
import logging
import sys

from station.catalog.sales import import_sales
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("sales", help="import units sold (the return-rate denominator)")
    sub = parser.add_subparsers(dest="sales_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a CSV with columns date,sku,units[,channel]")
    imp.add_argument("file", type=argtypes.csv_file)
    add_db_option(imp)
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    result = import_sales(open_context(args, writes=True).session_factory, args.file)
    for bad in result.bad:
        print(f"{args.file.name}: skipped {bad}", file=sys.stderr)
    print(f"imported {result.rows_imported} of {result.rows_read} rows ({result.units} units, "
          f"{result.keys_written} SKU-days, {result.replaced} replaced); {len(result.bad)} bad rows skipped.")
    if result.unknown_skus:
        shown = ", ".join(result.unknown_skus[:10]) + (" ..." if len(result.unknown_skus) > 10 else "")
        print(f"{len(result.unknown_skus)} SKUs are not in the catalogue yet: {shown}")
    return 0
