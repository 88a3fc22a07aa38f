"""Multi-page sheets: page numbering, totals, every row's barcode scans at 203 and 300 dpi."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pypdfium2 import PdfDocument

from labels import LabelError
from labels.sheet_data import ReceivingRow, RelabelRow, ScrapRow, SheetHeader
from labels.sheets import render_receiving_sheet, render_relabel_sheet, render_scrap_sheet
from tests.labels.helpers import decoded, pdf_pages

HEADER = SheetHeader("Scrap sheet", "2024-05-02", "DOCK-1")


def _lpn(n: int) -> str:
    return f"LP0010{n:08d}"


def _text(pdf: bytes, page: int) -> str:
    return PdfDocument(pdf)[page].get_textpage().get_text_range()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_scrap_sheet_pages_totals_and_barcodes(paper: str) -> None:
    rows = [ScrapRow(_lpn(n), f"SKU-{n}", "无线耳机 headphones", "water damage", Decimal("10.05"))
            for n in range(40)]
    pdf = render_scrap_sheet(HEADER, rows, paper=paper)
    doc = PdfDocument(pdf)
    pages = len(doc)
    assert pages >= 3
    assert "Page 1 of" in _text(pdf, 0) and f"Page {pages} of {pages}" in _text(pdf, pages - 1)
    last = _text(pdf, pages - 1)
    assert "Total: 40 units" in last and "CNY 402.00" in last and "Witness" in last
    for dpi in (203, 300):
        (first,) = pdf_pages(pdf, dpi, 1, 1)
        found = [text for _, text in decoded(first)]
        assert sorted(found) == found and found == [_lpn(n) for n in range(len(found))] and len(found) >= 15


def test_relabel_and_receiving_sheets_scan() -> None:
    relabel = render_relabel_sheet(HEADER, [RelabelRow(_lpn(1), "PH-1-B", "手机", "B", "04006381333931", "A-1")])
    assert [t for _, t in decoded(pdf_pages(relabel, 203)[0])] == [_lpn(1)]
    receiving = render_receiving_sheet(HEADER, [
        ReceivingRow("09:15", "RMA000012344", "RMA000012344", "received", "intact", 2, "Ann"),
        ReceivingRow("09:20", "", "1Z999AA10123456784", "quarantined", "damaged", 0, "Ann"),
    ])
    assert [t for _, t in decoded(pdf_pages(receiving, 300)[0])] == ["1Z999AA10123456784", "RMA000012344"]
    assert "2 parcels, 2 units, 1 quarantined, 1 received" in _text(receiving, 0)


def test_empty_sheet_still_has_one_page() -> None:
    pdf = render_scrap_sheet(HEADER, [])
    assert "Page 1 of 1" in _text(pdf, 0) and "Total: 0 units" in _text(pdf, 0)


def test_barcode_too_long_for_column_names_field() -> None:
    with pytest.raises(LabelError) as err:
        render_scrap_sheet(HEADER, [ScrapRow("LP" + "X" * 40, "S", "d", "r", Decimal("1"))])
    assert err.value.field == "lpn"
