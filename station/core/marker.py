"""What makes a database a station's: a mark written when the schema is made, read before use.

``--db`` may name anything: another program's SQLite file, the server's ``postgres``
database, a file someone emptied. Before this mark existed, the station would build its
schema inside whatever it was given. Now a database is one of four kinds:

- **station**: marked. SQLite carries it in the file header (``PRAGMA application_id`` =
  ``0x524D4153``, the ASCII of ``RMAS``, and ``user_version`` = the schema revision as a
  number), where ``file(1)`` and any SQLite tool can read it without our tables. PostgreSQL
  has no such header, so the mark is a one-row table, ``rma_station_database``, which dumps,
  restores and template copies keep (a ``COMMENT ON DATABASE`` would be lost by all three,
  and needs the database's owner to write).
- **unmarked station**: made before the mark existed: an ``alembic_version`` at one of the
  station's revisions beside an ``rmas`` table. Used as a station's, and marked at its next
  upgrade.
- **empty**: no tables (a new PostgreSQL database, a 0-byte file). Only the commands that
  create a station database (``db upgrade``, ``central init``, ``seed-demo``, the window's
  first start) may make one of it; every other command refuses it, since an empty database
  where a station's was expected is a typo or an accident.
- **foreign**: anything else: another program's application id or tables. Refused by every
  command, creating ones included; nothing is written to it.

Recognising a SQLite file reads it through a read-only connection of its own, before the
station's engine opens it: that engine switches a file to WAL, which would already change
another program's file.
"""

from __future__ import annotations

import enum
import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from station.core.paths import MIGRATIONS

APPLICATION_ID = 0x524D4153
"""``PRAGMA application_id`` of a station's SQLite file: ``RMAS`` in ASCII."""
MARKER_TABLE = "rma_station_database"
"""The one-row table that marks a station database on servers without a file header."""
APPLICATION = "rma-station"

_REVISION_FILE = re.compile(r"^(\d{4})_.*\.py$")


class Kind(enum.Enum):
    STATION = "station"
    UNMARKED_STATION = "unmarked station"
    EMPTY = "empty"
    FOREIGN = "foreign"


@dataclass(frozen=True)
class Recognition:
    """What a database is, and the evidence in words for a refusal (``its SQLite application
    id is 0x0F055112``, ``it holds tables notes, users``)."""

    kind: Kind
    evidence: str = ""
    revision: str | None = None
    """The station schema revision recorded in it (None when it has none)."""

    @property
    def is_station(self) -> bool:
        return self.kind in (Kind.STATION, Kind.UNMARKED_STATION)


def station_revisions() -> frozenset[str]:
    """Every station schema revision this release knows (the migration files' numbers)."""
    return frozenset(m.group(1) for p in (MIGRATIONS / "versions").iterdir()
                     if (m := _REVISION_FILE.match(p.name)))


def recognise_file(path: Path) -> Recognition:
    """Recognise an existing SQLite file without changing it (read-only, no WAL switch).

    Raises ``sqlite3.DatabaseError`` for a file that is not SQLite at all."""
    if path.stat().st_size == 0:
        return Recognition(Kind.EMPTY, "an empty file (0 bytes)")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        application_id = int(con.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
    finally:
        con.close()
    return _judge(tables, revision, application_id=application_id, marked=application_id == APPLICATION_ID)


def recognise(conn: Connection) -> Recognition:
    """Recognise the database behind ``conn`` (any dialect; reads only)."""
    if conn.dialect.name == "sqlite":
        application_id = int(conn.exec_driver_sql("PRAGMA application_id").scalar() or 0)
        tables = set(inspect(conn).get_table_names())
        return _judge(tables, _revision(conn, tables), application_id=application_id,
                      marked=application_id == APPLICATION_ID)
    tables = set(inspect(conn).get_table_names())
    marked = MARKER_TABLE in tables and bool(conn.execute(
        text(f"SELECT count(*) FROM {MARKER_TABLE} WHERE application = :app"), {"app": APPLICATION}).scalar())
    return _judge(tables - {MARKER_TABLE} if marked else tables, _revision(conn, tables), application_id=None,
                  marked=marked)


def _revision(conn: Connection, tables: Collection[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    value = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if value is None else str(value)


def _judge(tables: Collection[str], revision: str | None, *, application_id: int | None,
           marked: bool) -> Recognition:
    if marked:
        return Recognition(Kind.STATION, revision=revision)
    if application_id:  # another program's SQLite file says whose it is
        return Recognition(Kind.FOREIGN, f"its SQLite application id is {application_id:#010x}, not rma-station's")
    if not tables:
        return Recognition(Kind.EMPTY, "an empty database")
    if revision in station_revisions() and "rmas" in tables:
        return Recognition(Kind.UNMARKED_STATION, revision=revision)
    names = sorted(tables)
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return Recognition(Kind.FOREIGN, f"it holds another program's tables ({shown})")


def mark(conn: Connection, revision: str | None) -> None:
    """Mark the database on ``conn`` as a station's at schema ``revision`` (in the caller's
    transaction; writing it again changes only the revision)."""
    number = int(revision) if revision and revision.isdigit() else 0
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version = {number}")
        return
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (application VARCHAR(32) PRIMARY KEY, "
                      "schema_revision VARCHAR(32))"))
    updated = conn.execute(text(f"UPDATE {MARKER_TABLE} SET schema_revision = :rev WHERE application = :app"),
                           {"rev": revision, "app": APPLICATION})
    if updated.rowcount == 0:
        conn.execute(text(f"INSERT INTO {MARKER_TABLE} (application, schema_revision) VALUES (:app, :rev)"),
                     {"rev": revision, "app": APPLICATION})


def outside_the_marker(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic ``include_name`` filter: the marker table is written by ``mark``, not by a
    migration, so comparing models with a migrated database must not propose dropping it."""
    return not (type_ == "table" and name == MARKER_TABLE)
