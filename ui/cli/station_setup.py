"""Settings and the station's database for the command line, with the same rules as the window.

Each refused setting becomes one warning line on stderr (key, what is wrong, the default used
for that key only), printed once per process. Every command that uses the station's database
opens it with ``open_context``, which is ``station.core.opening.open_station`` with the
command line's settings and ``--db``/``--station-id``: it refuses (exit 2 through
``StationError``) another program's database, an unreadable station id or number, and a
database bound to another station, before anything is written.
"""

from __future__ import annotations

import argparse
import sys

from station.core.context import StationContext
from station.core.opening import open_station
from station.core.settings import Settings, load_settings, settings_path

_loaded: dict[tuple[str, int], Settings] = {}


def cli_settings() -> Settings:
    """The settings file's values; each refused key is reported on stderr once per version
    of the file."""
    path = settings_path()
    key = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    if key not in _loaded:
        settings, _error = load_settings(path)
        for refused in settings.refused:
            print(f"rma-station: warning: {path}: {refused.words()}", file=sys.stderr)
        _loaded[key] = settings
    return _loaded[key]


def open_context(args: argparse.Namespace, *, writes: bool = True) -> StationContext:
    """The database of ``--db`` as this station, identity checked (``open_station``).

    ``writes=False`` for a command that only reads: the same checks, but the schema is not
    upgraded and an unbound database is not bound."""
    return open_station(getattr(args, "db", None), cli_settings(), station_id=getattr(args, "station_id", None),
                        writes=writes)
