"""Where the station keeps its files on this machine (platformdirs, one place to change)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "rma-station"

SHIPPED_DATA = Path(__file__).resolve().parents[1] / "data"
"""The data files shipped with the station (policy, checklists, rules, reason codes)."""

SHIPPED_CHECKLISTS = SHIPPED_DATA / "checklists"
"""One QC checklist per product category, named ``<category>.toml``."""

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
"""The station database's Alembic scripts."""


def data_dir() -> Path:
    """Database, photo store, print spool. ``RMA_STATION_HOME`` moves all of it (tests, kiosks)."""
    home = os.environ.get("RMA_STATION_HOME")
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_file(value: str | None = None) -> Path | None:
    """The SQLite file that ``--db`` / ``RMA_STATION_DB`` / the default names; None when they
    give a URL. ``station.core.db.resolve_db_url`` makes the SQLAlchemy URL of it; this answer needs
    no SQLAlchemy, so the window can tell a brand-new station before loading it."""
    value = value or os.environ.get("RMA_STATION_DB")
    if not value:
        return data_dir() / "station.sqlite"
    if "://" in value:
        return None
    return Path(value).expanduser().resolve()


def config_dir() -> Path:
    """Settings and overrides of shipped templates, rules and policy."""
    home = os.environ.get("RMA_STATION_HOME")
    path = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
