"""The fast pull stores every value exactly as a SQLAlchemy Core insert would.

Pulled rows skip SQLAlchemy's type processing (``station.sync.pull_rows``); the services read
them later through SQLAlchemy, so the stored bytes and SQLite storage classes must be the
ones SQLAlchemy itself writes. Station A pulls; station B gets the same central rows through
a plain Core insert; the raw files must agree value for value, type for type.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import select, update

from station.models import Operator, Product, Receipt, Rma, RmaLine, Role, Unit
from station.sync.pull import PULL_TABLES, Puller
from station.sync.pull_rows import pull_shape
from tests.helpers.builders import add_operator, add_product, add_rma

pytestmark = pytest.mark.postgres

TABLES = (Operator.__table__, Product.__table__, Rma.__table__, RmaLine.__table__, Receipt.__table__, Unit.__table__)


def raw_rows(url: str, table: str) -> list[tuple]:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        select_list = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
        return conn.execute(f'SELECT {select_list} FROM "{table}" ORDER BY id').fetchall()
    finally:
        conn.close()


def test_pulled_rows_are_stored_exactly_as_sqlalchemy_stores_them(make_station, central, central_sf):
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        add_operator(db, Role.SUPERVISOR, badge="SUP-中", name="Zhang \"Wei\" \\ O'Neil")
        cheap = add_product(db, "TS-1", value="0.10", gtin="06901234567892", serialised=True)
        odd = add_product(db, "SH-1", value="1234567890.12", name_zh="鞋\u2028\t", weight_g=None)
        for n in range(3):
            add_rma(db, [(cheap, 1), (odd, 2, "SER-1")], price=("12.34", "0.00", "99.99")[n])
    with central.begin() as conn:  # odd JSON spacing, non-ASCII and a NULL foreign key on central
        conn.execute(update(Rma.__table__).values(customer_photos=["照片.jpg", {"b": 1, "a": [1.5, None]}]))
        conn.exec_driver_sql("UPDATE rmas SET customer_photos = '[ \"x\" ,  {\"k\" :1e2}]'::json "
                             "WHERE id = (SELECT id FROM rmas ORDER BY id LIMIT 1)")
        rma_id = conn.execute(select(Rma.id).limit(1)).scalar_one()
        op_id = conn.execute(select(Operator.id)).scalar_one()
        receipt = uuid.uuid4()
        conn.execute(Receipt.__table__.insert().values(
            id=receipt, rma_id=rma_id, scanned_code="SF1", received_at=conn.execute(select(Rma.authorised_at).limit(1)).scalar_one(),
            received_by=op_id, parcel_condition="intact", weight_g=None, status="received", flags=["unknown"],
            notes="", station_id="DOCK09", version=3))
        conn.execute(Unit.__table__.insert().values(
            lpn="LPN1", receipt_id=receipt, rma_line_id=None, product_id=None, sku_received="X", gtin_received="",
            serial_received="", quantity=1, state="received", flags=[], grade=None, disposition=None, bin="",
            station_id="DOCK09"))

    fast = make_station(1)
    Puller(fast.engine, central).pull_all()
    core = make_station(2)
    with central.connect() as src, core.engine.begin() as dst:
        for table in TABLES:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            dst.execute(table.insert(), rows)
    for table in TABLES:
        assert raw_rows(fast.url, table.name) == raw_rows(core.url, table.name), table.name
        assert raw_rows(fast.url, table.name), table.name


def test_every_pulled_table_has_a_pull_format():
    for name in PULL_TABLES:
        assert pull_shape(Rma.metadata.tables[name]).columns
