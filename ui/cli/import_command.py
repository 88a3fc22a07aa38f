"""The shape every ``rma-station NAME import FILE`` command shares.

``register_file_import`` adds ``NAME import FILE [--db]`` with its handler; ``unknown_skus``
is the line each catalogue import ends with when a file names SKUs the catalogue has not got
yet. ``register_import`` is the shape of ``orders import`` and ``rmas import``: CSV with a
header or JSON lines, the API's fields; every line is checked first, any problem is reported
with its line number and nothing is imported; a re-run of the same file changes nothing (the
rules live in ``station.intake.imports``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from station.intake.service import IntakeService
from ui.cli import add_db_option, argtypes
from ui.supervisor.headless import open_context

ImportFile = Callable[[IntakeService, Path], Any]
Handler = Callable[[argparse.Namespace], int]
SHOWN_SKUS = 10


def register_file_import(subparsers: argparse._SubParsersAction, name: str, help: str,  # type: ignore[type-arg]
                         import_help: str, handler: Handler) -> None:
    """``rma-station NAME import FILE [--db URL]``, run by ``handler(args)`` (the file checked as
    UTF-8 text first, ``argtypes.csv_file``)."""
    parser = subparsers.add_parser(name, help=help)
    sub = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help=import_help)
    imp.add_argument("file", type=argtypes.csv_file)
    add_db_option(imp)
    imp.set_defaults(handler=handler)


def unknown_skus(skus: Sequence[str]) -> str | None:
    """The line naming SKUs not in the catalogue yet (the first ten), or None when all are."""
    if not skus:
        return None
    shown = ", ".join(skus[:SHOWN_SKUS]) + (" ..." if len(skus) > SHOWN_SKUS else "")
    return f"{len(skus)} SKUs are not in the catalogue yet: {shown}"


def register_import(subparsers: argparse._SubParsersAction, name: str, help: str,  # type: ignore[type-arg]
                    noun: str, import_file: ImportFile) -> None:
    """``rma-station NAME import FILE``, reporting ``noun`` read, created, updated, unchanged."""

    def run(args: argparse.Namespace) -> int:
        result = import_file(IntakeService(open_context(args)), args.file)
        print(f"{args.file.name}: {result.read} {noun} read: {result.created} created, "
              f"{result.updated} updated, {result.unchanged} unchanged.")
        return 0

    register_file_import(subparsers, name, help, "import a CSV (header row) or JSON-lines file", run)
