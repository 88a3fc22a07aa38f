"""Label and sheet PDFs a printer accepts: every one passes ``qpdf --check`` (the PDF's syntax,
cross-reference table and streams), and they print through the CUPS test queue, whose
cups-pdf output is again a valid PDF with the same number of pages. ZPL stays checked by
zplkit in test_labels.py and test_zpl_golden.py."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from drivers.printers import open_printer
from labels import render_label
from labels.sheet_data import ReceivingRow, RelabelRow, ScrapRow, SheetHeader
from labels.sheets import render_receiving_sheet, render_relabel_sheet, render_scrap_sheet
from labels.sizes import SIZES
from tests.helpers.cups import cups_queue, printed_pdf  # noqa: F401 - cups_queue is a fixture
from tests.labels.test_labels import LABELS

HEADER = SheetHeader("Scrap sheet", "2024-05-02", "DOCK-1")


def sheets() -> dict[str, bytes]:
    scrap = [ScrapRow(f"LP0010{n:08d}", f"SKU-{n}", "无线耳机 headphones", "water damage", Decimal("10.05"))
             for n in range(40)]
    return {
        **{f"scrap-{paper}": render_scrap_sheet(HEADER, scrap, paper=paper) for paper in ("a4", "letter")},
        "relabel": render_relabel_sheet(HEADER, [RelabelRow("LP001000000001", "PH-1-B", "手机", "B",
                                                            "04006381333931", "A-1")]),
        "receiving": render_receiving_sheet(HEADER, [
            ReceivingRow("09:15", "RMA000012344", "RMA000012344", "received", "intact", 2, "Ann"),
            ReceivingRow("09:20", "", "1Z999AA10123456784", "quarantined", "damaged", 0, "Ann")]),
        "empty-scrap": render_scrap_sheet(HEADER, []),
    }


def qpdf(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("qpdf") is None:
        pytest.fail("qpdf is not installed: apt-get install qpdf (scripts/setup.sh --test does it).")
    return subprocess.run(["qpdf", *args], capture_output=True, text=True, timeout=60)


def check(pdf: bytes, where: Path) -> int:
    """``qpdf --check`` must pass without warnings; returns the page count."""
    where.write_bytes(pdf)
    result = qpdf("--check", str(where))
    assert result.returncode == 0, f"{where.name}: {result.stdout}{result.stderr}"
    assert "No syntax or stream encoding errors found" in result.stdout and not result.stderr.strip()
    return int(qpdf("--show-npages", str(where)).stdout)


@pytest.mark.parametrize("kind", list(LABELS))
@pytest.mark.parametrize("dpi", [203, 300])
def test_every_label_pdf_passes_qpdf_check(kind: str, dpi: int, tmp_path: Path) -> None:
    for size in SIZES:
        assert check(render_label(LABELS[kind], size, "pdf", dpi=dpi), tmp_path / f"{kind}-{size}.pdf") == 1
    assert check(render_label(LABELS[kind], next(iter(SIZES)), "pdf", dpi=dpi, copies=3),
                 tmp_path / f"{kind}-copies.pdf") == 3


def test_every_sheet_pdf_passes_qpdf_check(tmp_path: Path) -> None:
    pages = {name: check(pdf, tmp_path / f"{name}.pdf") for name, pdf in sheets().items()}
    assert pages["scrap-a4"] >= 3 and pages["empty-scrap"] == 1


def test_a_truncated_pdf_is_caught_by_the_check(tmp_path: Path) -> None:
    """The check can fail: a label cut short in transfer does not pass."""
    pdf = render_label(LABELS["lpn"], next(iter(SIZES)), "pdf", dpi=203)
    (tmp_path / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    assert qpdf("--check", str(tmp_path / "cut.pdf")).returncode != 0


@pytest.mark.slow
def test_labels_and_sheets_print_through_the_cups_test_queue(cups_queue, tmp_path: Path) -> None:  # noqa: F811
    queue, out_dir = cups_queue
    printer = open_printer(f"cups://{queue}")
    jobs = {"lpn-label": render_label(LABELS["lpn"], next(iter(SIZES)), "pdf", dpi=203),
            "scrap-sheet": sheets()["scrap-a4"]}
    for name, pdf in jobs.items():
        before = set(out_dir.glob("*.pdf")) if out_dir.is_dir() else set()
        assert printer.print_pdf(pdf).startswith(f"{queue}-")
        written = printed_pdf(out_dir, before)
        assert written.startswith(b"%PDF"), f"{name}: cups-pdf wrote nothing"
        assert check(written, tmp_path / f"printed-{name}.pdf") == check(pdf, tmp_path / f"{name}.pdf")
