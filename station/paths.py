"""Where the station keeps its files on this machine (platformdirs, one place to change)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "rma-station"


def data_dir() -> Path:
    """Database, photo store, print spool. ``RMA_STATION_HOME`` moves all of it (tests, kiosks)."""
    home = os.environ.get("RMA_STATION_HOME")
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


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
