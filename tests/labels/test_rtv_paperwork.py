"""RTV paperwork scans back: the packing list's LPN and RA barcodes from a 203 dpi raster of
the PDF, and the carton label's RA and batch barcodes from its PDF and its ZPL (zplkit)."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from labels.errors import LabelError
from labels.rtv_carton import layout_carton, render_carton_label
from labels.rtv_packing_list import render_packing_list
from station.models import RtvState
from station.rtv.views import BatchView, ItemView, VendorView
from tests.labels.helpers import decoded, pdf_pages, zpl_pages

SHIPPED = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def batch(units: int, *, ra: str = "RA-77812") -> BatchView:
    vendor = VendorView(uuid.uuid4(), "SZPT", "Shenzhen Power Tech", "Ms Zhou", "rma@szpower.example",
                        Decimal("80"), "CNY")
    items = tuple(ItemView(f"LP0010000{n:05d}", f"EL-PB-{n % 3}", "Power bank", f"SN{n:06d}",
                           "Stopped working after two days; failed: Does it power on?, Does it charge?",
                           Decimal("2399.20"), f"RMA{n:09d}") for n in range(1, units + 1))
    return BatchView(uuid.uuid4(), "RTV-DOCK01-00001", vendor, RtvState.SHIPPED, SHIPPED, "Li Na", ra, "SF Express",
                     "SF1234567890", SHIPPED, Decimal("2399.20") * units, "CNY", None, None, None, "", items, 0)


def pdf_text(pdf: bytes, mode: str = "-layout") -> str:
    """The PDF's text as laid out (``-raw``: in the order it was drawn)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", mode, str(path), "-"], check=True, capture_output=True,
                              text=True).stdout


def test_packing_list_lists_every_unit_with_a_scannable_lpn_over_several_pages() -> None:
    shipment = batch(40)
    pdf = render_packing_list(shipment)
    pages = pdf_pages(pdf, 203)
    assert len(pages) == 3
    found = [text for page in pages for _, text in decoded(page)]
    assert [t for t in found if t.startswith("LP")] == [i.lpn for i in shipment.items]
    assert "RA-77812" in found  # the RA number's barcode above the signatures
    text = pdf_text(pdf)
    for words in ("RTV packing list", "Shenzhen Power Tech", "RA RA-77812", "SF Express SF1234567890",
                  "Stopped working after two days;", "failed: Does it power on?, Does it", "charge?", "SN000040", "Total: 40 units", "Total claimed: CNY 95,968.00",
                  "Received by Shenzhen Power Tech", "Page 3 of 3", "80 % of unit cost"):
        assert words in text


@pytest.mark.parametrize("dpi", [203, 300])
def test_carton_label_scans_from_pdf_and_zpl(dpi: int) -> None:
    shipment = batch(3)
    expected = [("Code128", "RA-77812"), ("Code128", "RTV-DOCK01-00001")]
    assert decoded(pdf_pages(render_carton_label(shipment, "pdf", dpi=dpi), dpi)[0]) == expected
    assert decoded(zpl_pages(render_carton_label(shipment, "zpl", dpi=dpi), dpi)[0]) == expected


def test_carton_label_bars_use_whole_dot_modules() -> None:
    from labels.layout import Bars

    bars = [item for item in layout_carton(batch(1)).items if isinstance(item, Bars)]
    assert {b.data for b in bars} == {"RA-77812", "RTV-DOCK01-00001"}
    assert all(isinstance(b.module, int) and b.module >= 2 for b in bars)
    zpl = render_carton_label(batch(1), "zpl").decode()
    assert zpl.startswith("^XA") and "^BC" in zpl and zpl.rstrip().endswith("^XZ")


def test_carton_label_without_ra_number_is_refused() -> None:
    with pytest.raises(LabelError, match="needs the vendor's RA number"):
        render_carton_label(batch(1, ra=""), "pdf")


def test_packing_list_never_cuts_a_serial_or_sku() -> None:
    """The vendor matches units by serial: "SN7422990…" on paper was a unit nobody could find."""
    import dataclasses

    shipment = batch(2)
    long_serial, long_sku = "SN742299017733058812AB", "EL-PB-20000MAH-BLACK-V2"
    items = (dataclasses.replace(shipment.items[0], serial=long_serial, sku=long_sku), shipment.items[1])
    pdf = render_packing_list(dataclasses.replace(shipment, items=items))
    assert "…" not in pdf_text(pdf)
    drawn = [line.strip() for line in pdf_text(pdf, "-raw").splitlines()]
    for code in (long_sku, long_serial):  # whole, on one line or on two that follow each other
        assert code in drawn or any(a + b == code for a, b in zip(drawn, drawn[1:])), (code, drawn)
