"""The printed command sheet: every command the window acts on is on it, each barcode read
back off the rasterised PDF means that command to the station's classifier, and the key
printed beside it is the key table's."""

from __future__ import annotations

import pytest

from labels.errors import LabelError
from station.scanning.classify import ScanKind, classify_scan
from tests.labels.helpers import decoded, pdf_pages, pdf_text
from ui.cli import main as cli_main
from ui.command_sheet import WORDS, command_rows, command_sheet_pdf, keys_of
from ui.commands import Command, command_of
from ui.keymap import BINDINGS, command_scans

DESK_COMMANDS = {"CMD:OPENBATCH", "CMD:SHIP", "CMD:ACK", "CMD:CREDIT", "CMD:DISPUTE", "CMD:APPROVE", "CMD:REJECT"}


@pytest.fixture(scope="module")
def sheet() -> bytes:
    return command_sheet_pdf(paper="a4", printed_at="2026-12-06 09:00")


def test_every_command_barcode_on_the_sheet_reads_back_as_its_command(sheet: bytes) -> None:
    read = [text for page in pdf_pages(sheet, 203) for fmt, text in decoded(page) if fmt == "Code128"]
    assert sorted(read) == sorted(f"CMD:{c.value}" for c in Command)
    assert DESK_COMMANDS <= set(read)
    for text in read:
        meaning = classify_scan(text, "code128")
        assert meaning.kind is ScanKind.COMMAND, text
        assert command_of(text) is Command(text.removeprefix("CMD:"))


def test_the_sheet_says_what_each_desk_command_does_and_its_key(sheet: bytes) -> None:
    words = " ".join(pdf_text(sheet).split())
    for line in ("Open a batch for the vendor picked", "Key 按键: Ctrl+N", "Ship the batch, print its paperwork",
                 "Key 按键: Ctrl+P", "Claim credited: the amount typed", "Key 按键: Ctrl+E",
                 "Approve the one selected (reason typed)", "Key 按键: F9 / Ctrl+Return",
                 "Reject the one selected (reason typed)", "Key 按键: F10 / Ctrl+Backspace", "退供应商", "审批"):
        assert line in words, line
    assert "Page 1 of 2" in words and "Page 2 of 2" in words


def test_every_command_is_in_the_key_table_with_a_key_and_on_the_sheet() -> None:
    """Keys shown equal keys that work: the sheet's keys are the key table's, and every command
    the table names is one the window knows and the formats file accepts."""
    assert {f"CMD:{c.value}" for c in Command} == set(command_scans())
    assert set(WORDS) == set(Command)
    for scan in DESK_COMMANDS:
        bound = [b for b in BINDINGS if scan in b.scans]
        assert len(bound) == 1 and bound[0].action and bound[0].keys, scan
        assert keys_of(scan) == " / ".join(bound[0].keys), scan
    assert keys_of("CMD:SHIP") == "Ctrl+P" and keys_of("CMD:CONFIRM") == "Enter"
    rows = command_rows()
    assert [r.group for r in rows].index("Return to vendor (supervisor)  退供应商（主管）") > 0
    assert len({r.scan for r in rows}) == len(rows) == len(Command)


def test_the_command_line_prints_it(tmp_path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "commands.pdf"
    assert cli_main(["command-sheet", "--out", str(out)]) == 0
    assert f"({len(Command)} commands)" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")


def test_an_empty_sheet_is_refused() -> None:
    from labels.command_sheet import render_command_sheet

    with pytest.raises(LabelError):
        render_command_sheet([])
