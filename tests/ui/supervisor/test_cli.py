"""The headless supervisor commands on the fixed data set: report, export, alerts, sales."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from station.core.db import make_engine, make_session_factory, upgrade
from tests.station.analytics.dataset import build
from ui.cli import main


def seeded(tmp_path) -> str:
    db = tmp_path / "s.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    build(make_session_factory(engine))
    engine.dispose()
    return str(db)


def test_report_export_alerts(tmp_path, capsys):
    db = seeded(tmp_path)
    out = tmp_path / "report.pdf"
    assert main(["report", "--from", "2026-11-02", "--to", "2026-11-15", "--out", str(out), "--db", db]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["export", "by_sku", "--from", "2026-11-02", "--to", "2026-11-15",
                 "--out", str(tmp_path / "sku.csv"), "--db", db]) == 0
    with (tmp_path / "sku.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["sku", "name", "returned", "sold", "rate_pct"]
    assert rows[1] == ["EL-001", "Phone", "2", "20", "10.0"]
    assert main(["export", "costs", "--from", "2026-11-02", "--to", "2026-11-15",
                 "--out", str(tmp_path / "costs.xlsx"), "--db", db]) == 0
    sheet = load_workbook(tmp_path / "costs.xlsx").active
    assert [c.value for c in sheet["A"]] == ["item", "shipping", "handling", "write_off", "refunds", "total"]
    assert sheet["B6"].value == 2433.5
    capsys.readouterr()
    assert main(["alerts", "check", "--date", "2026-11-15", "--db", db]) == 0
    assert "4 rules checked" in capsys.readouterr().out


def test_bad_input_is_one_clear_line(tmp_path, capsys):
    db = seeded(tmp_path)
    assert main(["report", "--from", "2026-11-15", "--to", "2026-11-01", "--out", str(tmp_path / "r.pdf"),
                 "--db", db]) == 2
    assert "ends (2026-11-01) before it starts" in capsys.readouterr().err
    assert main(["export", "colours", "--out", str(tmp_path / "x.csv"), "--db", db]) == 2
    assert "'colours' is not a queue or analytic table" in capsys.readouterr().err
    sales = tmp_path / "sales.csv"
    sales.write_text("date,sku,units\n2026-11-20,TS-001,3\n2026-11-21,TS-001,lots\n", encoding="utf-8")
    assert main(["sales", "import", str(sales), "--db", db]) == 0
    captured = capsys.readouterr()
    assert "imported 1 of 2 rows" in captured.out and "line 3: units 'lots'" in captured.err
