"""A brand-new station is built from the models, and ends where every migration ends.

A first launch used to replay every migration on its empty file; it now creates the tables
from the models and records the newest revision (``station.core.new_database``). If a
migration and the models ever disagree about a default, an index or a row a migration
inserts, a new station and an upgraded one would differ without any test noticing: this
compares the two databases piece by piece.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from station.core.db import SCHEMA_HEAD, make_engine, stored_revision, upgrade
from station.core.marker import Kind, recognise_file


def _build(path: Path, *, build_new: bool) -> Path:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, build_new=build_new)
    engine.dispose()
    return path


def _index_shape(conn: sqlite3.Connection, name: str, table: str, sql: str | None) -> tuple[Any, ...]:
    columns = tuple(row[2] for row in conn.execute(f"PRAGMA index_xinfo('{name}')") if row[5])
    unique = next(row[2] for row in conn.execute(f"PRAGMA index_list('{table}')") if row[1] == name)
    where = " ".join(sql.split(" WHERE ", 1)[1].split()) if sql and " WHERE " in sql else None
    return table, columns, unique, where


def database_shape(path: Path) -> dict[tuple[str, str], Any]:
    """Every table's columns (name, type, not null, default, key position), foreign keys and
    rows; every index's table, columns, uniqueness and WHERE; every trigger's and view's SQL."""
    conn = sqlite3.connect(path)
    try:
        shape: dict[tuple[str, str], Any] = {
            ("pragma", "application_id"): conn.execute("PRAGMA application_id").fetchone()[0],
            ("pragma", "user_version"): conn.execute("PRAGMA user_version").fetchone()[0],
        }
        for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
            if kind == "table":
                shape[(kind, name)] = (
                    frozenset(tuple(row[1:]) for row in conn.execute(f"PRAGMA table_xinfo('{name}')")),
                    frozenset(tuple(row[2:]) for row in conn.execute(f"PRAGMA foreign_key_list('{name}')")),
                    sorted(map(repr, conn.execute(f"SELECT * FROM '{name}'"))),
                )
            elif kind == "index":
                shape[(kind, name)] = _index_shape(conn, name, table, sql)
            else:
                shape[(kind, name)] = " ".join((sql or "").split())
        return shape
    finally:
        conn.close()


def test_new_station_database_equals_one_built_by_every_migration(tmp_path):
    built = database_shape(_build(tmp_path / "new.sqlite", build_new=True))
    migrated = database_shape(_build(tmp_path / "migrated.sqlite", build_new=False))

    differences = {key: (built.get(key), migrated.get(key))
                   for key in built.keys() | migrated.keys() if built.get(key) != migrated.get(key)}
    assert differences == {}
    assert ("table", "rmas") in built and ("table", "outbox_fence") in built


def test_new_station_database_is_a_marked_station_at_the_head(tmp_path):
    path = _build(tmp_path / "new.sqlite", build_new=True)
    recognition = recognise_file(path)
    assert recognition.kind is Kind.STATION and recognition.revision == SCHEMA_HEAD
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert stored_revision(engine) == SCHEMA_HEAD
        upgrade(engine)  # already at the head: nothing to do, nothing refused
        assert stored_revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_shape_comparison_sees_a_missing_default(tmp_path):
    """The comparison is not blind: a column default the models lacked would show."""
    path = _build(tmp_path / "new.sqlite", build_new=True)
    before = database_shape(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE orders ADD COLUMN note TEXT DEFAULT 'x'")
    conn.commit()
    conn.close()
    assert database_shape(path)[("table", "orders")] != before[("table", "orders")]
