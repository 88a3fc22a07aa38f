"""The vendor scorecard over a vendor with 100,000 returns (issue 14: <= 3 s).

Data: one vendor ("Bench Vendor", 40 SKUs) with 100,000 returned units in a year, 50,000
returns of 40 other vendors' SKUs around them, daily sales for every SKU, grades on 4 units in
5, and 400 shipped RTV batches of 25 units (half credited). Built once with Core bulk inserts
into ``bench/.data/suppliers.sqlite`` (and reused); ``--quick`` builds 10,000 returns in a
temporary file. Figures: the scorecard's queries alone, then the whole report as the command
line makes it (queries + PDF with charts, and queries + XLSX), median of 3 after a warm-up.
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

from sqlalchemy import Engine, func, insert, select

from bench import Figure, figure, median
from bench.returned_rows import rma_and_receipt
from station.analytics.period import Period
from station.core.context import Actor, StationContext
from station.core.db import make_engine, make_session_factory, upgrade
from station.models import (
    Grade,
    Operator,
    Product,
    Receipt,
    Rma,
    Role,
    RtvBatch,
    RtvItem,
    RtvState,
    SalesDay,
    Unit,
    UnitState,
    Vendor,
)

DATA = Path(__file__).with_name(".data")
START = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
ACTOR = Actor(id=uuid.UUID(int=1), badge="BENCH", name="bench", role=Role.SUPERVISOR)
REASONS = ("defective", "damaged", "size", "not_as_described", "changed_mind", "wrong_item_sent")
CHUNK = 20_000


def _chunks(rows: list[dict], engine: Engine, table) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        for i in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[i:i + CHUNK])


def build(path: Path, returns: int) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Unit)):
            return engine
    rng = random.Random(14)
    now = START
    op = uuid.UUID(int=1)
    with engine.begin() as conn:
        conn.execute(insert(Operator), [{"id": op, "badge": "BENCH", "name": "bench", "role": Role.SUPERVISOR,
                                         "pin_hash": "x", "station_id": "BENCH", "created_at": now,
                                         "updated_at": now, "version": 1}])
        conn.execute(insert(Vendor), [{"id": uuid.UUID(int=7), "code": "BENCH", "name": "Bench Vendor",
                                       "contact_email": "rma@bench.example", "agreement_rate_pct": Decimal("80"),
                                       "station_id": "BENCH", "created_at": now, "updated_at": now, "version": 1,
                                       "contact_name": "", "currency": "CNY", "address": ""}])
    products = []
    for n in range(80):
        supplier = "Bench Vendor" if n < 40 else f"Other Vendor {n % 40}"
        products.append({"id": uuid.uuid4(), "sku": f"BV-{n:03d}", "name_en": f"Bench product {n}", "name_zh": "",
                         "category": "electronics", "unit_value": Decimal("199.00"), "currency": "CNY",
                         "serialised": False, "supplier": supplier, "rtv_allowed": n < 40, "gtin": None,
                         "expected_weight_g": None, "station_id": "BENCH", "created_at": now, "updated_at": now,
                         "version": 1})
    _chunks(products, engine, Product)
    total = returns + returns // 2
    rmas, receipts, units = [], [], []
    for i in range(total):
        mine = i < returns
        product = products[rng.randrange(40) if mine else 40 + rng.randrange(40)]
        at = START + dt.timedelta(seconds=rng.randrange(365 * 86400))
        rma, receipt = rma_and_receipt(i, at, "RMB", rng.choice(REASONS), op)
        rmas.append(rma)
        receipts.append(receipt)
        receipt_id = receipt["id"]
        graded = rng.random() < 0.8
        units.append({"id": uuid.uuid4(), "lpn": f"LPB{i:011d}", "receipt_id": receipt_id, "rma_line_id": None,
                      "product_id": product["id"], "sku_received": product["sku"], "gtin_received": "",
                      "serial_received": "", "quantity": 1, "state": UnitState.DISPOSITIONED, "flags": [],
                      "grade": rng.choice(list(Grade)) if graded else None, "disposition": None, "bin": "",
                      "station_id": "BENCH", "created_at": at, "updated_at": at, "version": 1})
    _chunks(rmas, engine, Rma)
    _chunks(receipts, engine, Receipt)
    _chunks(units, engine, Unit)
    sales = [{"sku": p["sku"], "sold_on": (START + dt.timedelta(days=d)).date(), "channel": "web",
              "units": rng.randint(5, 40), "source": "bench", "imported_at": now}
             for p in products for d in range(365)]
    _chunks(sales, engine, SalesDay)
    batches, items = [], []
    mine_units = [u for u in units if u["sku_received"] < "BV-040"][: min(10_000, returns // 10)]
    for b in range(0, len(mine_units), 25):
        batch_id = uuid.uuid4()
        shipped = START + dt.timedelta(days=b * 365 // max(1, len(mine_units)))
        credited = (b // 25) % 2 == 0
        batches.append({"id": batch_id, "number": f"RTV-BENCH-{b // 25:05d}", "vendor_id": uuid.UUID(int=7),
                        "state": RtvState.CREDITED if credited else RtvState.SHIPPED, "opened_by": op,
                        "opened_at": shipped, "ra_number": f"RA{b}", "carrier": "SF", "tracking_number": f"SF{b}",
                        "shipped_by": op, "shipped_at": shipped, "claimed_amount": Decimal("3980.00"),
                        "currency": "CNY", "acknowledged_at": shipped if credited else None,
                        "credited_amount": Decimal("3500.00") if credited else None,
                        "credited_on": shipped.date() if credited else None, "dispute_reason": "",
                        "settled_at": shipped if credited else None, "station_id": "BENCH", "created_at": shipped,
                        "updated_at": shipped, "version": 1})
        for pos, unit in enumerate(mine_units[b:b + 25], start=1):
            items.append({"id": uuid.uuid4(), "batch_id": batch_id, "unit_id": unit["id"], "position": pos,
                          "lpn": unit["lpn"], "sku": unit["sku_received"], "serial": "", "defect": "defective",
                          "claimed_amount": Decimal("159.20"), "added_by": op, "added_at": shipped,
                          "station_id": "BENCH", "created_at": shipped, "updated_at": shipped, "version": 1})
    _chunks(batches, engine, RtvBatch)
    _chunks(items, engine, RtvItem)
    return engine


def _timed(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return median(samples)


def run(quick: bool = False) -> Iterator[Figure]:
    from station.rtv.scorecard import ScorecardService
    from ui.supervisor.supplier_report import render_pdf, render_xlsx

    returns = 10_000 if quick else 100_000
    if quick:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "suppliers.sqlite"
    else:
        DATA.mkdir(exist_ok=True)
        path = DATA / "suppliers.sqlite"
    t0 = time.perf_counter()
    engine = build(path, returns)
    built = time.perf_counter() - t0
    service = ScorecardService(StationContext(make_session_factory(engine), station_id="BENCH"))
    period = Period(START.date(), (START + dt.timedelta(days=364)).date())
    card = service.scorecard(ACTOR, "BENCH", period)
    detail = {"vendor_returns": card.returned, "sold": card.sold, "skus": len(card.skus), "claims": len(card.claims),
              "weeks": len(card.weeks), "backend": "sqlite"}
    yield figure("suppliers.dataset_ready", built, "s", **detail)
    yield figure("suppliers.scorecard_queries", _timed(lambda: service.scorecard(ACTOR, "BENCH", period)), "s",
                 **detail)
    yield figure("suppliers.report_pdf", _timed(lambda: render_pdf(service.scorecard(ACTOR, "BENCH", period))), "s",
                 target_s=3, **detail)
    yield figure("suppliers.report_xlsx", _timed(lambda: render_xlsx(service.scorecard(ACTOR, "BENCH", period))),
                 "s", target_s=3, **detail)
    engine.dispose()
