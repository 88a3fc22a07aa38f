"""Money is exact everywhere: stored as integer hundredths, summed as integers, and the same
refunds read the same to the cent on every screen and in every export."""

from __future__ import annotations

import csv
import datetime as dt
import re
import uuid
from decimal import Decimal as D
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Float, Numeric, func, select

from station.analytics.costs import PAID, cohort
from station.analytics.dashboard import build_dashboard
from station.analytics.export import write_table
from station.analytics.period import Period
from station.analytics.tables import analytic_table
from station.core.context import StationContext
from station.core.db import make_engine, open_database, upgrade
from station.demo import seed_demo
from station.migrations.versions import __path__ as versions_path
from station.models import Base, Product, Resolution, Rma
from station.resolution.queue import ResolutionQueue
from station.models.base import FixedPoint

NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
NOT_MONEY = {("analytics_daily_cycle", "hours")}
"""Columns that are measured, not counted in cents: hours between two steps."""
BORN_EXACT = {("rtv_credits", "amount")}
"""Money columns of tables made after 0015, whole hundredths from the start (0018)."""


def money_columns() -> set[tuple[str, str]]:
    return {(t.name, c.name) for t in Base.metadata.tables.values() for c in t.columns
            if isinstance(c.type, FixedPoint)}


def _migration_0015():
    import importlib.util

    path = Path(versions_path[0]) / "0015_exact_money.py"
    spec = importlib.util.spec_from_file_location("m0015", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_column_keeps_money_as_a_binary_float():
    inexact = {(t.name, c.name) for t in Base.metadata.tables.values() for c in t.columns
               if isinstance(c.type, Numeric | Float) and not isinstance(c.type, FixedPoint)}
    assert inexact == NOT_MONEY


def test_every_money_column_is_converted_by_the_migration():
    converted = {(table, column) for table, columns in _migration_0015().COLUMNS.items() for column in columns}
    assert converted | BORN_EXACT == money_columns()


def test_analytics_never_cast_an_amount_to_float():
    """Rates (a count over a count) may be floats; an amount never is."""
    source = Path(__file__).resolve().parents[2] / "station" / "analytics"
    amount_words = re.compile(r"amount|price|cost|value|credit|shipping|refund|paid|fee")
    for path in source.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "Numeric(" not in text, path.name
        for argument in re.findall(r"cast\(([^()]*(?:\([^()]*\))?[^()]*), Float\)", text):
            assert not amount_words.search(argument), f"{path.name}: cast({argument}, Float)"


def test_three_ten_cent_amounts_sum_to_thirty_cents_in_sql(session_factory):
    with session_factory.begin() as db:
        for n in range(3):
            db.add(Product(sku=f"DIME-{n}", name_en="Dime", name_zh="一角", category="apparel",
                           unit_value=D("0.10"), currency="CNY", station_id="DOCK01"))
    with session_factory() as db:
        assert db.scalar(select(func.sum(Product.unit_value))) == D("0.30")
        assert db.scalar(select(func.sum(Product.unit_value * 3))) == D("0.90")


def test_demo_amounts_are_stored_as_integers(tmp_path):
    engine, sf = open_database(str(tmp_path / "demo.sqlite"), create=True)
    seed_demo(sf, rmas=120, now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    with engine.connect() as conn:
        for table, column in sorted(money_columns()):
            kinds = set(conn.exec_driver_sql(f'SELECT DISTINCT typeof("{column}") FROM "{table}"').scalars())
            assert kinds <= {"integer", "null"}, (table, column, kinds)


def test_an_old_station_with_float_rows_converts_exactly(tmp_path):
    """Before 0015, SQLite kept some amounts as REAL (12.299999999999999 for 12.30)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0014")
    values = ["12.299999999999999", "0.1", "63705.07", "19.99", "0", "1234567.89"]
    with engine.begin() as conn:
        for n, value in enumerate(values):
            conn.exec_driver_sql(
                "INSERT INTO products (id, station_id, created_at, updated_at, version, sku, name_en, name_zh, "
                "category, unit_value, currency, serialised, gtin, supplier, rtv_allowed) VALUES "
                f"('{n:032x}', 'DOCK01', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 'OLD-{n}', 'Old', '旧', "
                f"'apparel', CAST('{value}' AS REAL), 'CNY', 0, '', '', 0)")
        assert conn.exec_driver_sql("SELECT count(*) FROM products WHERE typeof(unit_value) = 'real'").scalar() >= 4
    upgrade(engine)
    with engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("SELECT sku, unit_value FROM products WHERE sku LIKE 'OLD-%'").all())
        assert stored == {f"OLD-{n}": round(float(v) * 100) for n, v in enumerate(values)}
        read = dict(conn.execute(select(Product.sku, Product.unit_value).where(Product.sku.like("OLD-%"))).all())
        assert read["OLD-0"] == D("12.30") and read["OLD-2"] == D("63705.07") and read["OLD-1"] == D("0.10")


def _csv_amount(path: Path, item: str) -> D:
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if row and row[0] == item:
                return D(row[1])
    raise AssertionError(f"{item} not in {path.name}")


def test_the_same_refunds_read_the_same_everywhere(tmp_path):
    """The refunds of one period, from the resolutions themselves, the resolution desk's
    history, the dashboard (summaries and raw tables), every net-cost breakdown and both
    exports, agree to the cent."""
    engine, sf = open_database(str(tmp_path / "demo.sqlite"), create=True)
    seed_demo(sf, rmas=320, now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with sf() as db:
        rmas = cohort(period).subquery()
        paid = db.scalars(select(Resolution).where(Resolution.kind.in_(PAID),
                                                   Resolution.rma_id.in_(select(rmas.c.rma_id)))).all()
        from_resolutions = sum((r.amount for r in paid), D("0.00"))
        paid_numbers = set(db.scalars(select(Rma.number).where(Rma.id.in_([r.rma_id for r in paid]))))
    desk = ResolutionQueue(StationContext(sf, station_id="DOCK01", clock=lambda: NOW)).history(limit=100_000)
    on_the_desk = sum((h.amount for h in desk if h.rma in paid_numbers and h.kind in PAID), D("0.00"))
    assert from_resolutions > 0 and len(paid) > 10
    with engine.begin() as conn:
        summaries = build_dashboard(conn, period)
        raw = build_dashboard(conn, period, raw=True)
    figures = {
        "resolution desk history": on_the_desk,
        "dashboard cost tile": summaries.costs.refunds,
        "dashboard from raw tables": raw.costs.refunds,
        "net cost": summaries.net.total.refunds,
        "net cost from raw tables": raw.net.total.refunds,
        "net cost by vendor": sum((r.refunds for r in summaries.net.by_vendor), D(0)),
        "net cost by SKU": sum((r.refunds for r in summaries.net.by_sku), D(0)),
        "net cost by category": sum((r.refunds for r in summaries.net.by_category), D(0)),
        "net cost by reason": sum((r.refunds for r in summaries.net.by_reason), D(0)),
    }
    for name in ("costs", "net_cost"):
        table = analytic_table(summaries, name)
        out = tmp_path / f"{name}.csv"
        write_table(out, "csv", table.title, table.columns, table.rows)
        figures[f"{name} export"] = _csv_amount(out, "refunds")
    assert figures == {name: from_resolutions for name in figures}, from_resolutions


def test_a_float_cannot_be_written_to_a_money_column(session_factory):
    with pytest.raises(sa.exc.StatementError, match="never a float"):
        with session_factory.begin() as db:
            db.add(Product(sku="FLOAT-1", name_en="F", name_zh="F", category="apparel", unit_value=0.1,
                           currency="CNY", station_id="DOCK01"))


@pytest.mark.postgres
def test_central_numeric_amounts_convert_exactly():
    """Central holds the same schema on PostgreSQL (numeric(12,2)); 0015 converts it in place."""
    from tests.helpers.pg import fresh_database

    with fresh_database("rma_money") as database:
        engine = make_engine(database.url)
        try:
            upgrade(engine, "0014")
            with engine.begin() as conn:
                for n, value in enumerate(["12.30", "0.10", "63705.07", "0.00"]):
                    conn.exec_driver_sql(
                        "INSERT INTO products (id, station_id, created_at, updated_at, version, sku, name_en, name_zh, "
                        "category, unit_value, currency, serialised, gtin, supplier, rtv_allowed) VALUES "
                        f"('{uuid.UUID(int=n + 1)}', 'CENTRAL', now(), now(), 1, 'OLD-{n}', 'Old', '旧', "
                        f"'apparel', {value}, 'CNY', false, '', '', false)")
            upgrade(engine)
            with engine.connect() as conn:
                stored = dict(conn.exec_driver_sql("SELECT sku, unit_value FROM products ORDER BY sku").all())
                kind = conn.exec_driver_sql("SELECT data_type FROM information_schema.columns "
                                            "WHERE table_name = 'products' AND column_name = 'unit_value'").scalar()
                total = conn.execute(select(func.sum(Product.unit_value))).scalar()
        finally:
            engine.dispose()
    assert kind == "bigint"
    assert stored == {"OLD-0": 1230, "OLD-1": 10, "OLD-2": 6370507, "OLD-3": 0}
    assert total == D("63717.47")
