"""Sheets from database rows: the queries pick the right units, the PDFs scan back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from station.models import (
    Disposition,
    DispositionKind,
    Grade,
    Operator,
    ParcelCondition,
    Product,
    Receipt,
    ReceiptStatus,
    RequestedResolution,
    Rma,
    Role,
    Unit,
    UnitState,
)
from station.supervision.sheets import receiving_rows, relabel_rows, scrap_rows

DAY = dt.date(2024, 5, 2)
AT = dt.datetime(2024, 5, 2, 10, 30, tzinfo=dt.UTC)


def seed(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        clerk = Operator(station_id="S1", badge="B1", name="王芳", role=Role.CLERK, pin_hash="x")
        phone = Product(station_id="S1", sku="PH-1", gtin="04006381333931", name_en="Phone",
                        name_zh="手机", category="phone", unit_value=Decimal("1999.00"))
        rma = Rma(station_id="S1", number="RMA000012344", order_number="O1", customer_ref="C1",
                  customer_name="Ann", reason_code="defect",
                  requested_resolution=RequestedResolution.REFUND, authorised_at=AT,
                  deadline=DAY + dt.timedelta(days=30))
        s.add_all([clerk, phone, rma])
        s.flush()
        receipt = Receipt(station_id="S1", rma_id=rma.id, scanned_code=rma.number, received_at=AT,
                          received_by=clerk.id, parcel_condition=ParcelCondition.DAMAGED,
                          status=ReceiptStatus.RECEIVED)
        other_day = Receipt(station_id="S1", scanned_code="1Z999", received_at=AT - dt.timedelta(days=1),
                            received_by=clerk.id, status=ReceiptStatus.QUARANTINED)
        s.add_all([receipt, other_day])
        s.flush()
        plan = [("LP001000000012", DispositionKind.SCRAP, Grade.D, AT),
                ("LP001000000020", DispositionKind.SCRAP, Grade.D, AT + dt.timedelta(days=1)),
                ("LP001000000038", DispositionKind.RESTOCK, Grade.B, AT),
                ("LP001000000046", DispositionKind.RESTOCK, Grade.A, AT)]
        for lpn, kind, grade, when in plan:
            unit = Unit(station_id="S1", lpn=lpn, receipt_id=receipt.id, product_id=phone.id,
                        state=UnitState.DISPOSITIONED, grade=grade, disposition=kind, bin="A-01")
            s.add(unit)
            s.flush()
            s.add(Disposition(station_id="S1", unit_id=unit.id, kind=kind, grade=grade, bin="A-01",
                              reason="screen cracked" if kind == DispositionKind.SCRAP else "",
                              decided_by=clerk.id, decided_at=when))


def test_queries_pick_the_days_units(session_factory: sessionmaker[Session]) -> None:
    seed(session_factory)
    with session_factory() as s:
        scrap = scrap_rows(s, DAY)
        relabel = relabel_rows(s, DAY)
        receiving = receiving_rows(s, DAY)
    assert [(r.lpn, r.reason, r.value, r.description) for r in scrap] == [
        ("LP001000000012", "screen cracked", Decimal("1999.00"), "手机 Phone")]
    assert [(r.lpn, r.sku, r.grade, r.gtin) for r in relabel] == [
        ("LP001000000038", "PH-1-B", "B", "04006381333931")]
    assert [(r.time, r.rma_number, r.units, r.clerk, r.status) for r in receiving] == [
        ("10:30", "RMA000012344", 4, "王芳", "received")]


@pytest.mark.parametrize("kind", ["scrap", "relabel", "receiving"])
def test_cli_sheet_from_database_scans_back(kind: str, sqlite_url: str, sqlite_engine, tmp_path) -> None:
    from station.core.db import make_session_factory
    from tests.labels.helpers import decoded, pdf_pages
    from ui.cli import main

    seed(make_session_factory(sqlite_engine))
    out = tmp_path / f"{kind}.pdf"
    assert main(["sheet", kind, "--date", "2024-05-02", "--out", str(out), "--db", sqlite_url,
                 "--paper", "letter"]) == 0
    (page,) = pdf_pages(out.read_bytes(), 203)
    expected = {"scrap": ["LP001000000012"], "relabel": ["LP001000000038"], "receiving": ["RMA000012344"]}[kind]
    assert [text for _, text in decoded(page)] == expected
