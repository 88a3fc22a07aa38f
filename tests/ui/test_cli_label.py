"""``rma-station label``: JSON in, a label file out; bad input is a clear one-line error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.labels.helpers import decoded, pdf_pages, zpl_pages
from ui.cli import main

LPN = {"lpn": "LP001000000420", "rma_number": "RMA000012344", "sku": "HP-EB840",
       "description": "无线蓝牙耳机 Wireless headphones", "received_on": "2024-05-02", "station": "DOCK-1"}


def _data(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "label.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_pdf_label_with_copies(tmp_path: Path) -> None:
    out = tmp_path / "lpn.pdf"
    assert main(["label", "lpn", "--data", str(_data(tmp_path, LPN)), "--size", "100x150mm",
                 "--format", "pdf", "--out", str(out), "--copies", "2"]) == 0
    pages = pdf_pages(out.read_bytes(), 203)
    assert len(pages) == 2
    assert ("Code128", "LP001000000420") in decoded(pages[1])


def test_zpl_label_at_300_dpi(tmp_path: Path) -> None:
    out = tmp_path / "disp.zpl"
    data = {"lpn": "LP001000000420", "grade": "C", "disposition": "refurbish", "rma_number": "RMA000012344",
            "inspector": "Li", "decided_on": "2024-05-03", "bin": "R-2"}
    assert main(["label", "disposition", "--data", str(_data(tmp_path, data)), "--size", "50x25mm",
                 "--format", "zpl", "--dpi", "300", "--out", str(out)]) == 0
    (page,) = zpl_pages(out.read_bytes(), 300)
    assert decoded(page) == [("Code128", "LP001000000420")]


@pytest.mark.parametrize("data, message", [
    ({k: v for k, v in LPN.items() if k != "sku"}, "sku: is missing"),
    (LPN | {"sku": "耳机"}, "sku: '耳" ),
])
def test_bad_data_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict, message: str) -> None:
    out = tmp_path / "x.pdf"
    assert main(["label", "lpn", "--data", str(_data(tmp_path, data)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rma-station: ") and message in err and not out.exists()


def test_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{lpn:", encoding="utf-8")
    assert main(["label", "lpn", "--data", str(bad), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
