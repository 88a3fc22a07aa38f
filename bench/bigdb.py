"""A large station database for benchmarks: N RMAs and 3N units, built fast.

Rows go in through the sqlite3 module in the exact storage format SQLAlchemy uses (hex UUIDs,
ISO timestamps), after Alembic has created the schema, so the services read them like any
other rows. The file is cached under bench/.data/ and reused by later benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
import uuid
from pathlib import Path

from station.core.db import SCHEMA_HEAD, make_engine, upgrade
from station.core.identifiers import make_lpn, make_rma_number

DATA = Path(__file__).with_name(".data")
TS = "%Y-%m-%d %H:%M:%S.%f"
BASE = dt.datetime(2026, 1, 1)
CATEGORIES = ("apparel", "shoes", "electronics", "small_appliances", "cosmetics")


COLUMNS = {
    "rmas": tuple((
        "number order_number customer_ref customer_name customer_email customer_phone "
        "customer_opt_out customer_locale reason_code reason_text requested_resolution "
        "customer_photos authorised_at deadline carrier tracking_number currency "
        "return_shipping_cost state expiry_approved_by id station_id created_at updated_at version"
    ).split()),
    "rma_lines": tuple((
        "rma_id line_no product_id sku quantity serial unit_price id station_id created_at "
        "updated_at version"
    ).split()),
    "receipts": tuple((
        "rma_id scanned_code received_at received_by parcel_condition weight_g status flags notes "
        "id station_id created_at updated_at version"
    ).split()),
    "units": tuple((
        "lpn receipt_id rma_line_id product_id sku_received gtin_received serial_received quantity "
        "state flags grade disposition bin id station_id created_at updated_at version"
    ).split()),
}
"""The columns the rows below fill, by name: later migrations add columns (with defaults)."""


def _insert(table: str) -> str:
    names = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({','.join('?' * len(names))})"


def big_db_path(rmas: int) -> Path:
    """One file per size and schema revision: a database built by older code lacks the
    columns newer code reads (the benches open it without upgrading it)."""
    return DATA / f"station-{rmas}-{SCHEMA_HEAD}.sqlite"


def tracking_for(i: int) -> str:
    return f"SF{1_000_000_000_000 + i * 7919 % 9_000_000_000_000}"


def build(rmas: int, *, units_per_rma: int = 4, seed: int = 1) -> tuple[Path, float]:
    """Build (or reuse) the database; returns its path and the seconds spent building."""
    path = big_db_path(rmas)
    if path.exists():
        return path, 0.0
    DATA.mkdir(exist_ok=True)
    tmp = path.with_suffix(".building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    now = BASE.strftime(TS)
    hex_ = lambda: uuid.UUID(int=rng.getrandbits(128), version=4).hex  # noqa: E731
    products = []
    for n in range(200):
        pid = hex_()
        products.append(pid)
        conn.execute(
            "INSERT INTO products (sku, gtin, name_en, name_zh, category, unit_value, currency, "
            "expected_weight_g, serialised, supplier, rtv_allowed, id, station_id, created_at, "
            "updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
            (f"SKU-{n:04d}", None, f"Product {n}", f"商品 {n}", CATEGORIES[n % 5], 99.0, "CNY", 300,
             0, "", 0, pid, "CENTRAL", now, now))
    clerk = hex_()
    conn.execute("INSERT INTO operators (badge, name, role, pin_hash, active, locale, id, station_id, "
                 "created_at, updated_at, version) VALUES ('EMP1001','Bench Clerk','clerk','x',1,'en',?,"
                 "'DOCK01',?,?,1)", (clerk, now, now))
    batch = 50_000
    lpn_seq = 0
    for start in range(0, rmas, batch):
        rma_rows, line_rows, receipt_rows, unit_rows = [], [], [], []
        for i in range(start, min(start + batch, rmas)):
            rid, lid = hex_(), hex_()
            at = (BASE + dt.timedelta(minutes=i % 400_000)).strftime(TS)
            received = i % 4 != 0  # 3 in 4 received, 4 units each: 3 units per RMA overall
            rma_rows.append((make_rma_number(i + 1), f"SO-{i:08d}", f"C-{i % 90_000}", "Customer",
                             "", "", 0, "en", "size", "", "refund", "[]", at, "2027-12-31", "SF",
                             tracking_for(i), "CNY", 0, "received" if received else "authorised",
                             None, rid, "CENTRAL", at, at, 1))
            product = products[i % len(products)]
            line_rows.append((rid, 1, product, "SKU", units_per_rma, None, 99.0, lid, "CENTRAL", at, at, 1))
            if received:
                rcid = hex_()
                receipt_rows.append((rid, tracking_for(i), at, clerk, "intact", None, "received", "[]",
                                     "", rcid, "DOCK01", at, at, 1))
                for _ in range(units_per_rma):
                    lpn_seq += 1
                    unit_rows.append((make_lpn(1, lpn_seq), rcid, lid, product, "", "", "", 1,
                                      "received", "[]", None, None, "", hex_(), "DOCK01", at, at, 1))
        conn.executemany(_insert("rmas"), rma_rows)
        conn.executemany(_insert("rma_lines"), line_rows)
        conn.executemany(_insert("receipts"), receipt_rows)
        conn.executemany(_insert("units"), unit_rows)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    tmp.rename(path)
    return path, time.perf_counter() - started
