"""Central sync figures against the machine's PostgreSQL (issue 7).

Targets: push >= 20,000 events/s; a 100,000-event backlog drained <= 10 s; pull of 100,000
RMAs (with their lines) into an empty station <= 10 s. Each run creates its own central
database (``rma_bench_sync_<random>``) and drops it afterwards. The backlog is receipts and
units as a dock writes them (one receipt, then its four units), already in the outbox.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bench import Figure, figure
from station.core.db import make_engine, upgrade
from station.core.identifiers import make_lpn, make_rma_number
from station.core.outbox import outbox_row
from station.models import (
    Operator,
    OutboxEvent,
    ParcelCondition,
    Product,
    Receipt,
    ReceiptStatus,
    RequestedResolution,
    Rma,
    RmaLine,
    Role,
    Unit,
    UnitState,
)
from station.sync.bulk import as_copy_row, copy_rows, fixed_point_columns, json_columns
from station.sync.central_setup import init_central
from station.sync.connection import make_central_engine
from station.sync.pull import Puller
from station.sync.push import Pusher

PG = os.environ.get("RMA_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _database() -> tuple[str, object]:
    admin = make_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"rma_bench_sync_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG).set(database=name).render_as_string(hide_password=False), admin


def _drop(admin, url: str) -> None:  # type: ignore[no-untyped-def]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def _operator() -> Operator:
    return Operator(id=uuid.uuid4(), badge="B1", name="Bench", role=Role.CLERK, pin_hash="x", active=True,
                    locale="en", email="", station_id="CENTRAL", created_at=NOW, updated_at=NOW, version=1)


def _backlog(local, operator: Operator, events: int) -> None:  # type: ignore[no-untyped-def]
    """``events`` new records waiting at a dock (a receipt and its four units, over and over),
    as the dock's services leave them: the rows in their tables and one outbox entry naming
    each (``station.core.outbox``)."""
    receipt = dict(scanned_code="X", rma_id=None, received_at=NOW, received_by=operator.id,
                   parcel_condition=ParcelCondition.INTACT, weight_g=900, status=ReceiptStatus.QUARANTINED,
                   flags=["unknown"], notes="", station_id="BENCH", created_at=NOW, updated_at=NOW, version=1)
    unit = dict(rma_line_id=None, product_id=None, sku_received="TS-1", gtin_received="", serial_received="",
                quantity=1, state=UnitState.QUARANTINED, flags=[], grade=None, disposition=None, bin="",
                station_id="BENCH", created_at=NOW, updated_at=NOW, version=1)
    receipts, units, seq = [], [], 0
    while len(receipts) + len(units) < events:
        rid = uuid.uuid4()
        receipts.append({**receipt, "id": rid, "scanned_code": f"TRK{len(receipts)}"})
        for _ in range(4):
            seq += 1
            units.append({**unit, "id": uuid.uuid4(), "receipt_id": rid, "lpn": make_lpn(7, seq)})
    named = [("receipts", r["id"]) for r in receipts] + [("units", u["id"]) for u in units]
    with local.begin() as conn:
        conn.execute(insert(Operator.__table__), [{c.key: getattr(operator, c.key) for c in Operator.__table__.columns}])
        conn.execute(insert(Receipt.__table__), receipts)
        conn.execute(insert(Unit.__table__), units)
        conn.execute(insert(OutboxEvent.__table__), [
            outbox_row(station_id="BENCH", entity_type=kind, entity_id=entity_id, version=1, operation="insert", at=NOW)
            for kind, entity_id in named[:events]])


def _upstream(central, rmas: int) -> None:  # type: ignore[no-untyped-def]
    product = Product(id=uuid.uuid4(), sku="TS-1", gtin=None, name_en="T-shirt", name_zh="T恤", category="apparel",
                      unit_value=Decimal("99.00"), currency="CNY", expected_weight_g=300, serialised=False,
                      supplier="", rtv_allowed=False, station_id="CENTRAL", created_at=NOW, updated_at=NOW, version=1)
    rma_rows, line_rows = [], []
    for i in range(rmas):
        rid = uuid.uuid4()
        rma_rows.append(Rma(id=rid, number=make_rma_number(i + 1), order_number=f"SO{i}", customer_ref=f"C{i}",
                            customer_name="Wang Fang", customer_email="w@example.com", customer_phone="",
                            customer_opt_out=False, customer_locale="zh", reason_code="size", reason_text="",
                            requested_resolution=RequestedResolution.REFUND, customer_photos=[],
                            authorised_at=NOW, deadline=NOW.date(), carrier="SF", tracking_number=f"SF{i:010d}",
                            currency="CNY", return_shipping_cost=Decimal("0.00"), state="authorised",
                            expiry_approved_by=None, station_id="CENTRAL", created_at=NOW, updated_at=NOW, version=1))
        for no in range(1, 2 + i % 2):
            line_rows.append(RmaLine(id=uuid.uuid4(), rma_id=rid, line_no=no, product_id=product.id, sku="TS-1",
                                     quantity=1, serial=None, unit_price=Decimal("99.00"), station_id="CENTRAL",
                                     created_at=NOW, updated_at=NOW, version=1))
    with central.begin() as conn:
        for objs in ([_operator(), ], [product], rma_rows, line_rows):
            table = type(objs[0]).__table__
            positions, amounts = json_columns(table), fixed_point_columns(table)
            copy_rows(conn, table.name, [c.name for c in table.columns],
                      (as_copy_row([_plain(_value(o, c)) for c in table.columns], positions, amounts)
                       for o in objs))


def _value(obj, column):  # type: ignore[no-untyped-def]
    """The attribute, or the column's plain default where the object (never flushed) has none:
    columns added by later migrations need no edit here."""
    value = getattr(obj, column.key)
    if value is None and column.default is not None and column.default.is_scalar:
        return column.default.arg
    return value


def _plain(value):  # type: ignore[no-untyped-def]
    return getattr(value, "value", value) if not isinstance(value, str) else value


def run(quick: bool = False) -> Iterator[Figure]:
    events = 10_000 if quick else 100_000
    rmas = 10_000 if quick else 100_000
    url, admin = _database()
    central = make_central_engine(url, station_id="BENCH")
    try:
        init_central(central)
        with tempfile.TemporaryDirectory() as tmp:
            op = _operator()
            with central.begin() as conn:
                conn.execute(insert(Operator.__table__), [{c.key: getattr(op, c.key) for c in Operator.__table__.columns}])
            local = make_engine(f"sqlite:///{Path(tmp) / 'push.sqlite'}")
            upgrade(local)
            _backlog(local, op, events)
            started = time.perf_counter()
            report = Pusher(local, central, "BENCH").push_all()
            took = time.perf_counter() - started
            assert report.sent == events, report
            yield figure("sync.push_events_per_s", events / took, "events/s", events=events, batch=5000)
            yield figure(f"sync.backlog_{events // 1000}k_drain", took, "s", target_s=10)
            local.dispose()
            with central.begin() as conn:
                conn.execute(text("TRUNCATE units, receipts, operators, sync_changes CASCADE"))

            _upstream(central, rmas)
            local = make_engine(f"sqlite:///{Path(tmp) / 'pull.sqlite'}")
            upgrade(local)
            started = time.perf_counter()
            pulled = Puller(local, central).pull_all()
            took = time.perf_counter() - started
            assert pulled.rejected == 0, pulled
            yield figure(f"sync.pull_{rmas // 1000}k_rmas_into_empty_station", took, "s",
                         records=pulled.applied, pages=pulled.pages, target_s=10)
            local.dispose()
    finally:
        central.dispose()
        _drop(admin, url)
