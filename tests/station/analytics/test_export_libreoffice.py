"""Every table a supervisor can export, as XLSX, opened by LibreOffice (headless ``soffice``):
the same rows come back (``--convert-to csv``), and LibreOffice reads numbers as numbers and
dates as dates (its own flat ODS shows each cell's ``office:value-type``)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from station.analytics import Period, build_dashboard
from station.analytics.export import write_table
from station.analytics.safe_cells import safe_text
from station.analytics.tables import ANALYTIC_TABLES, analytic_table
from station.analytics.thresholds import load_thresholds
from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Unit
from station.supervision.desk import SupervisionService
from tests.helpers.builders import make_context
from tests.station.analytics.dataset import build
from tests.station.supervision_desk import make_desk
from ui.cli.commands.export import STATION_QUEUES
from ui.supervisor.headless import CLI_ACTOR

pytestmark = pytest.mark.slow

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
# CSV filter: comma, double quote, UTF-8, from line 1, cell contents as stored (not as shown):
# numbers unrounded, dates in ISO 8601.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false"


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-calc-nogui "
                    "(scripts/setup.sh --test does it).")
    return found


def convert(files: list[Path], to: str, out: Path, profile: Path) -> None:
    """One soffice run for all files, with its own profile (others may run LibreOffice too)."""
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", to, "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=240)


def every_table(tmp_path: Path) -> dict[str, tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """Each queue (a dock with one of everything) and each analytic table (the fixed history)."""
    tables: dict[str, tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = {}
    desk_engine = make_engine(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    upgrade(desk_engine)
    desk = make_desk(make_session_factory(desk_engine))
    service = SupervisionService(make_context(desk.dock.sf, desk.dock.clock))
    for name in STATION_QUEUES:
        view = service.queue(CLI_ACTOR, name, limit=5000)
        tables[name] = (view.title, tuple(view.columns), [tuple(r) for r in view.rows])
    history = make_engine(f"sqlite:///{tmp_path / 'history.sqlite'}")
    upgrade(history)
    build(make_session_factory(history))
    with history.begin() as conn:
        conn.execute(update(Unit).where(Unit.quantity == 3).values(lot="L-2405"))  # the lots table has a row
        dashboard = build_dashboard(conn, Period(dt.date(2026, 11, 2), dt.date(2026, 11, 15)),
                                    rates=load_thresholds().rates, top_skus=100_000)
    for name in ANALYTIC_TABLES:
        table = analytic_table(dashboard, name)
        tables[name] = (table.title, tuple(table.columns), [tuple(r) for r in table.rows])
    desk_engine.dispose()
    history.dispose()
    return tables


def plain(value: Any) -> Any:
    value = getattr(value, "value", value)  # enums are written as their value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def same_cell(written: Any, shown: str) -> bool:
    """Does LibreOffice's CSV text ``shown`` carry the value that was exported?"""
    value = plain(written)
    if value is None:
        return shown == ""
    if isinstance(value, bool):
        return shown.upper() == str(value).upper()
    if isinstance(value, (int, float, Decimal)):
        return abs(float(shown) - float(value)) <= 1e-9 * max(1.0, abs(float(value)))
    if isinstance(value, dt.datetime):
        return abs(dt.datetime.fromisoformat(shown) - value) < dt.timedelta(seconds=1)
    if isinstance(value, dt.date):
        return shown == value.isoformat()
    return shown == safe_text(str(value))


def expected_type(value: Any) -> str | None:
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "float"
    if isinstance(value, (dt.date, dt.datetime)):
        return "date"
    return "string"


def value_types(fods: Path, width: int) -> list[list[str | None]]:
    """``office:value-type`` of each cell of the first sheet, as LibreOffice typed it."""
    sheet = ET.parse(fods).getroot().find(f".//{{{TABLE}}}table")
    assert sheet is not None
    grid: list[list[str | None]] = []
    for row in sheet.iter(f"{{{TABLE}}}table-row"):
        cells: list[str | None] = []
        for cell in row.findall(f"{{{TABLE}}}table-cell"):
            repeat = int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
            cells += [cell.get(f"{{{OFFICE}}}value-type")] * min(repeat, width)
        grid += [cells[:width]] * min(int(row.get(f"{{{TABLE}}}number-rows-repeated", "1")), 1000)
    while grid and not any(grid[-1]):
        grid.pop()
    return grid


def test_every_export_table_opens_in_libreoffice_with_its_rows_numbers_and_dates(tmp_path):
    tables = every_table(tmp_path)
    assert set(tables) == set(STATION_QUEUES) | set(ANALYTIC_TABLES)
    empty = sorted(name for name, (_t, _c, rows) in tables.items() if not rows)
    assert empty == [], f"tables without rows prove nothing: {empty}"
    sheets = tmp_path / "xlsx"
    sheets.mkdir()
    files = []
    for name, (title, columns, rows) in tables.items():
        files.append(sheets / f"{name}.xlsx")
        assert write_table(files[-1], "xlsx", title, columns, rows) == len(rows)
    convert(files, CSV_FILTER, tmp_path / "csv", tmp_path / "lo-profile")
    convert(files, "fods", tmp_path / "fods", tmp_path / "lo-profile")

    seen_types: set[str] = set()
    for name, (_title, columns, rows) in tables.items():
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            back = list(csv.reader(f))
        assert back[0] == list(columns), name
        assert len(back) == len(rows) + 1, name
        for row, shown in zip(rows, back[1:], strict=True):
            pairs = list(zip(row, shown + [""] * (len(columns) - len(shown)), strict=True))
            assert all(same_cell(w, s) for w, s in pairs), (name, pairs)

        types = value_types(tmp_path / "fods" / f"{name}.fods", len(columns))
        assert types[0] == ["string"] * len(columns), name
        for row, typed in zip(rows, types[1:], strict=True):
            wanted = [expected_type(v) for v in row]
            assert typed + [None] * (len(wanted) - len(typed)) == wanted, (name, row, typed)
            seen_types |= {t for t in wanted if t}

        book = load_workbook(sheets / f"{name}.xlsx")
        for sheet_row, row in zip(book.active.iter_rows(min_row=2), rows, strict=True):
            for cell, value in zip(sheet_row, row, strict=True):
                if isinstance(plain(value), (dt.date, dt.datetime)):
                    assert cell.is_date and "yy" in cell.number_format, (name, cell.coordinate)
    assert seen_types >= {"string", "float", "date"}
