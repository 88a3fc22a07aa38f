"""Every label, every size, both formats: rasterise, decode every barcode, compare."""

from __future__ import annotations

import numpy as np
import pytest

from labels import (
    DispositionLabel, LabelError, LpnLabel, RelabelLabel, label_from_dict, layout_label,
    render_label,
)
from labels.layout import Bars, Symbol2D, Text
from labels.sizes import SIZES, min_module_dots
from tests.labels.helpers import decoded, pdf_pages, zpl_pages

LPN = LpnLabel(lpn="LP001000000420", rma_number="RMA000012344", sku="HP-EB840-G5",
               description="无线蓝牙耳机 降噪 Wireless noise-cancelling headphones, black",
               received_on="2024-05-02", station="DOCK-1", serial="SN12345", grade="B")
DISPOSITION = DispositionLabel(lpn="LP001000000420", grade="B", disposition="restock",
                               rma_number="RMA000012344", inspector="Li Wei 李伟",
                               decided_on="2024-05-03", bin="A-01-03")
RELABEL = RelabelLabel(sku="HP-EB840-G5-B", description="无线蓝牙耳机 (B-stock)", grade="B",
                       gtin="4006381333931", serial="SN12345")

EXPECTED = {
    ("lpn", "large"): [("Code128", "HP-EB840-G5"), ("Code128", "LP001000000420"),
                       ("Code128", "RMA000012344"), ("DataMatrix", "LP001000000420")],
    ("lpn", "small"): [("Code128", "LP001000000420"), ("DataMatrix", "LP001000000420")],
    ("disposition", "large"): [("Code128", "A-01-03"), ("Code128", "LP001000000420"),
                               ("QRCode", "LP001000000420")],
    ("disposition", "small"): [("Code128", "LP001000000420")],
    ("relabel", "large"): [("Code128", "(01)04006381333931(21)SN12345"),
                           ("Code128", "HP-EB840-G5-B"), ("EAN13", "4006381333931")],
    ("relabel", "small"): [("EAN13", "4006381333931")],
}
LABELS = {"lpn": LPN, "disposition": DISPOSITION, "relabel": RELABEL}


def _cases() -> list[tuple[str, str, int]]:
    return [(kind, size, dpi) for kind in LABELS for size in SIZES for dpi in (203, 300)]


@pytest.mark.parametrize("kind, size, dpi", _cases())
def test_every_barcode_scans_back_from_pdf_and_zpl(kind: str, size: str, dpi: int) -> None:
    label = LABELS[kind]
    expected = EXPECTED[(kind, "small" if SIZES[size].height_in < 2 else "large")]
    pdf = render_label(label, size, "pdf", dpi=dpi)
    for raster_dpi in {dpi, 300}:  # the label's own grid, and a 300 dpi raster of it
        (page,) = pdf_pages(pdf, raster_dpi)
        assert decoded(page) == expected, f"PDF at {raster_dpi} dpi"
    (zpl_page,) = zpl_pages(render_label(label, size, "zpl", dpi=dpi), dpi)
    assert zpl_page.size == SIZES[size].dots(dpi)
    assert decoded(zpl_page) == expected


@pytest.mark.parametrize("size", [s for s in SIZES if SIZES[s].height_in >= 2])
@pytest.mark.parametrize("dpi", [203, 300])
def test_a_docks_14_character_rma_number_scans_back_from_the_unit_label(size: str, dpi: int) -> None:
    # RMA numbers now carry the station number (RMA + 11 digits), as wide as the LPN beside them.
    label = LpnLabel(lpn=LPN.lpn, rma_number="RMA00500000120", sku=LPN.sku, description=LPN.description)
    for fmt, page in (("pdf", lambda b: pdf_pages(b, dpi)[0]), ("zpl", lambda b: zpl_pages(b, dpi)[0])):
        assert ("Code128", "RMA00500000120") in decoded(page(render_label(label, size, fmt, dpi=dpi))), fmt


@pytest.mark.parametrize("size", list(SIZES))
def test_pdf_and_zpl_agree_on_page_size_and_orientation(size: str) -> None:
    (pdf_page,) = pdf_pages(render_label(LPN, size, "pdf", dpi=203), 203)
    (zpl_page,) = zpl_pages(render_label(LPN, size, "zpl", dpi=203), 203)
    width, height = SIZES[size].dots(203)
    assert zpl_page.size == (width, height)
    # pdftoppm rounds a page of 799.0001 px up to 800: allow that one pixel.
    assert abs(pdf_page.width - width) <= 1 and abs(pdf_page.height - height) <= 1
    # Same ink in the same places: the barcode rows of both images match closely.
    layout = layout_label(LPN, size, dpi=203)
    bars = next(i for i in layout.items if isinstance(i, Bars))
    row = bars.y + bars.height // 2
    pdf_row = np.asarray(pdf_page.convert("L"))[row, :width] < 128
    zpl_row = np.asarray(zpl_page.convert("L"))[row, :width] < 128
    assert pdf_row.sum() > 50 and int((pdf_row != zpl_row).sum()) <= 4


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("dpi", [203, 300])
def test_modules_never_below_minimum(size: str, dpi: int) -> None:
    for label in LABELS.values():
        for item in layout_label(label, size, dpi=dpi).items:
            if isinstance(item, (Bars, Symbol2D)):
                assert item.module >= min_module_dots(dpi)


def test_copies() -> None:
    assert len(pdf_pages(render_label(LPN, "2x1in", "pdf", copies=3), 100)) == 3
    assert len(zpl_pages(render_label(LPN, "2x1in", "zpl", copies=3), 203)) == 3


def test_long_description_is_wrapped_then_ellipsised() -> None:
    long = LpnLabel(lpn="LP001000000420", rma_number="RMA000012344", sku="X1",
                    description="超长的产品描述 " * 40)
    texts = [i.text for i in layout_label(long, "4x6in").items if isinstance(i, Text)]
    desc = [t for t in texts if "超长" in t]
    assert 1 < len(desc) <= 3 and desc[-1].endswith("…")
    (page,) = pdf_pages(render_label(long, "2x1in", "pdf"), 203)
    assert ("Code128", "LP001000000420") in decoded(page)


class TestBadInput:
    def test_lpn_too_long_for_small_label_names_the_field(self) -> None:
        label = LpnLabel(lpn="LPABCDEFGHIJKLMNOPQR", rma_number="RMA000012344", sku="X", description="d")
        with pytest.raises(LabelError) as err:
            render_label(label, "2x1in", "zpl")
        assert err.value.field == "lpn" and "too long" in str(err.value)
        render_label(label, "4x6in", "zpl")  # fits on the large label

    def test_chinese_in_a_barcode_field_names_it(self) -> None:
        label = LpnLabel(lpn="LP001000000420", rma_number="RMA000012344", sku="耳机", description="d")
        with pytest.raises(LabelError) as err:
            render_label(label, "4x6in")
        assert err.value.field == "sku" and "Code 128" in str(err.value)

    def test_bad_gtin_check_digit(self) -> None:
        with pytest.raises(LabelError) as err:
            render_label(RelabelLabel(sku="S", description="d", grade="B", gtin="4006381333932"))
        assert err.value.field == "gtin" and "check digit" in str(err.value)

    def test_identifier_is_never_ellipsised(self) -> None:
        label = DispositionLabel(lpn="LP001000000420", grade="B", disposition="return_to_vendor",
                                 rma_number="RMA000012344", inspector="x", decided_on="2024-05-03",
                                 bin="OVERFLOW-AREA-SOUTH-RACK-12")
        with pytest.raises(LabelError) as err:
            render_label(label, "2x1in")
        assert err.value.field == "disposition"

    @pytest.mark.parametrize("data, field, words", [
        ({"lpn": "LP1", "sku": "S", "description": "d"}, "rma_number", "missing"),
        ({"lpn": "LP1", "rma_number": "R", "sku": "S", "description": "d", "colour": "red"}, "colour", "not a field"),
        ({"lpn": "LP1", "rma_number": "R", "sku": "S", "description": "x" * 600}, "description", "at most"),
        ({"lpn": ["LP1"], "rma_number": "R", "sku": "S", "description": "d"}, "lpn", "must be text"),
    ])
    def test_json_problems_name_the_field(self, data: dict, field: str, words: str) -> None:
        with pytest.raises(LabelError) as err:
            label_from_dict("lpn", data)
        assert err.value.field == field and words in str(err.value)

    def test_unknown_size_and_dpi(self) -> None:
        with pytest.raises(LabelError, match="size"):
            render_label(LPN, "3x3in")
        with pytest.raises(LabelError, match="dpi"):
            render_label(LPN, "4x6in", dpi=600)
        with pytest.raises(LabelError, match="copies"):
            render_label(LPN, "4x6in", copies=0)
