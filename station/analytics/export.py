"""Write any table (a queue or an analytic) to CSV or XLSX.

CSV is UTF-8 with a byte-order mark, because Excel on a Chinese Windows opens BOM-less UTF-8
as GBK and garbles product names. XLSX keeps numbers as numbers, money as two-decimal
numbers and dates as dates (typed cells with a date number format), so a supervisor can sum
or sort a column without re-typing it; tests open every export table in LibreOffice. The file
is written next to its target and renamed into place: an export interrupted half-way never
leaves a truncated file under the name the supervisor asked for.

Text cells go through ``station.analytics.safe_cells``: a scanned code or an imported SKU that
begins like a formula (``=HYPERLINK(...)``) is written as inert text in both formats, and in
XLSX every text cell is stored as a string, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from station.analytics.safe_cells import safe_cell, safe_text
from station.core.errors import InvalidInput

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return getattr(value, "value", value)


def _csv_text(value: Any) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, str):
        return safe_text(value)
    return str(value)  # a number, even a negative one, stays a number


def write_table(path: Path, fmt: str, title: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> int:
    """Write ``rows`` under ``columns`` to ``path``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"{fmt!r} is not an export format; use csv or xlsx.")
    path = Path(path)
    if not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    tmp = path.with_name(f".{path.name}.part")
    try:
        if fmt == "csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow([safe_text(str(c)) for c in columns])
                writer.writerows([_csv_text(v) for v in row] for row in rows)
        else:
            _write_xlsx(tmp, title, columns, rows)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {path} ({exc.strerror or exc}).") from exc
    log.info("exported %d rows of %s to %s", len(rows), title, path)
    return len(rows)


#: Number formats by cell type: a date or time is a number in XLSX and only a date format
#: makes Excel and LibreOffice show it (and sort and filter it) as one.
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "0.00"


def _number_format(value: Any) -> str | None:
    """The number format of a written cell value; "" keeps General; None: a text cell."""
    if isinstance(value, str):
        return None
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, Decimal):
        return MONEY_FORMAT
    return ""


def _write_xlsx(path: Path, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "export"
    sheet.append([safe_text(str(c)) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in rows:
        sheet.append([safe_cell(_cell(v)) for v in row])
    for sheet_row in sheet.iter_rows(min_row=2):
        for cell in sheet_row:
            number_format = _number_format(cell.value)
            if number_format is None:
                cell.data_type = "s"  # openpyxl types any "=..." string as a formula; text is text
            elif number_format:
                cell.number_format = number_format
    for index, column in enumerate(columns, start=1):
        values = [r[index - 1] for r in rows[:200]]
        width = max([len(str(column))] + [len(_csv_text(v)) for v in values]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width, 60)
    sheet.freeze_panes = "A2"
    book.save(path)
