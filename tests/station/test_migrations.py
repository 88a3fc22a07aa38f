"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

A model changed without a migration would pass every ORM test on a fresh ``create_all``
database and break every station upgraded in the field; this test is what catches it.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from station.core.db import SCHEMA_HEAD, current_revision, head_revision, stored_revision
from station.core.marker import outside_the_marker
from station.models import Base


def test_upgraded_schema_matches_the_models(engine):
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": outside_the_marker})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_recorded_schema_head_is_alembics_head(engine):
    """station.core.db.SCHEMA_HEAD must name the newest migration, or stations would skip it."""
    assert SCHEMA_HEAD == head_revision()
    assert stored_revision(engine) == SCHEMA_HEAD


def test_cli_upgrade_is_idempotent(tmp_path, capsys):
    from ui.cli import main

    db = str(tmp_path / "s.sqlite")
    assert main(["db", "upgrade", "--db", db]) == 0
    assert f"empty -> {head_revision()}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", db]) == 0
    assert f"{head_revision()} -> {head_revision()}" in capsys.readouterr().out
    assert main(["db", "current", "--db", db]) == 0
