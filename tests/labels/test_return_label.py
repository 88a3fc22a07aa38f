"""The customer's return label: decoded back at 203 dpi, the right page, the customer's language."""

from __future__ import annotations

import dataclasses
import re

import pytest
import subprocess

from labels.errors import LabelError
from labels.return_label import ReturnLabel, ReturnLine, render_return_label
from tests.labels.helpers import decoded, pdf_pages

def _poppler(tool: str, pdf: bytes) -> str:
    return subprocess.run([tool, "-", "-"] if tool == "pdftotext" else [tool, "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def page_points(pdf: bytes) -> tuple[int, int]:
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", _poppler("pdfinfo", pdf)).groups()
    return round(float(w)), round(float(h))


LABEL = ReturnLabel("RMA000000018", "SO-1001", "Wang Fang", ("Returns dock 3", "88 Harbour Road", "Shanghai 200000"),
                    (ReturnLine("TEE-1", "T-shirt", 2), ReturnLine("PHONE-1", "Phone", 1)))


@pytest.mark.parametrize("page, points", [("4x6", (288, 432)), ("a4", (595, 842)), ("letter", (612, 792))])
def test_rma_number_decodes_as_code128_and_qr_at_203_dpi(page, points):
    pdf = render_return_label(LABEL, page=page)
    assert page_points(pdf) == points
    assert decoded(pdf_pages(pdf, 203)[0]) == [("Code128", "RMA000000018"), ("QRCode", "RMA000000018")]


@pytest.mark.parametrize("page", ["4x6", "a4", "letter"])
@pytest.mark.parametrize("number", ["RMA00500000120", "RMA000032107"], ids=["station-number", "issued-before"])
def test_both_forms_of_rma_number_print_and_scan_back(page, number):
    # The dock's own 14-character numbers and the 12-character ones issued before both fit
    # the label and decode to exactly what was printed.
    label = dataclasses.replace(LABEL, rma_number=number)
    assert decoded(pdf_pages(render_return_label(label, page=page), 203)[0]) == [("Code128", number),
                                                                                 ("QRCode", number)]


def test_chinese_customer_gets_chinese_words_in_an_embedded_font():
    label = ReturnLabel(LABEL.rma_number, "SO-2002", "王芳", ("退货仓 3 号", "上海市港口路 88 号"),
                        (ReturnLine("TEE-1", "T恤", 1),), "zh")
    pdf = render_return_label(label)
    text = _poppler("pdftotext", pdf)
    assert "退货" in text and "寄往" in text and "上海市港口路" in text and "请沿虚线剪下" in text
    assert b"/FontFile2" in pdf or b"RmaCJK" in pdf
    assert ("Code128", "RMA000000018") in decoded(pdf_pages(pdf, 203)[0])


def test_english_label_reads_english():
    text = _poppler("pdftotext", render_return_label(LABEL))
    assert "SHIP TO" in text and "2 × T-shirt" in text and "Hand the parcel to the carrier" in text
    alone = _poppler("pdftotext", render_return_label(LABEL, page="4x6"))
    assert "Stick this label\nflat on the parcel" in alone


def test_empty_dock_address_is_refused_naming_the_setting():
    with pytest.raises(LabelError, match="dock's address is empty") as caught:
        render_return_label(ReturnLabel("RMA000000018", "SO-1", "A", ("  ",), ()))
    assert "dock.address" in caught.value.next_step


def test_no_line_of_the_chinese_instructions_starts_with_punctuation():
    label = ReturnLabel(LABEL.rma_number, "SO-2002", "王芳", ("上海",), (ReturnLine("TEE-1", "T恤", 1),), "zh")
    for page in ("a4", "letter"):
        lines = [l.strip() for l in _poppler("pdftotext", render_return_label(label, page=page)).splitlines()]
        assert not [l for l in lines if l and l[0] in "。，、；："], page
