"""A vendor's scorecard from the command line, opened the way the vendor would: the PDF's
figures read back with pdftotext, the workbook with openpyxl (text that looks like a formula
stays text)."""

from __future__ import annotations

import datetime as dt
import subprocess

import openpyxl
import pytest
from sqlalchemy import select

from station.core.db import make_session_factory
from station.models import Product, SalesDay, Unit
from tests.helpers.builders import NOW
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.station.builders_qc import make_dock


@pytest.fixture
def card_db(sqlite_engine):
    """3 units of Shenzhen Power Tech returned out of 30 sold; one batch credited, one disputed."""
    dock = make_dock(make_session_factory(sqlite_engine))
    rtv = with_vendor(dock, rate="50")
    lpns = [rtv_unit(dock, value=v) for v in ("1000.00", "2000.00", "3000.00")]
    with dock.sf.begin() as db:
        for sku in db.scalars(select(Product.sku).join(Unit, Unit.product_id == Product.id).where(Unit.lpn.in_(lpns))):
            db.add(SalesDay(sku=sku, sold_on=dt.date(2026, 11, 18), channel="web", units=10, source="test",
                            imported_at=NOW))
    first = rtv.open_batch(dock.inspector, "SZPT").number
    for lpn in lpns[:2]:
        rtv.add(dock.inspector, first, lpn)
    rtv.ship(dock.inspector, first, ra_number="RA-1", carrier="SF", tracking="SF1")
    rtv.acknowledge(dock.supervisor, first)
    rtv.credit(dock.supervisor, first, "1400.00")
    second = rtv.open_batch(dock.inspector, "SZPT").number
    rtv.add(dock.inspector, second, lpns[2])
    rtv.ship(dock.inspector, second, ra_number="RA-2", carrier="SF", tracking="SF2")
    rtv.acknowledge(dock.supervisor, second)
    rtv.dispute(dock.supervisor, second, "=SUM(A1) damaged in transit")
    return dock


def test_scorecard_pdf_and_xlsx_carry_the_vendors_figures(card_db, sqlite_url, tmp_path, capsys):
    from ui.cli import main

    base = ["suppliers", "report", "--vendor", "szpt", "--from", "2026-11-01", "--to", "2026-11-30",
            "--db", sqlite_url]
    assert main([*base, "--out", str(tmp_path / "card.pdf")]) == 0
    assert "Shenzhen Power Tech: 3 returned of 30 sold, 3 SKUs, 1 open claims, 1 credited" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "card.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("Vendor scorecard Shenzhen Power Tech (SZPT) 2026-11-01 to 2026-11-30",
                  "credit terms: 50 % of unit cost", "10.00 %", "1 open (1,500.00 claimed), 1 credited (1,400.00), "
                  "1 disputed.", "RTV-DOCK01-00001", "credited", "1,400.00", "Return rate per SKU",
                  "Defective / does not work", "Trend by week"):
        assert words in text, words
    assert "30" in text.split("Units sold")[1][:200]

    assert main([*base, "--out", str(tmp_path / "card.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "card.xlsx")
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary["units sold"], summary["units returned"], summary["return rate"], summary["grade D found"],
            summary["credited"], summary["open claims"]) == (30, 3, 0.1, 3, 1400, 1)
    skus = list(book["SKUs"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[2], r[3]) for r in skus) == [(1, 10)] * 3
    claims = {r[0]: r for r in book["Claims"].iter_rows(min_row=2, values_only=True)}
    disputed = claims["RTV-DOCK01-00002"]
    assert disputed[1] == "disputed" and disputed[7] == "'=SUM(A1) damaged in transit"
    assert book["Claims"]["H3"].data_type == "s"
    assert [r[0] for r in book["Grades"].iter_rows(min_row=2, values_only=True)] == ["D"]


def test_unknown_vendor_and_wrong_extension_are_refused(card_db, sqlite_url, tmp_path, capsys):
    from ui.cli import main

    base = ["suppliers", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", sqlite_url]
    assert main([*base, "--vendor", "ACME", "--out", str(tmp_path / "c.pdf")]) == 2
    assert "No vendor 'ACME'. Use a vendor code (SZPT)." in capsys.readouterr().err
    assert main([*base, "--vendor", "SZPT", "--out", str(tmp_path / "c.csv")]) == 2
    assert "must end in .pdf or .xlsx" in capsys.readouterr().err


def test_scorecard_is_emailed_to_the_vendor_contact(card_db, sqlite_url, tmp_path, capsys):
    from tests.station.integrations.smtp_peer import smtp_server
    from ui.cli import main

    with smtp_server() as (inbox, port):
        assert main(["suppliers", "report", "--vendor", "SZPT", "--from", "2026-11-01", "--to", "2026-11-30",
                     "--out", str(tmp_path / "card.xlsx"), "--email", "--smtp-host", "127.0.0.1",
                     "--smtp-port", str(port), "--smtp-from", "returns@dock.example", "--db", sqlite_url]) == 0
    assert "e-mailed to rma@szpower.example" in capsys.readouterr().out
    (mail,) = inbox.messages
    assert inbox.envelopes == [("returns@dock.example", ["rma@szpower.example"])]
    assert str(mail["Subject"]) == "Returns scorecard 2026-11-01 to 2026-11-30: Shenzhen Power Tech"
    assert "3 units returned of 30 sold (10.00 %)" in mail.get_body(("plain",)).get_content()
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "card.xlsx"
    assert attachment.get_content() == (tmp_path / "card.xlsx").read_bytes()
