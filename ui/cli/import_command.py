"""The shape shared by ``orders import`` and ``rmas import``: one file in, every line checked.

CSV with a header or JSON lines, the API's fields. Every line is checked first; any problem
is reported with its line number and nothing is imported. A re-run of the same file changes
nothing (the rules live in ``station.intake.imports``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.intake.service import IntakeService
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import open_context

ImportFile = Callable[[IntakeService, Path], Any]


def register_import(subparsers: argparse._SubParsersAction, name: str, help: str,  # type: ignore[type-arg]
                    noun: str, import_file: ImportFile) -> None:
    """``rma-station NAME import FILE``, reporting ``noun`` read, created, updated, unchanged."""
    parser = subparsers.add_parser(name, help=help)
    sub = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a CSV (header row) or JSON-lines file")
    imp.add_argument("file", type=argtypes.csv_file)
    add_db_option(imp)

    def run(args: argparse.Namespace) -> int:
        result = import_file(IntakeService(open_context(args)), args.file)
        print(f"{args.file.name}: {result.read} {noun} read: {result.created} created, "
              f"{result.updated} updated, {result.unchanged} unchanged.")
        return 0

    imp.set_defaults(handler=run)
