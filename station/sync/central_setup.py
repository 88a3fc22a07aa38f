"""``rma-station central init``: bring a central database up to the newest schema.

Two Alembic histories run in order on one connection: the station schema (the same scripts
every station runs, so central and stations never drift) and the central-only tables
(ledger, conflicts, photo blobs, change feed) with their own version table.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect

from station.core.db import current_revision, head_revision, upgrade
from station.core.errors import ConfigError
from station.sync.central_schema import VERSION_TABLE
from station.sync.identity import renew_if_moved

log = logging.getLogger(__name__)

CENTRAL_MIGRATIONS = Path(__file__).with_name("central_migrations")


def _config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


@dataclass(frozen=True)
class CentralSchema:
    station_revision: str | None
    central_revision: str | None
    renewed_identity: uuid.UUID | None = None
    """Set when ``init_central`` gave a database restored on another server a new identity."""

    @property
    def up_to_date(self) -> bool:
        return self.station_revision == head_revision() and self.central_revision == central_head()


def central_head() -> str:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    head = ScriptDirectory.from_config(_config(create_engine("sqlite://"))).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise ConfigError("No central migrations are installed.")
    return head


def central_schema(engine: Engine) -> CentralSchema:
    """Which revisions the central database is at (``None`` where never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        central = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()
    return CentralSchema(current_revision(engine), central)


def init_central(engine: Engine) -> CentralSchema:
    """Create or upgrade the central schema; safe to run again (each step is versioned).

    A database restored on another server gets a new identity here, so stations refuse it
    until they start over (their cursors hold the old server's transaction ids)."""
    from alembic import command

    if engine.dialect.name != "postgresql":
        log.warning("central database on %s: only PostgreSQL is supported", engine.dialect.name)
    upgrade(engine)
    cfg = _config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        renewed = renew_if_moved(conn) if engine.dialect.name == "postgresql" else None
    schema = replace(central_schema(engine), renewed_identity=renewed)
    log.info("central database at station %s / central %s", schema.station_revision, schema.central_revision)
    return schema


def require_central_schema(engine: Engine) -> None:
    """Refuse to sync against a database that was never set up, or whose records are shaped
    by another schema revision than this station's (clear words, not a stack trace).

    Rows travel in their stored form (``station.sync.pull_rows``): since 0015 an amount is an
    integer of hundredths, so a station and a central one revision apart would read each
    other's amounts a hundred times off. Central is upgraded first (``central init``), then
    each station (``db upgrade``)."""
    if not inspect(engine).has_table("sync_applied_events"):
        raise ConfigError("The central database is not set up for sync.",
                          next_step="Run `rma-station central init --url URL` once.")
    theirs, ours = current_revision(engine), head_revision()
    if theirs != ours:
        central_older = theirs is None or _known(theirs)
        raise ConfigError(
            f"The central database's records are at schema {theirs}, this station's at {ours}; "
            "nothing was synced.",
            next_step="Run `rma-station central init --url URL` to upgrade central." if central_older
            else "Upgrade this station's rma-station and run `rma-station db upgrade`.")


def _known(revision: str) -> bool:
    """A revision this code ships (an older central); else central runs newer code."""
    from alembic.script import ScriptDirectory

    from station.core.db import alembic_config

    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises its own errors for a revision it does not know
        return False
