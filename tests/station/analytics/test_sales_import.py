"""Importing units sold: bad rows reported by line and skipped, good rows kept, re-import
replaces, a hopeless file writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from station.catalog.sales import SalesService, parse_sales
from station.core.context import Actor
from station.core.errors import InvalidInput, PermissionDenied, StationError
from station.models import AuditEvent, Role, SalesDay
from tests.helpers.builders import NOW, Clock, add_operator, add_product, make_context

GOOD_AND_BAD = (
    "date,sku,units,channel\n"          # line 1
    "2026-11-03,TS-001,5,web\n"         # 2 ok
    "2026-11-03,ts-001,2,web\n"         # 3 ok, same key as line 2 -> added up
    "2026-11-31,TS-001,1,web\n"         # 4 bad date
    "2026-11-04,,3,web\n"               # 5 empty SKU
    "2026-11-04,TS-002,-1,web\n"        # 6 negative
    "2026-11-04,TS-002,two,web\n"       # 7 not a number
    "\n"                                # 8 blank: ignored
    "2026-11-05,NEW-9,4,store\n"        # 9 ok, not in the catalogue
)


def import_sales(session_factory, path, *, now: dt.datetime = NOW, actor: Actor | None = None):
    """``rma-station sales import``: the command line's admin imports the file."""
    service = SalesService(make_context(session_factory, Clock(now)))
    return service.import_file(actor or Actor.command_line(), path)


def sales(session_factory) -> list[tuple[str, dt.date, str, int]]:
    with session_factory() as db:
        return [tuple(r) for r in db.execute(
            select(SalesDay.sku, SalesDay.sold_on, SalesDay.channel, SalesDay.units).order_by(SalesDay.sku))]


def test_bad_rows_are_reported_by_line_and_good_rows_kept(session_factory, tmp_path):
    with session_factory.begin() as db:
        add_product(db, "TS-001")
    path = tmp_path / "sales.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    result = import_sales(session_factory, path)
    assert [(b.line, b.reason) for b in result.bad] == [
        (4, "date '2026-11-31' is not a day of the calendar"), (5, "the SKU is empty"),
        (6, "units -1 is out of range (0 to 10000000)"), (7, "units 'two' is not a whole number")]
    assert (result.rows_read, result.rows_imported, result.units) == (7, 3, 11)
    assert result.unknown_skus == ("NEW-9",)
    assert sales(session_factory) == [("NEW-9", dt.date(2026, 11, 5), "store", 4),
                                      ("TS-001", dt.date(2026, 11, 3), "web", 7)]


def test_importing_again_replaces_instead_of_doubling(session_factory, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("sku;quantity;sold_on\nA-1;10;2026-11-01\nB-2;3;2026-11-01\n", encoding="utf-8")
    import_sales(session_factory, path)
    path.write_text("sku;quantity;sold_on\nA-1;12;2026-11-01\n", encoding="utf-8")
    result = import_sales(session_factory, path)
    assert result.replaced == 1
    assert sales(session_factory) == [("A-1", dt.date(2026, 11, 1), "", 12), ("B-2", dt.date(2026, 11, 1), "", 3)]


@pytest.mark.parametrize(("content", "message"), [
    ("", "The sales file is empty."),
    ("when,what,how many\n2026-11-01,A,1\n", "header has no date, sku, units column"),
    ("date,sku,units\n2026-11-01,A,x\n2026-11-02,,1\n", "no usable rows: line 2: units 'x'"),
])
def test_hopeless_files_write_nothing(session_factory, tmp_path, content, message):
    path = tmp_path / "sales.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        import_sales(session_factory, path)
    with session_factory() as db:
        assert db.scalar(select(func.count()).select_from(SalesDay)) == 0


def test_not_utf8_and_missing_file(session_factory, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_bytes("date,sku,units\n2026-11-01,衣服,1\n".encode("gb18030"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        import_sales(session_factory, path)
    with pytest.raises(InvalidInput, match="No sales file"):
        import_sales(session_factory, tmp_path / "nope.csv")


def test_short_row_is_reported():
    parsed = parse_sales("date,sku,units,channel\n2026-11-01,A\n")
    assert [str(b) for b in parsed.bad] == ["line 2: has 2 fields, the header has 4"]


@pytest.mark.parametrize(("row", "reason"), [
    ("2026-11-03,TS-001,1_000", "units '1_000' is not a whole number"),
    ("2026-11-03,TS-001,１２", "units '１２' is not a whole number"),
    ("9999-12-31,TS-001,1", "date 9999-12-31 is out of range (2000-01-01 to 2026-11-11)"),
    ("2026-11-12,TS-001,1", "date 2026-11-12 is out of range (2000-01-01 to 2026-11-11)"),
    ("2026-W01-1,TS-001,1", "date '2026-W01-1' is not a date; use YYYY-MM-DD"),
    ("20261103,TS-001,1", "date '20261103' is not a date; use YYYY-MM-DD"),
])
def test_numbers_and_days_an_erp_never_means_are_bad_rows(row, reason):
    """``int()`` and ``date.fromisoformat`` accept these; a sales import must not."""
    parsed = parse_sales(f"date,sku,units\n2026-11-02,TS-001,3\n{row}\n", today=dt.date(2026, 11, 10))
    assert [str(b) for b in parsed.bad] == [f"line 3: {reason}"]
    assert parsed.totals == {("TS-001", dt.date(2026, 11, 2), "", ""): 3}


def test_a_200_kb_field_is_one_bad_row_and_the_rest_is_imported(session_factory, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,sku,units\n2026-11-02,TS-001,3\n2026-11-02,TS-002," + "9" * 200_000
                    + "\n2026-11-03,TS-003,4\n", encoding="utf-8")
    result = import_sales(session_factory, path, now=dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
    assert [str(b) for b in result.bad] == [
        "line 3: cannot be read as CSV (field larger than field limit (131072))"]
    assert [(s, u) for s, _d, _c, u in sales(session_factory)] == [("TS-001", 3), ("TS-003", 4)]


def test_database_locked_past_its_timeout_is_one_line_and_nothing_is_lost(sqlite_engine, tmp_path):
    """Another program holds the write lock for longer than the 5 s busy timeout."""
    import sqlite3

    from station.core.db import make_session_factory

    path = tmp_path / "sales.csv"
    path.write_text("date,sku,units\n2026-11-02,TS-001,3\n", encoding="utf-8")
    factory = make_session_factory(sqlite_engine)
    other = sqlite3.connect(sqlite_engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StationError) as caught:
        import_sales(factory, path, now=dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
    other.execute("ROLLBACK")
    other.close()
    assert str(caught.value).startswith("The database is busy: another program kept it locked (database is locked).")
    assert import_sales(factory, path, now=dt.datetime(2026, 11, 10, tzinfo=dt.UTC)).units == 3


def test_only_an_admin_imports_sales_and_each_import_is_audited(session_factory, tmp_path):
    with session_factory.begin() as db:
        supervisor = add_operator(db, Role.SUPERVISOR)
    path = tmp_path / "sales.csv"
    path.write_text("date,sku,units\n2026-11-02,TS-001,3\n", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        import_sales(session_factory, path, actor=supervisor)
    assert sales(session_factory) == []
    import_sales(session_factory, path)
    with session_factory() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "sales.imported")).one()
    assert (event.operator_badge, event.entity_id, event.details["units"]) == ("CLI", "sales.csv", 3)
