"""``rma-station sales import FILE.csv``: units sold per SKU and day (and lot, when a column names it), for return rates,
imported as the command line's admin (``station.catalog.sales`` checks and audits it)."""

from __future__ import annotations

import argparse
import logging
import sys

from station.catalog.sales import SalesService
from ui.cli.import_command import register_file_import, unknown_skus
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    register_file_import(subparsers, "sales", "import units sold (the return-rate denominator)",
                         "import a CSV with columns date,sku,units[,channel][,lot]", run_import)


def run_import(args: argparse.Namespace) -> int:
    result = SalesService(open_context(args, writes=True)).import_file(CLI_ACTOR, args.file)
    for bad in result.bad:
        print(f"{args.file.name}: skipped {bad}", file=sys.stderr)
    print(f"imported {result.rows_imported} of {result.rows_read} rows ({result.units} units, "
          f"{result.keys_written} SKU-days, {result.replaced} replaced); {len(result.bad)} bad rows skipped.")
    if line := unknown_skus(result.unknown_skus):
        print(line)
    return 0
