"""``rma-station seed-demo``: fill an empty station database with a demo warehouse."""

from __future__ import annotations

import argparse
import time

from station.core.db import open_database
from station.core.errors import InvalidInput
from station.core.settings import save_settings
from station.demo import DEMO_DOCK_ADDRESS, DEMO_OPERATORS, database_is_empty, seed_demo, with_demo_dock
from ui.cli import add_db_option, argtypes
from ui.cli.station_setup import cli_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("seed-demo", help="seed demo data into an empty database")
    add_db_option(parser)
    parser.add_argument("--rmas", type=argtypes.positive_int, default=320, help="how many RMAs (default 320)")
    parser.add_argument("--seed", type=argtypes.non_negative_int, default=42, help="random seed (same seed, same data)")
    parser.add_argument("--station-id", default="DOCK01")
    parser.set_defaults(handler=_seed)


def _seed(args: argparse.Namespace) -> int:
    if args.rmas < 1:
        raise InvalidInput("--rmas must be at least 1.")
    started = time.perf_counter()
    _engine, session_factory = open_database(getattr(args, "db", None), create=True)
    if not database_is_empty(session_factory):
        raise InvalidInput("The database already holds data; demo data goes only into an empty one.",
                           next_step="Use --db with a new file.")
    summary = seed_demo(session_factory, station_id=args.station_id, rmas=args.rmas, seed=args.seed)
    elapsed = time.perf_counter() - started
    states = ", ".join(f"{k} {v}" for k, v in summary.by_state.items())
    print(f"Seeded {summary.rmas} RMAs ({states}), {summary.units} units, "
          f"{summary.products} products in {elapsed:.2f} s.")
    print("Sign in with one of these badges:")
    for badge, name, role, pin, _locale in DEMO_OPERATORS:
        print(f"  {badge}  PIN {pin:<6}  {role.value:<10} {name}")
    demo_settings = with_demo_dock(cli_settings())
    if demo_settings is not None:
        save_settings(demo_settings)
        print(f"Return labels ship to the demo dock (setting dock.address): {DEMO_DOCK_ADDRESS}")
    print("Customers can return from these orders (rma-station serve, then http://127.0.0.1:8080/returns):")
    for order in summary.orders:
        print(f"  {order.number}  {order.email:<26} {order.language}  {order.story}")
    return 0
