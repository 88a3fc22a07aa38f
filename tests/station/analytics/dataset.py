"""A small fixed returns history whose every figure is worked out by hand in the tests.

Period under test: Monday 2026-11-02 to Sunday 2026-11-15 (two ISO weeks), handling 6.50/unit.

    product  category     value    supplier  sold in period (outside)
    TS-001   apparel      100.00   Acme      60 (11-03) + 40 (11-10)   (500 on 10-30)
    TS-002   apparel       50.00   Acme      50 (11-04)
    EL-001   electronics 1000.00   Volt      20 (11-05)
    ZZ-999   (not in the catalogue)          10 (11-12)

    RMA reason        ship  receipt(s)                 units (qty, sku, inspected, grade, disp)
    R1  size          10    11-03 10:00                U1 1 TS-001 11-03 14:00 A restock
                                                       U2 1 TS-001 11-04 10:00 B restock
        refund 150 issued 11-05 10:00
    R2  defective     20    11-04 08:00                U3 1 EL-001 11-04 18:00 D scrap
        refund 1000 issued 11-05 20:00
    R3  size          10    11-10 09:00                U4 3 TS-002 11-11 09:00 C recycle
    R4  defective     15    11-12 12:00                U5 1 TS-001 (not inspected)
                            11-13 12:00 (2nd parcel)   U6 1 TS-001 11-13 20:00 D return_to_vendor
        compensation 20 issued 11-14 12:00
    R5  size          12    10-20 10:00 (before)       U7 1 TS-001 10-21 10:00 A restock
        refund 99 issued 11-05 09:00
    R6  changed_mind  18    10-31 10:00 (before)       U0 1 EL-001 (not inspected)
                            11-06 10:00                U8 1 EL-001 11-06 12:00 A restock
        exchange 0 issued 11-07 10:00
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from station.analytics import Period
from station.core.identifiers import make_lpn
from station.models import (
    DispositionKind,
    Grade,
    Inspection,
    ParcelCondition,
    Receipt,
    ReceiptStatus,
    Resolution,
    ResolutionKind,
    Role,
    SalesDay,
    Unit,
    UnitState,
)
from tests.helpers.builders import add_operator, add_product, add_rma

PERIOD = Period(dt.date(2026, 11, 2), dt.date(2026, 11, 15))
WEEK1, WEEK2 = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


def at(month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


@dataclass
class Built:
    lpns: dict[str, str]


def build(session_factory: sessionmaker[Session]) -> Built:
    lpns: dict[str, str] = {}
    seq = iter(range(1, 100))
    with session_factory.begin() as db:
        db.info["applying_sync"] = True
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR)
        ts1 = add_product(db, "TS-001", value="100.00")
        ts2 = add_product(db, "TS-002", value="50.00")
        el1 = add_product(db, "EL-001", category="electronics", name_en="Phone", value="1000.00")
        for p, supplier in ((ts1, "Acme"), (ts2, "Acme"), (el1, "Volt")):
            p.supplier = supplier
        for sku, day, units in (("TS-001", at(11, 3), 60), ("TS-001", at(11, 10), 40),
                                ("TS-002", at(11, 4), 50), ("EL-001", at(11, 5), 20),
                                ("ZZ-999", at(11, 12), 10), ("TS-001", at(10, 30), 500)):
            db.add(SalesDay(sku=sku, sold_on=day.date(), units=units, channel="", source="test"))

        def rma(product, reason: str, ship: str):  # type: ignore[no-untyped-def]
            r = add_rma(db, [(product, 3)], reason=reason, authorised=at(10, 1))
            r.return_shipping_cost = Decimal(ship)
            return r

        def receipt(r, when: dt.datetime) -> Receipt:  # type: ignore[no-untyped-def]
            rc = Receipt(rma_id=r.id, scanned_code=r.number, received_at=when, received_by=clerk.id,
                         parcel_condition=ParcelCondition.INTACT, status=ReceiptStatus.RECEIVED,
                         station_id="DOCK01")
            db.add(rc)
            db.flush()
            return rc

        def unit(name: str, rc: Receipt, r, product, qty: int, inspected: dt.datetime | None,  # type: ignore[no-untyped-def]
                 grade: Grade | None, disp: DispositionKind | None) -> None:
            u = Unit(lpn=make_lpn(1, next(seq)), receipt_id=rc.id, rma_line_id=r.lines[0].id,
                     product_id=product.id, quantity=qty, grade=grade, disposition=disp,
                     state=UnitState.DISPOSITIONED if disp else UnitState.RECEIVED, station_id="DOCK01")
            db.add(u)
            db.flush()
            lpns[name] = u.lpn
            if inspected is not None:
                db.add(Inspection(unit_id=u.id, inspector_id=inspector.id, checklist_id="apparel",
                                  checklist_version=1, started_at=inspected - dt.timedelta(minutes=5),
                                  finished_at=inspected, computed_grade=grade, grade=grade,
                                  station_id="DOCK01"))

        def resolve(r, kind: ResolutionKind, amount: str, when: dt.datetime) -> None:  # type: ignore[no-untyped-def]
            db.add(Resolution(rma_id=r.id, kind=kind, amount=Decimal(amount), gross_amount=Decimal(amount),
                              issued_by=inspector.id, issued_at=when, station_id="DOCK01"))

        r1 = rma(ts1, "size", "10.00")
        rc = receipt(r1, at(11, 3, 10))
        unit("U1", rc, r1, ts1, 1, at(11, 3, 14), Grade.A, DispositionKind.RESTOCK)
        unit("U2", rc, r1, ts1, 1, at(11, 4, 10), Grade.B, DispositionKind.RESTOCK)
        resolve(r1, ResolutionKind.REFUND, "150.00", at(11, 5, 10))

        r2 = rma(el1, "defective", "20.00")
        unit("U3", receipt(r2, at(11, 4, 8)), r2, el1, 1, at(11, 4, 18), Grade.D, DispositionKind.SCRAP)
        resolve(r2, ResolutionKind.REFUND, "1000.00", at(11, 5, 20))

        r3 = rma(ts2, "size", "10.00")
        unit("U4", receipt(r3, at(11, 10, 9)), r3, ts2, 3, at(11, 11, 9), Grade.C, DispositionKind.RECYCLE)

        r4 = rma(ts1, "defective", "15.00")
        unit("U5", receipt(r4, at(11, 12, 12)), r4, ts1, 1, None, None, None)
        unit("U6", receipt(r4, at(11, 13, 12)), r4, ts1, 1, at(11, 13, 20), Grade.D,
             DispositionKind.RETURN_TO_VENDOR)
        resolve(r4, ResolutionKind.COMPENSATION, "20.00", at(11, 14, 12))

        r5 = rma(ts1, "size", "12.00")
        unit("U7", receipt(r5, at(10, 20, 10)), r5, ts1, 1, at(10, 21, 10), Grade.A, DispositionKind.RESTOCK)
        resolve(r5, ResolutionKind.REFUND, "99.00", at(11, 5, 9))

        r6 = rma(el1, "changed_mind", "18.00")
        unit("U0", receipt(r6, at(10, 31, 10)), r6, el1, 1, None, None, None)
        unit("U8", receipt(r6, at(11, 6, 10)), r6, el1, 1, at(11, 6, 12), Grade.A, DispositionKind.RESTOCK)
        resolve(r6, ResolutionKind.EXCHANGE, "0.00", at(11, 7, 10))
    return Built(lpns)
