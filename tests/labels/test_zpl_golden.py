"""Exact ZPL bytes for a few labels (golden files in tests/data/zpl/).

Latin-only content, so the files do not depend on the CJK font's rasterisation. To accept an
intended layout change: ``RMA_UPDATE_GOLDEN=1 pytest tests/labels/test_zpl_golden.py`` and
review the diff (and the rendered PNGs) before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from labels import DispositionLabel, LpnLabel, RelabelLabel, render_label

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "zpl"
CASES = {
    "lpn_4x6in_203.zpl": (LpnLabel(lpn="LP001000000420", rma_number="RMA000012344", sku="HP-EB840-G5",
                                   description="Wireless headphones, black", received_on="2024-05-02",
                                   station="DOCK-1"), "4x6in", 203, 1),
    "disposition_2x1in_203_x2.zpl": (DispositionLabel(lpn="LP001000000420", grade="C", disposition="refurbish",
                                                      rma_number="RMA000012344", inspector="J. Smith",
                                                      decided_on="2024-05-03"), "2x1in", 203, 2),
    "relabel_100x150mm_300.zpl": (RelabelLabel(sku="HP-EB840-G5-B", description="Wireless headphones ^B-stock~",
                                               grade="B", gtin="4006381333931"), "100x150mm", 300, 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_zpl_bytes_match_golden(name: str) -> None:
    label, size, dpi, copies = CASES[name]
    output = render_label(label, size, "zpl", dpi=dpi, copies=copies)
    path = GOLDEN / name
    if os.environ.get("RMA_UPDATE_GOLDEN"):
        path.write_bytes(output)
    assert output == path.read_bytes()


def test_caret_and_tilde_are_hex_escaped() -> None:
    output = (GOLDEN / "relabel_100x150mm_300.zpl").read_bytes()
    assert b"^FH_^FDWireless headphones _5EB-stock_7E^FS" in output
