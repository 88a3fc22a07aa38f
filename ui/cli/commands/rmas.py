"""``rma-station rmas import FILE``: return requests, each decided by the policy (see
``ui.cli.import_command`` for the file's rules)."""

from __future__ import annotations

import argparse

from station.intake.imports import import_requests
from ui.cli.import_command import register_import


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    register_import(subparsers, "rmas", "import return requests (decided by the policy)", "requests",
                    import_requests)
