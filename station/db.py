"""Opening the station's database: URL resolution, SQLite durability settings, migrations.

The local database is a SQLite file in WAL mode with ``synchronous=FULL``: a receipt that the
clerk saw confirmed survives a power cut. Any SQLAlchemy URL works in its place (the same
commands run on PostgreSQL), which is how tests and the central database use this module.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from station.errors import ConfigError
from station.paths import data_dir

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

SCHEMA_HEAD = "0007"
"""The newest migration's revision. Lets a station that is already up to date start without
importing Alembic (a quarter of a second); tests/station/test_migrations.py keeps it equal to
Alembic's own head, so a new migration cannot be forgotten here."""


def resolve_db_url(value: str | None = None) -> str:
    """Turn ``--db`` / ``RMA_STATION_DB`` (a path or a URL) into a SQLAlchemy URL."""
    value = value or os.environ.get("RMA_STATION_DB")
    if not value:
        return f"sqlite:///{data_dir() / 'station.sqlite'}"
    if "://" in value:
        url = make_url(value)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


READ_ONLY = {"station_read_only": True}
"""Execution options for a read-only connection: on SQLite it begins DEFERRED, so a read
never takes the write lock and never waits for a writer (WAL lets both run at once)."""


def _sqlite_begin(conn: Any) -> None:
    # pysqlite's own transaction handling defers BEGIN until the first write, which lets two
    # writers both read-then-write; BEGIN IMMEDIATE takes the write lock up front instead.
    if conn.get_execution_options().get("station_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the station's connection settings applied."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"isolation_level": None}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (stations in the field are upgraded in place)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise ConfigError("No database migrations are installed.")
    return head


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, read without Alembic (None if empty)."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def open_database(url: str | None = None, *, migrate: bool = True) -> tuple[Engine, sessionmaker[Session]]:
    """Open (and by default upgrade) the station database named by ``url`` or the defaults."""
    engine = make_engine(resolve_db_url(url))
    if migrate:
        if stored_revision(engine) != SCHEMA_HEAD:
            upgrade(engine)
    elif current_revision(engine) != head_revision():
        raise ConfigError(
            "The database schema is out of date.", next_step="Run `rma-station db upgrade`."
        )
    return engine, make_session_factory(engine)


def has_tables(engine: Engine) -> bool:
    return inspect(engine).has_table("rmas")
