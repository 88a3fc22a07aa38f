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


DISPOSITION = {"lpn": "LP001000000420", "grade": "C", "disposition": "refurbish", "rma_number": "RMA000012344",
               "inspector": "Li", "decided_on": "2024-05-03", "bin": "R-2"}


@pytest.mark.parametrize("change, message", [
    ({"grade": "Z"}, "rma-station: grade: 'Z' is not a grade; use A, B, C, D.\n"),
    ({"disposition": "nuke"}, "rma-station: disposition: 'nuke' is not a disposition; use restock, refurbish, "
                              "return_to_vendor, scrap, donate, recycle, quarantine.\n"),
])
def test_disposition_label_with_an_unknown_grade_or_destination_is_not_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict, message: str) -> None:
    """A label saying GRADE Z or NUKE would be obeyed on the floor."""
    out = tmp_path / "d.zpl"
    assert main(["label", "disposition", "--data", str(_data(tmp_path, DISPOSITION | change)),
                 "--format", "zpl", "--out", str(out)]) == 2
    assert capsys.readouterr().err == message and not out.exists()


def test_grade_and_disposition_are_normalised(tmp_path: Path) -> None:
    out = tmp_path / "d.zpl"
    data = DISPOSITION | {"grade": "c", "disposition": "Return to vendor"}
    assert main(["label", "disposition", "--data", str(_data(tmp_path, data)), "--format", "zpl",
                 "--out", str(out)]) == 0
    assert b"RETURN TO VENDOR" in out.read_bytes()


def _bad_data(tmp_path: Path, what: str) -> Path:
    if what == "folder":
        return tmp_path
    path = tmp_path / f"{what}.json"
    if what == "gb18030":
        path.write_bytes(json.dumps(LPN, ensure_ascii=False).encode("gb18030"))
    else:  # nested a hundred thousand deep: json.loads hits the recursion limit
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


@pytest.mark.parametrize("what, message", [
    ("folder", "is a folder; --data needs a JSON file."),
    ("gb18030", "is not UTF-8 text. Save it as UTF-8 JSON."),
    ("nested", "nests too deeply to be label data; it must be one flat JSON object."),
])
def test_unusable_data_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str,
                                        message: str) -> None:
    data = _bad_data(tmp_path, what)
    assert main(["label", "lpn", "--data", str(data), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err == f"rma-station: {data} {message}\n"


@pytest.mark.parametrize("where, message", [
    ("folder", "rma-station: --out {out} is a folder; give a file name inside it.\n"),
    ("missing", "rma-station: The folder {parent} does not exist. Create it or choose another --out.\n"),
])
def test_out_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str,
                                                message: str) -> None:
    out = tmp_path if where == "folder" else tmp_path / "labelz" / "x.pdf"
    assert main(["label", "lpn", "--data", str(_data(tmp_path, LPN)), "--out", str(out)]) == 2
    assert capsys.readouterr().err == message.format(out=out, parent=out.parent)
    assert not (tmp_path / "labelz").exists()
