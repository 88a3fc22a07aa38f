"""``rma-station prices import FILE.csv``: the resale price list per SKU and grade, imported
as the command line's admin (``station.catalog.prices`` checks and audits it)."""

from __future__ import annotations

import argparse
import logging

from station.catalog.prices import PriceListService
from ui.cli.import_command import register_file_import, unknown_skus
from ui.supervisor.headless import CLI_ACTOR, open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    register_file_import(subparsers, "prices", "import the resale price list (sku,grade,price,currency)",
                         "import a CSV sku,grade,price,currency; all lines or none", run_import)


def run_import(args: argparse.Namespace) -> int:
    result = PriceListService(open_context(args, writes=True)).import_csv(CLI_ACTOR, args.file)
    print(f"{args.file.name}: {result.lines} prices read: {result.added} added, {result.changed} changed, "
          f"{result.unchanged} unchanged.")
    if line := unknown_skus(result.unknown_skus):
        print(line)
    return 0
