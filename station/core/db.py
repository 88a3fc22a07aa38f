"""Opening the station's database: URL resolution, SQLite durability settings, migrations.

The local database is a SQLite file in WAL mode with ``synchronous=FULL``: a receipt that the
clerk saw confirmed survives a power cut. Any SQLAlchemy URL works in its place (the same
commands run on PostgreSQL), which is how tests and the central database use this module.

A database is recognised before it is used (``station.core.marker``): another program's
database is refused by every command, an empty one by every command that does not create
one. The station and its identity are opened together by ``station.core.opening``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from station.core import marker, new_database
from station.core.errors import ConfigError
from station.core.marker import Kind, Recognition
from station.core.paths import MIGRATIONS, database_file

log = logging.getLogger(__name__)


_URL_HINT = "Give a SQLite file path or a URL like postgresql://user@host/dbname."

SCHEMA_HEAD = "0022"
"""The newest migration's revision. Lets a station that is already up to date start without
importing Alembic (a quarter of a second); tests/station/test_migrations.py keeps it equal to
Alembic's own head, so a new migration cannot be forgotten here."""


def resolve_db_url(value: str | None = None) -> str:
    """Turn ``--db`` / ``RMA_STATION_DB`` (a path or a URL) into a SQLAlchemy URL.

    Nothing is created here: whether a missing file may become a new database is the
    caller's decision (see ``connect_database``).
    """
    file = database_file(value)
    if file is not None:
        return f"sqlite:///{file}"
    value = value or os.environ.get("RMA_STATION_DB", "")
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"{value!r} is not a database URL.", next_step=_URL_HINT) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def is_default_location(value: str | None = None) -> bool:
    """True when neither ``--db`` nor ``RMA_STATION_DB`` names the database: the window's
    first start on this machine, the one case besides ``db upgrade`` and ``seed-demo``
    where a missing database is created rather than refused."""
    return not (value or os.environ.get("RMA_STATION_DB"))


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


def seq_window(sql: str, params: list[Any], *, upto: int | None, limit: int | None) -> tuple[str, list[Any]]:
    """``sql`` (a SELECT of a seq-numbered table already ending in ``WHERE ... seq > ?``) read up
    to ``upto`` in seq order, at most ``limit`` rows: the raw SQLite reads of the outbox and the
    audit chain page the same way."""
    params = list(params)
    if upto is not None:
        sql += " AND seq <= ?"
        params.append(upto)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


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


class NotAStationDatabase(ConfigError):
    """The database named is another program's, or empty where a station's was expected."""

    code = "not_a_station_database"


def upgrade(engine: Engine, revision: str = "head", *, build_new: bool = True) -> None:
    """Bring the schema up to ``revision`` (stations in the field are upgraded in place) and
    mark the database as a station's, in one transaction. Another program's database is
    refused before anything is written to it. A SQLite database with no table yet is built
    from the models at the newest revision (``station.core.new_database``) unless
    ``build_new`` is false (the tests' template, which takes the road stations in the field
    took)."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a column's type only by rebuilding its table; dropping the old
            # table would trip every reference to it. SQLite's own recipe: references off
            # outside the transaction, rebuild, check them all, commit.
            _sqlite_foreign_keys(conn, on=False)
        try:
            with conn.begin():
                recognition = marker.recognise(conn)
                if recognition.kind is Kind.FOREIGN:
                    raise _foreign(recognition, engine.url.render_as_string(hide_password=False))
                if build_new and sqlite and recognition.kind is Kind.EMPTY and revision in ("head", SCHEMA_HEAD):
                    new_database.build(conn, SCHEMA_HEAD)
                else:
                    _run_migrations(engine, conn, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ConfigError(f"The upgrade would leave {len(broken)} broken references "
                                          f"(first: {tuple(broken[0])}); nothing was changed.")
                marker.mark(conn, conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())
        finally:
            if sqlite:
                _sqlite_foreign_keys(conn, on=True)


def _run_migrations(engine: Engine, conn: Connection, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """Switch reference checks on a SQLite connection outside any transaction (inside one,
    SQLite ignores the pragma)."""
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


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


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory SQLite and for other databases)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a SQLite URI names its own options; leave it to SQLite
    return Path(database)


def shown_database(engine: Engine) -> str:
    """The database in a message: the SQLite file's path, or the URL without its password."""
    return _shown(engine.url.render_as_string(hide_password=False))


def _shown(url: str) -> str:
    path = sqlite_file(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def database_error(exc: BaseException, url: str | None = None, *, opening: bool = True) -> ConfigError:
    """A one-line, actionable message for a database that cannot be opened or used."""
    where = f" {_shown(url)}" if url else ""
    orig = getattr(exc, "orig", None) or exc
    reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0].strip()
    lowered = reason.lower()
    if "not a database" in lowered:
        return ConfigError(f"{_shown(url) if url else 'The file'} is not a SQLite database ({reason}).",
                           next_step="Check --db; it must name the station's .sqlite file.")
    if "locked" in lowered or "busy" in lowered:
        return ConfigError(f"The database{where} is busy: another program kept it locked ({reason}).",
                           next_step="Nothing was changed; try again when the other program has finished.")
    if not opening:
        return ConfigError(f"The database{where} refused the request: {reason}.")
    return ConfigError(f"Cannot open the database{where}: {reason}.",
                       next_step="Check --db, that the server is running and reachable, and the credentials.")


def _check_file_name(path: Path) -> None:
    """Refuse a path the operating system cannot name (too long, a part over 255 bytes)."""
    try:
        path.exists()
    except OSError as exc:
        text = str(path)
        shown = text if len(text) <= 100 else f"{text[:60]}...{text[-20:]} ({len(text):,} characters)"
        raise ConfigError(f"{shown} cannot be a database file ({exc.strerror or exc}).",
                          next_step="Check --db (or RMA_STATION_DB).") from None


def connect_database(value: str | None = None, *, create: bool = False) -> Engine:
    """An engine for ``--db`` / ``RMA_STATION_DB`` / the default, checked by one connection.

    A mistyped path must not quietly become a new, empty database (``audit verify`` would
    then report an intact chain of 0 events): a missing SQLite file, or an empty database, is
    refused unless ``create`` is set, which only ``db upgrade``, ``seed-demo`` and the
    window's first start do (``central init`` upgrades an empty one directly). Another
    program's database is refused whatever the caller, ``upgrade`` included.
    Every failure (a folder, a file that is not SQLite, an unknown or unreachable URL, a
    database that is not a station's) comes back as one ``ConfigError`` naming the problem.
    """
    return connect_recognised(value, create=create)[0]


def connect_recognised(value: str | None, *, create: bool = False) -> tuple[Engine, Recognition]:
    """``connect_database``, also saying what the database was found to be."""
    url = resolve_db_url(value)
    path = sqlite_file(url)
    recognition: Recognition | None = None
    if path is not None:
        _check_file_name(path)
        if path.is_dir():
            raise ConfigError(f"{path} is a folder, not a database file.",
                              next_step="Give the path of the station's .sqlite file.")
        if not path.exists():
            if not create:
                raise ConfigError(f"There is no station database at {path}.",
                                  next_step="Check --db (or RMA_STATION_DB) for a typo; "
                                  "`rma-station db upgrade --db PATH` creates a new one.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"Cannot create the folder {path.parent} ({exc.strerror or exc}).") from exc
            recognition = Recognition(Kind.EMPTY, "a new file")
        else:
            try:
                recognition = marker.recognise_file(path)
            except (sqlite3.Error, OSError) as exc:
                raise database_error(exc, url) from None
            _check_recognised(recognition, url, create=create)  # before the engine switches it to WAL
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"{_shown(url)} is not a database the station can use ({exc}).",
                          next_step=_URL_HINT) from None
    try:
        with engine.connect() as conn:
            if recognition is None:
                recognition = marker.recognise(conn.execution_options(**READ_ONLY))
            conn.rollback()
    except DBAPIError as exc:
        engine.dispose()
        raise database_error(exc, url) from None
    try:
        _check_recognised(recognition, url, create=create)
    except ConfigError:
        engine.dispose()
        raise
    return engine, recognition


def _check_recognised(recognition: Recognition, url: str, *, create: bool) -> None:
    if recognition.kind is Kind.FOREIGN:
        raise _foreign(recognition, url)
    if recognition.kind is Kind.EMPTY and not create:
        raise NotAStationDatabase(
            f"{_shown(url)} is not a station database: {recognition.evidence}. Nothing was created in it.",
            next_step="Check --db (or RMA_STATION_DB) for a typo; `rma-station db upgrade --db ...` makes an "
                      "empty database a station's.")
    if recognition.revision is not None and recognition.is_station \
            and recognition.revision not in marker.station_revisions():
        raise NotAStationDatabase(
            f"{_shown(url)} was upgraded by a newer rma-station (schema {recognition.revision}; this one "
            f"knows up to {SCHEMA_HEAD}). Nothing was changed.",
            next_step="Install the rma-station release that upgraded it.")


def _foreign(recognition: Recognition, url: str) -> NotAStationDatabase:
    return NotAStationDatabase(
        f"{_shown(url)} is not a station database: {recognition.evidence}. Nothing was created in it.",
        next_step="Check --db (or RMA_STATION_DB); a station database goes in a new file or an empty database.")


def open_database(
    url: str | None = None, *, migrate: bool = True, create: bool = False
) -> tuple[Engine, sessionmaker[Session]]:
    """Open (and by default upgrade) the station database named by ``url`` or the defaults.

    ``create`` lets a missing SQLite file become a new database; see ``connect_database``.
    This opens the database only: a face that writes as this station opens it with
    ``station.core.opening.open_station``, which also checks whose database it is.
    """
    engine, recognition = connect_recognised(url, create=create)
    try:
        if migrate:
            bring_up_to_date(engine, recognition)
        else:
            require_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine, make_session_factory(engine)


def bring_up_to_date(engine: Engine, recognition: Recognition) -> None:
    """Upgrade the schema if it is behind; an unmarked station database (made before the
    mark) is marked by the same upgrade."""
    if recognition.kind is not Kind.STATION or stored_revision(engine) != SCHEMA_HEAD:
        upgrade(engine)


def require_current(engine: Engine) -> None:
    """Refuse a schema that is behind, for a command that must not change the database."""
    if current_revision(engine) != head_revision():
        raise ConfigError(
            "The database schema is out of date.", next_step="Run `rma-station db upgrade`."
        )


def has_tables(engine: Engine) -> bool:
    return inspect(engine).has_table("rmas")
