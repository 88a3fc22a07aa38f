"""Issue 26, denominator: `sales import` takes an optional lot column, stored per SKU and lot."""

from __future__ import annotations


from sqlalchemy import select

from station.core.db import make_session_factory
from station.models import SalesDay
from ui.cli import main


def stored(engine) -> list[tuple[str, str, int]]:  # noqa: ANN001
    with make_session_factory(engine)() as db:
        return [tuple(r) for r in db.execute(select(SalesDay.sku, SalesDay.lot, SalesDay.units)
                                             .order_by(SalesDay.sku, SalesDay.lot))]


def test_the_admin_imports_units_sold_per_lot_from_the_command_line(sqlite_engine, sqlite_url, tmp_path, capsys):  # noqa: ANN001
    path = tmp_path / "sales.csv"
    path.write_text("date,sku,units,lot\n2026-11-02,LS-01,400,L1\n2026-11-02,LS-01,300,L2\n"
                    "2026-11-03,LS-01,100,L1\n2026-11-03,TS-9,50,\n", encoding="utf-8")
    assert main(["sales", "import", str(path), "--db", sqlite_url]) == 0
    assert "imported 4 of 4 rows (850 units" in capsys.readouterr().out
    assert stored(sqlite_engine) == [("LS-01", "L1", 400), ("LS-01", "L1", 100), ("LS-01", "L2", 300),
                                       ("TS-9", "", 50)]


def test_a_file_with_lots_replaces_the_same_days_without_lots_instead_of_doubling(sqlite_engine, sqlite_url, tmp_path):  # noqa: ANN001
    whole, per_lot = tmp_path / "whole.csv", tmp_path / "lots.csv"
    whole.write_text("date,sku,units\n2026-11-02,LS-01,700\n", encoding="utf-8")
    per_lot.write_text("date,sku,units,batch\n2026-11-02,LS-01,400,L1\n2026-11-02,LS-01,300,L2\n", encoding="utf-8")
    assert main(["sales", "import", str(whole), "--db", sqlite_url]) == 0
    assert main(["sales", "import", str(per_lot), "--db", sqlite_url]) == 0
    assert stored(sqlite_engine) == [("LS-01", "L1", 400), ("LS-01", "L2", 300)]
    assert main(["sales", "import", str(whole), "--db", sqlite_url]) == 0
    assert stored(sqlite_engine) == [("LS-01", "", 700)]


def test_a_lot_too_long_is_a_bad_row_named_by_its_line(sqlite_engine, sqlite_url, tmp_path, capsys):  # noqa: ANN001
    path = tmp_path / "sales.csv"
    path.write_text(f"date,sku,units,lot\n2026-11-02,LS-01,4,{'X' * 41}\n2026-11-02,LS-01,3,OK\n", encoding="utf-8")
    assert main(["sales", "import", str(path), "--db", sqlite_url]) == 0
    assert "line 2: lot 'XXXXXXXXXXXXXXXXXXXX' is not a lot" in capsys.readouterr().err
    assert stored(sqlite_engine) == [("LS-01", "OK", 3)]
