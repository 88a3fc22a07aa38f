"""A seeded random returns history for comparing the summary-backed figures with the raw ones.

Everything the figures read varies: RMAs with one to three parcels, unknown parcels (no RMA),
units without a product, batches, ungraded and undispositioned units, units inspected zero to
three times (some inspections unfinished), RMAs resolved zero to two times in every kind, sales
of catalogued and uncatalogued SKUs. ``stamp`` is written as every row's ``updated_at`` so a
test controls what the refresh watermark sees.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy.orm import Session

from station.core.identifiers import make_lpn
from station.models import (
    DispositionKind,
    Grade,
    Inspection,
    ParcelCondition,
    Product,
    Receipt,
    ReceiptStatus,
    Resolution,
    ResolutionKind,
    Rma,
    Role,
    SalesDay,
    Unit,
    UnitState,
)
from tests.helpers.builders import add_operator, add_product, add_rma

START = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
DAYS = 90
REASONS = ("size", "defective", "damaged", "changed_mind", "wrong_item_sent")


class History:
    """Adds random rows; keeps what later changes need (operators, products, RMAs, units)."""

    def __init__(self, db: Session, seed: int, stamp: dt.datetime) -> None:
        self.db, self.rng, self.stamp = db, random.Random(seed), stamp
        self.seq = seed * 10_000
        db.info["applying_sync"] = True
        self.clerk = add_operator(db, Role.CLERK)
        self.inspector = add_operator(db, Role.INSPECTOR)
        self.products: list[Product] = []
        for n in range(6):
            p = add_product(db, f"RND-{seed}-{n}", category=("apparel", "shoes", "electronics")[n % 3],
                            value=f"{self.rng.randint(5, 900)}.{self.rng.randint(0, 99):02d}")
            p.supplier = ("Acme", "Volt", "")[n % 3]
            self.products.append(p)
        self.rmas: list[Rma] = []
        self.units: list[Unit] = []

    def when(self, day_from: int = 0, days: int = DAYS) -> dt.datetime:
        return START + dt.timedelta(days=day_from, minutes=self.rng.randrange(days * 24 * 60),
                                    seconds=self.rng.choice((0, 0, 17, 42)))

    def sales(self) -> None:
        skus = [p.sku for p in self.products] + ["UNLISTED-1"]
        for day in range(DAYS):
            for sku in self.rng.sample(skus, 3):
                self.db.add(SalesDay(sku=sku, sold_on=(START + dt.timedelta(days=day)).date(),
                                     units=self.rng.randint(1, 40), channel="", source="random"))

    def rma(self, day_from: int = 0, days: int = DAYS) -> Rma:
        product = self.rng.choice(self.products)
        r = add_rma(self.db, [(product, 5)], reason=self.rng.choice(REASONS), authorised=START - dt.timedelta(days=3))
        r.return_shipping_cost = Decimal(self.rng.randint(0, 3000)) / 100
        r.updated_at = self.stamp
        self.rmas.append(r)
        for _ in range(self.rng.choice((1, 1, 1, 2, 3))):
            self.parcel(r, self.when(day_from, days))
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            self.resolve(r, self.when(day_from, days))
        return r

    def parcel(self, r: Rma | None, at: dt.datetime) -> Receipt:
        rc = Receipt(rma_id=r.id if r else None, scanned_code=r.number if r else f"UNKNOWN-{self.seq}",
                     received_at=at, received_by=self.clerk.id, parcel_condition=ParcelCondition.INTACT,
                     status=ReceiptStatus.RECEIVED if r else ReceiptStatus.QUARANTINED, station_id="DOCK01",
                     updated_at=self.stamp)
        self.db.add(rc)
        self.db.flush()
        for _ in range(self.rng.randint(1, 3)):
            self.unit(rc, r)
        return rc

    def unit(self, rc: Receipt, r: Rma | None) -> Unit:
        self.seq += 1
        rng = self.rng
        grade = rng.choice((None, Grade.A, Grade.B, Grade.C, Grade.D))
        disp = rng.choice((None, *DispositionKind)) if grade else None
        product = None if rng.random() < 0.08 else (
            self.db.get(Product, r.lines[0].product_id) if r and rng.random() < 0.7 else rng.choice(self.products))
        u = Unit(lpn=make_lpn(7, self.seq), receipt_id=rc.id, rma_line_id=r.lines[0].id if r else None,
                 product_id=product.id if product else None, quantity=rng.choice((1, 1, 1, 2, 3)),
                 grade=grade, disposition=disp,
                 state=UnitState.DISPOSITIONED if disp else UnitState.RECEIVED, station_id="DOCK01",
                 updated_at=self.stamp)
        self.db.add(u)
        self.db.flush()
        self.units.append(u)
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
            finished = rc.received_at + dt.timedelta(minutes=rng.randint(-30, 6000), seconds=rng.randint(0, 59))
            self.inspect(u, None if rng.random() < 0.1 else finished)
        return u

    def inspect(self, u: Unit, finished: dt.datetime | None) -> Inspection:
        started = (finished or START) - dt.timedelta(minutes=5)
        i = Inspection(unit_id=u.id, inspector_id=self.inspector.id, checklist_id="apparel", checklist_version=1,
                       started_at=started, finished_at=finished, computed_grade=u.grade, grade=u.grade,
                       station_id="DOCK01", updated_at=self.stamp)
        self.db.add(i)
        return i

    def resolve(self, r: Rma, at: dt.datetime) -> Resolution:
        amount = Decimal(self.rng.randint(0, 50_000)) / 100
        s = Resolution(rma_id=r.id, kind=self.rng.choice(list(ResolutionKind)), amount=amount, gross_amount=amount,
                       issued_by=self.inspector.id, issued_at=at, station_id="DOCK01", updated_at=self.stamp)
        self.db.add(s)
        return s


def build_history(db: Session, seed: int, stamp: dt.datetime, rmas: int = 60) -> History:
    h = History(db, seed, stamp)
    h.sales()
    for _ in range(rmas):
        h.rma()
    for _ in range(4):
        h.parcel(None, h.when())
    db.flush()
    return h
