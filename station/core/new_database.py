"""A brand-new SQLite station database, built from the models in one step.

Replaying every migration on an empty file cost about half a second of a first launch
(Alembic's import, and migration 0015 rebuilding fourteen tables that hold no rows), which
is most of what the first ``--demo`` start waits for before the dock (issue 23). Alembic's own
recipe for a database built from scratch is this: create the tables from the models, then
record the newest revision as applied. Stations in the field keep being upgraded migration
by migration (``station.core.db.upgrade``); only a database with no table at all is built
this way, and only on SQLite (the dock's embedded database; PostgreSQL keeps the
migrations). ``tests/station/test_new_database.py`` proves the two roads end at the same
database: every table, column (type, nullability, default), key, index (partial ones
included), trigger, and the rows a migration inserts.
"""

from __future__ import annotations

from sqlalchemy import Connection

ALEMBIC_VERSION_DDL = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                       "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
"""Alembic's version table, as ``alembic upgrade`` creates it."""

SEEDED_ROWS = ("INSERT INTO outbox_fence (id, seq) VALUES (1, 0)",)
"""The rows migrations write into an empty database (0017: the push's fence, at seq 0)."""


def build(conn: Connection, revision: str) -> None:
    """Create every station table on ``conn`` (an empty SQLite database, in the caller's
    transaction) and record ``revision`` as the schema it is at."""
    from station.models import Base

    Base.metadata.create_all(conn, checkfirst=False)
    conn.exec_driver_sql(ALEMBIC_VERSION_DDL)
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (revision,))
    for statement in SEEDED_ROWS:
        conn.exec_driver_sql(statement)
