"""Settings and station identity for the command line, with the same rules as the window.

Each refused setting becomes one warning line on stderr (key, what is wrong, the default used
for that key only), printed once per process. Commands that write records ask for
``writing_context``: it refuses (exit 2 through ``StationError``) when the station's id or
number cannot be read, or when the database belongs to another station, instead of
writing under ``DOCK01``/1.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session, sessionmaker

from station.core.context import StationContext
from station.core.identity import StationIdentity, bind, identity_from
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
        if settings.identity_problem:
            print(f"rma-station: warning: {path}: {settings.identity_problem} Commands that write "
                  "records refuse to run until it is fixed.", file=sys.stderr)
        _loaded[key] = settings
    return _loaded[key]


def writing_identity(args: argparse.Namespace, session_factory: sessionmaker[Session]) -> StationIdentity:
    """This station's identity, checked against the database's (bound on first use)."""
    identity = identity_from(cli_settings(), getattr(args, "station_id", None))
    return bind(session_factory, identity)


def writing_context(args: argparse.Namespace, session_factory: sessionmaker[Session]) -> StationContext:
    identity = writing_identity(args, session_factory)
    return StationContext(session_factory, station_id=identity.id, station_no=identity.number)


def reading_station_id(args: argparse.Namespace) -> str:
    """The station id for a read-only command's headings (never refused: nothing is written)."""
    settings = cli_settings()
    if getattr(args, "station_id", None):
        return str(args.station_id)
    return "(station unknown)" if settings.identity_problem else str(settings.get("station.id"))
