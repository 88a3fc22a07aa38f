"""Issue 26, see it: rate, reasons and grades per lot of a SKU, worst lot first, in the
analytics, on the command line, in the export and on the dashboard's value."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sqlalchemy import delete

from station.analytics import Period
from station.analytics.service import AnalyticsService
from station.core.errors import PermissionDenied
from station.models import SalesDay
from tests.helpers.builders import NOW, make_context

PERIOD = Period(NOW.date() - dt.timedelta(days=27), NOW.date())


def analytics(lot_dock) -> AnalyticsService:  # noqa: ANN001
    return AnalyticsService(make_context(lot_dock["sf"], lot_dock["clock"]))


def test_the_supervisor_sees_the_bad_lot_first_with_its_rate_reasons_and_grades(lot_dock) -> None:  # noqa: ANN001
    report = analytics(lot_dock).lots(lot_dock["supervisor"], PERIOD, "ls-01")
    assert [(r.lot, r.returned, r.sold) for r in report.rows] == [("L2", 12, 100), ("L1", 2, 200), ("L3", 1, 250)]
    worst = report.rows[0]
    assert round(worst.rate * 100, 1) == 12.0 and worst.supplier == "Acme Beauty"
    assert worst.reasons[0][0] == "defective" and worst.reasons[0][2] == 8
    assert dict(worst.grades) == {"C": 3, "D": 8}
    assert not report.counts_only and report.note() == ""


def test_without_sales_per_lot_the_view_says_counts_only(lot_dock) -> None:  # noqa: ANN001
    with lot_dock["sf"].begin() as db:
        db.execute(delete(SalesDay))
    report = analytics(lot_dock).lots(lot_dock["supervisor"], PERIOD, "LS-01")
    assert [(r.lot, r.returned, r.rate) for r in report.rows] == [("L2", 12, None), ("L1", 2, None), ("L3", 1, None)]
    assert report.counts_only
    assert report.note().startswith("No sales per lot for this SKU: counts only")
    assert report.note("zh").startswith("此 SKU 没有按批号的销量")


def test_a_clerk_may_not_see_the_lots(lot_dock) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        analytics(lot_dock).lots(lot_dock["clerk"], PERIOD, "LS-01")


def test_analytics_lots_and_export_lots_on_the_command_line(lot_dock, sqlite_engine, sqlite_url, tmp_path, capsys) -> None:  # noqa: ANN001
    from ui.cli import main

    if lot_dock["sf"].kw["bind"].dialect.name != "sqlite":
        pytest.skip("the command line here opens the SQLite file")
    days = ["--from", PERIOD.start.isoformat(), "--to", PERIOD.end.isoformat(), "--db", sqlite_url]
    assert main(["analytics", "lots", "--sku", "LS-01", *days]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Lots of LS-01, {PERIOD}, worst first:"
    assert out[1].split()[:7] == ["L2", "12", "returned", "of", "100", "sold", "(12.0"]
    assert "reasons: Defective / does not work 8, " in out[1] and out[1].endswith("grades C:3 D:8")
    assert [line.split()[0] for line in out[2:]] == ["L1", "L3"]
    assert main(["export", "lots", "--out", str(tmp_path / "lots.csv"), *days]) == 0
    with (tmp_path / "lots.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["sku", "lot", "supplier", "returned", "sold", "rate_pct", "top_reason", "grades"]
    assert rows[1][:6] == ["LS-01", "L2", "Acme Beauty", "12", "100", "12.0"]
    assert [r[1] for r in rows[1:]] == ["L2", "L1", "L3"]
