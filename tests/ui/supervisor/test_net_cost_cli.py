"""The net-cost and alert commands a supervisor runs, end to end on a station file:
prices import, refurbish finish (badge + $RMA_PIN), export of net cost per vendor, and
an alert acknowledged, noted and closed from the command line."""

from __future__ import annotations

import csv

from sqlalchemy import select

from station.core.db import make_engine, make_session_factory, upgrade
from station.models import DispositionKind, Role, Unit
from tests.helpers.builders import add_operator
from tests.station.analytics.dataset import build
from ui.cli import main


def seeded(tmp_path):  # type: ignore[no-untyped-def]
    db = tmp_path / "s.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    sf = make_session_factory(engine)
    built = build(sf)
    with sf.begin() as s:
        tech = add_operator(s, Role.INSPECTOR, badge="TECH01", pin="4321")
        boss = add_operator(s, Role.SUPERVISOR, badge="BOSS01", pin="9876")
        s.scalar(select(Unit).where(Unit.lpn == built.lpns["U2"])).disposition = DispositionKind.REFURBISH
    engine.dispose()
    return str(db), built, tech, boss


def test_prices_refurbish_and_net_cost_export(tmp_path, capsys, monkeypatch):
    db, built, _, _ = seeded(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,grade,price,currency\nTS-001,A,80.00,CNY\nTS-001,Z,1,CNY\n", encoding="utf-8")
    assert main(["prices", "import", str(bad), "--db", db]) == 2
    assert "rma-station: bad.csv: nothing imported, 1 bad line(s): line 3: grade 'Z'" in capsys.readouterr().err
    good = tmp_path / "prices.csv"
    good.write_text("sku,grade,price,currency\nTS-001,A,80.00,CNY\nTS-001,B,60.00,CNY\nEL-001,A,700.00,CNY\n",
                    encoding="utf-8")
    assert main(["prices", "import", str(good), "--db", db]) == 0
    assert "3 prices read: 3 added, 0 changed, 0 unchanged" in capsys.readouterr().out
    assert main(["prices", "import", str(good), "--db", db]) == 0
    assert "0 added, 0 changed, 3 unchanged" in capsys.readouterr().out

    monkeypatch.setenv("RMA_PIN", "0000")
    assert main(["refurbish", "finish", built.lpns["U2"], "--cost", "12.00", "--grade", "A", "--badge", "TECH01",
                 "--db", db]) == 2
    capsys.readouterr()
    monkeypatch.setenv("RMA_PIN", "4321")
    assert main(["refurbish", "finish", built.lpns["U2"], "--cost", "12.00", "--parts", "zip", "--grade", "a",
                 "--badge", "TECH01", "--db", db]) == 0
    assert f"Unit {built.lpns['U2']} refurbished for 12.00: now grade A." in capsys.readouterr().out
    assert main(["refurbish", "finish", built.lpns["U2"], "--cost", "1", "--grade", "A", "--badge", "TECH01",
                 "--db", db]) == 2
    assert "already refurbished" in capsys.readouterr().err

    out = tmp_path / "vendors.csv"
    assert main(["export", "net_cost_by_vendor", "--from", "2026-11-02", "--to", "2026-11-15", "--out", str(out),
                 "--db", db]) == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    # shipped policy: the merchant pays return shipping for defective/wrong-item reasons; handling 6.50
    by_vendor = {r["vendor"]: r for r in rows}
    assert set(by_vendor) == {"Acme", "Volt"}
    assert by_vendor["Acme"]["refurbishment"] == "12.00" and by_vendor["Acme"]["resale"] == "160.00"
    assert by_vendor["Volt"]["resale"] == "700.00"


def test_alert_answered_from_the_command_line(tmp_path, capsys, monkeypatch):
    db, _, _, _ = seeded(tmp_path)
    rules = tmp_path / "alerts.toml"
    rules.write_text('version = 1\n[[rule]]\nid = "sku"\nkind = "sku_return_rate"\nmax_rate_percent = 5.0\n'
                     'min_sold = 20\nwindow_days = 14\n', encoding="utf-8")
    assert main(["alerts", "check", "--rules", str(rules), "--date", "2026-11-15", "--db", db]) == 0
    capsys.readouterr()
    assert main(["alerts", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    line = next(x for x in listing.splitlines() if "SKU EL-001" in x)
    short = line.split()[0]
    assert "(owner: site supervisors)" in line
    monkeypatch.setenv("RMA_PIN", "9876")
    for action, note, state in (("ack", "Seen.", "acknowledged"),
                                ("note", "supplier informed, size chart corrected", "acknowledged"),
                                ("close", "Fixed.", "closed")):
        assert main(["alerts", action, short, "--note", note, "--badge", "BOSS01", "--db", db]) == 0
        assert f"on SKU EL-001: {state}." in capsys.readouterr().out
    assert main(["alerts", "close", short, "--note", "again", "--badge", "BOSS01", "--db", db]) == 2
    assert "already closed" in capsys.readouterr().err
    out = tmp_path / "trail.xlsx"
    assert main(["alerts", "export", "--out", str(out), "--db", db]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    steps = [(r[6], r[9]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "SKU EL-001"]
    assert steps == [("raised", "site supervisors"), ("acknowledged", "Seen."),
                     ("action", "supplier informed, size chart corrected"), ("closed", "Fixed.")]
