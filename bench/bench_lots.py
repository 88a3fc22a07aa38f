"""Returns by production lot (issue 26): the lot analysis over N returns on SQLite.

Data: 50 SKUs of 5 suppliers, 20 production lots each, N returned units spread over a year
(one lot in 50 returns ten times as often), every unit with its lot, half of them graded, and
sales per SKU and lot (``sales.lot``). Built once with Core bulk inserts into
``bench/.data/lots.sqlite`` (and reused); ``--quick`` builds 10,000 returns in a temporary file.
Figures, median of 3 after a warm-up: every lot of the last 28 days worst first (the
dashboard's "Worst lots" and ``export lots``), one SKU's lots over the year (``analytics lots
--sku``), and the lot alert rules' evaluation (``alerts check``). The issue's 1,000,000-return
figure on PostgreSQL: ``python bench/bench_lots.py --postgresql 1000000`` builds the same data in
the database ``rma_bench_lots_<N>`` of the server at ``RMA_BENCH_PG_URL`` (once; reused) and
prints the same figures.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import os

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from bench import Figure, figure, median
from bench.returned_rows import rma_and_receipt
from station.analytics.period import Period
from station.core.db import make_engine, upgrade
from station.models import Grade, Operator, Product, Receipt, Rma, Role
from station.models import SalesDay, Unit, UnitState

DATA = Path(__file__).with_name(".data")
PG_URL = os.environ.get("RMA_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
START = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
REASONS = ("defective", "damaged", "size", "not_as_described", "changed_mind")
SKUS, LOTS, CHUNK = 50, 20, 20_000
RULES = """
version = 1
[[rule]]
id = "lot_rate"
kind = "lot_return_rate"
max_rate_percent = 8.0
min_sold = 50
[[rule]]
id = "lot_count"
kind = "lot_returns"
max_units = 40
"""


def _insert(engine: Engine, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        for i in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[i:i + CHUNK])


def build(url: str, returns: int) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Unit)):
            return engine
    rng, now, op = random.Random(26), START, uuid.UUID(int=1)
    _insert(engine, Operator, [{"id": op, "badge": "BENCH", "name": "bench", "role": Role.SUPERVISOR, "pin_hash": "x",
                                "station_id": "BENCH", "created_at": now, "updated_at": now, "version": 1}])
    products = [{"id": uuid.uuid4(), "sku": f"LT-{n:03d}", "name_en": f"Lot product {n}", "name_zh": "",
                 "category": "cosmetics", "unit_value": Decimal("59.00"), "currency": "CNY", "serialised": False,
                 "supplier": f"Supplier {n % 5}", "rtv_allowed": True, "gtin": None, "expected_weight_g": None,
                 "station_id": "BENCH", "created_at": now, "updated_at": now, "version": 1} for n in range(SKUS)]
    _insert(engine, Product, products)
    weights = [10 if (s * LOTS + lot) % 50 == 7 else 1 for s in range(SKUS) for lot in range(LOTS)]
    rmas, receipts, units = [], [], []
    for i, pick in enumerate(rng.choices(range(SKUS * LOTS), weights=weights, k=returns)):
        product, lot = products[pick // LOTS], f"L{pick % LOTS:04d}"
        at = START + dt.timedelta(seconds=rng.randrange(365 * 86400))
        rma, receipt = rma_and_receipt(i, at, "RML", rng.choice(REASONS), op)
        rmas.append(rma)
        receipts.append(receipt)
        receipt_id = receipt["id"]
        units.append({"id": uuid.uuid4(), "lpn": f"LPL{i:011d}", "receipt_id": receipt_id, "rma_line_id": None,
                      "product_id": product["id"], "sku_received": product["sku"], "gtin_received": "",
                      "serial_received": "", "lot": lot, "expiry": None, "quantity": 1,
                      "state": UnitState.INSPECTED, "flags": [],
                      "grade": rng.choice(list(Grade)) if rng.random() < 0.5 else None, "disposition": None,
                      "bin": "", "station_id": "BENCH", "created_at": at, "updated_at": at, "version": 1})
    _insert(engine, Rma, rmas)
    _insert(engine, Receipt, receipts)
    _insert(engine, Unit, units)
    per_lot = max(50, returns // (SKUS * LOTS) * 12)
    _insert(engine, SalesDay, [{"sku": p["sku"], "sold_on": START.date() - dt.timedelta(days=30 - lot), "channel": "web",
                                "lot": f"L{lot:04d}", "units": per_lot, "source": "bench", "imported_at": now}
                               for p in products for lot in range(LOTS)])
    return engine


def _timed(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return median(samples)


def run(quick: bool = False) -> Iterator[Figure]:
    returns = 10_000 if quick else 200_000
    tmp = tempfile.TemporaryDirectory() if quick else None
    if tmp is not None:
        path = Path(tmp.name) / "lots.sqlite"
    else:
        DATA.mkdir(exist_ok=True)
        path = DATA / f"lots-{returns}.sqlite"
    yield from _figures(f"sqlite:///{path}", returns, "sqlite")
    if tmp is not None:
        tmp.cleanup()


def _figures(url: str, returns: int, backend: str) -> Iterator[Figure]:
    from station.analytics.lots import lot_rows, lots_of_sku
    from station.analytics.thresholds import load_thresholds
    from station.supervision.alerts import evaluate

    t0 = time.perf_counter()
    engine = build(url, returns)
    built = time.perf_counter() - t0
    end = (START + dt.timedelta(days=364)).date()
    month, year = Period(end - dt.timedelta(days=27), end), Period(START.date(), end)
    with tempfile.TemporaryDirectory() as rules_dir:
        rules = Path(rules_dir) / "alerts.toml"
        rules.write_text(RULES, encoding="utf-8")
        thresholds = load_thresholds(rules)
    with engine.connect() as conn:
        rows = lot_rows(conn, month)
        detail = {"returns": returns, "lots_in_28_days": len(rows), "backend": backend}
        yield figure("lots.dataset_ready", built, "s", **detail)
        yield figure("lots.worst_lots_28_days", _timed(lambda: lot_rows(conn, month, limit=20)), "s",
                     target_s=1, **detail)
        yield figure("lots.one_sku_year", _timed(lambda: lots_of_sku(conn, year, "LT-007")), "s", target_s=1,
                     **detail)
        fired = sum(len(evaluate(conn, rule, end)) for rule in thresholds.rules)
        yield figure("lots.alert_rules", _timed(lambda: [evaluate(conn, r, end) for r in thresholds.rules]), "s",
                     findings=fired, **detail)
    engine.dispose()


def postgresql_url(returns: int) -> str:
    """The bench's own database on the PostgreSQL server, created if missing."""
    name = f"rma_bench_lots_{returns}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Lot analysis figures on PostgreSQL.")
    parser.add_argument("--postgresql", type=int, metavar="RETURNS", required=True)
    n = parser.parse_args().postgresql
    for line in _figures(postgresql_url(n), n, "postgresql"):
        print(json.dumps(line, ensure_ascii=False), flush=True)
