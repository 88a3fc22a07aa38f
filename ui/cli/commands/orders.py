"""``rma-station orders import FILE``: the orders customers may return from (see
``ui.cli.import_command`` for the file's rules)."""

from __future__ import annotations

import argparse

from station.intake.imports import import_orders
from ui.cli.import_command import register_import


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    register_import(subparsers, "orders", "import orders the customer may return from", "orders", import_orders)
