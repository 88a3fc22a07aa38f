"""A station database is recognisable; anything else named by ``--db`` is refused untouched.

Another program's SQLite file, a PostgreSQL database holding another program's tables, or an
empty file where a station's was expected used to get the station schema built inside it.
Now each is refused in one line, and only ``db upgrade``, ``central init``, ``seed-demo`` and
the window's first start make a station database of an empty one.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from station.core.db import NotAStationDatabase, make_engine, open_database, upgrade
from station.core.marker import APPLICATION_ID, MARKER_TABLE, Kind, recognise, recognise_file
from tests.helpers.pg import fresh_database
from ui.cli import main


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().err


def another_programs_file(path: Path, *, application_id: int = 0) -> Path:
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                      "CREATE TABLE alembic_version (version_num TEXT);"
                      "INSERT INTO alembic_version VALUES ('a1b2c3d4');"
                      "INSERT INTO notes (body) VALUES ('pallet 4 goes to bay 2');"
                      f"PRAGMA application_id = {application_id};")
    con.commit()
    con.close()
    return path


def pragmas(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA application_id").fetchone()[0], con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


class TestSqlite:
    @pytest.mark.parametrize("argv", [["db", "upgrade"], ["seed-demo", "--rmas", "2"], ["audit", "verify"],
                                      ["orders", "import", "{orders}"], ["api-token", "add", "--name", "erp"]])
    def test_another_programs_file_is_refused_by_every_command_and_left_as_it_was(
            self, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        notes = another_programs_file(tmp_path / "notes.db")
        orders = tmp_path / "in" / "orders.csv"
        orders.parent.mkdir()
        orders.write_text("order_number,sku,quantity\n", encoding="utf-8")
        before = digest(notes)
        code, err = run([a.format(orders=orders) for a in argv] + ["--db", str(notes)], capsys)
        assert code == 2
        assert err == (f"rma-station: {notes} is not a station database: it holds another program's tables "
                       "(alembic_version, notes). Nothing was created in it. Check --db (or RMA_STATION_DB); a "
                       "station database goes in a new file or an empty database.\n")
        assert digest(notes) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "notes.db"]  # no -wal, no -shm

    def test_a_file_carrying_another_application_id_is_refused_naming_it(
            self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        fossil = another_programs_file(tmp_path / "repo.fossil", application_id=0x0F055112)
        code, err = run(["db", "upgrade", "--db", str(fossil)], capsys)
        assert code == 2 and "its SQLite application id is 0x0f055112, not rma-station's" in err
        assert pragmas(fossil) == (0x0F055112, 0)

    def test_an_empty_file_is_refused_unless_the_command_creates(self, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
        empty = tmp_path / "station.sqlite"
        empty.touch()
        for argv in (["audit", "verify"], ["resolution", "queue"], ["sync", "status"]):
            code, err = run([*argv, "--db", str(empty)], capsys)
            assert code == 2, argv
            assert err.startswith(f"rma-station: {empty} is not a station database: an empty file (0 bytes). "
                                  "Nothing was created in it."), argv
            assert empty.stat().st_size == 0
        code, err = run(["db", "upgrade", "--db", str(empty)], capsys)
        assert code == 0, err
        assert pragmas(empty) == (APPLICATION_ID, int(next(iter(sorted(_revisions(), reverse=True)))))
        assert run(["audit", "verify", "--db", str(empty)], capsys)[0] == 0

    def test_a_station_made_before_the_mark_is_used_and_marked_at_its_next_upgrade(
            self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "station.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine, "0012")
        with engine.begin() as conn:  # as every station upgraded before this release left it
            conn.exec_driver_sql("PRAGMA application_id = 0")
            conn.exec_driver_sql("PRAGMA user_version = 0")
        engine.dispose()
        assert recognise_file(path).kind is Kind.UNMARKED_STATION
        assert run(["audit", "verify", "--db", str(path)], capsys)[0] == 2  # schema out of date: read-only
        code, err = run(["resolution", "queue", "--db", str(path)], capsys)
        assert code == 0, err
        assert recognise_file(path).kind is Kind.STATION and pragmas(path)[0] == APPLICATION_ID

    def test_a_marked_station_at_the_newest_schema_opens_without_another_upgrade(self, tmp_path: Path) -> None:
        path = tmp_path / "station.sqlite"
        engine, _ = open_database(str(path), create=True)
        engine.dispose()
        before = digest(path)
        engine, _ = open_database(str(path))
        engine.dispose()
        assert digest(path) == before


def _revisions() -> set[str]:
    from station.core.marker import station_revisions

    return set(station_revisions())


@pytest.mark.postgres
class TestPostgres:
    def test_a_database_with_another_programs_tables_is_refused_and_nothing_created(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        with fresh_database("rma_foreign") as database:
            engine = make_engine(database.url)
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY, total numeric)"))
            for argv in (["db", "upgrade"], ["seed-demo", "--rmas", "2"], ["audit", "verify"]):
                code, err = run([*argv, "--db", database.url], capsys)
                assert code == 2, argv
                assert "is not a station database: it holds another program's tables (invoices). Nothing was " \
                       "created in it." in err and err.count("\n") == 1
            with pytest.raises(NotAStationDatabase, match=r"another program's tables \(invoices\)"):
                upgrade(engine)  # what `central init` runs first
            assert inspect(engine).get_table_names() == ["invoices"]
            engine.dispose()

    def test_central_init_refuses_another_programs_database(self, capsys: pytest.CaptureFixture[str]) -> None:
        with fresh_database("rma_foreign") as database:
            engine = make_engine(database.url)
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY)"))
            code, err = run(["central", "init", "--url", database.url], capsys)
            assert code == 2 and "is not a station database: it holds another program's tables (invoices)" in err
            assert inspect(engine).get_table_names() == ["invoices"]
            engine.dispose()

    def test_an_empty_database_becomes_a_marked_station_only_by_a_creating_command(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        with fresh_database("rma_empty") as database:
            code, err = run(["audit", "verify", "--db", database.url], capsys)
            assert code == 2 and "is not a station database: an empty database. Nothing was created in it." in err
            engine = make_engine(database.url)
            assert inspect(engine).get_table_names() == []
            assert run(["db", "upgrade", "--db", database.url], capsys)[0] == 0
            with engine.connect() as conn:
                assert recognise(conn).kind is Kind.STATION
                assert conn.execute(text(f"SELECT application FROM {MARKER_TABLE}")).scalars().all() == \
                    ["rma-station"]
            assert run(["audit", "verify", "--db", database.url], capsys)[0] == 0
            engine.dispose()

    def test_a_station_made_before_the_mark_is_recognised_and_marked(self, capsys: pytest.CaptureFixture[str]) -> None:
        with fresh_database("rma_unmarked") as database:
            engine = make_engine(database.url)
            upgrade(engine)
            with engine.begin() as conn:
                conn.execute(text(f"DROP TABLE {MARKER_TABLE}"))
                assert recognise(conn).kind is Kind.UNMARKED_STATION
            code, err = run(["resolution", "queue", "--db", database.url], capsys)
            assert code == 0, err
            with engine.connect() as conn:
                assert recognise(conn).kind is Kind.STATION
            engine.dispose()
