"""Station settings: every option declared once, typed, stored as versioned TOML.

``OPTIONS`` is the single declaration (name, type, default, one-line description); the
settings dialog, the loader and the docs all read it. The file lives at
``<config dir>/settings.toml`` and carries ``schema_version``; each bump of
``SCHEMA_VERSION`` adds one function to ``UPGRADES`` that turns a version-N table into a
version-N+1 table, so stations in the field keep their settings across releases.

A bad file never stops the station: ``load_settings`` returns the defaults together with a
``ConfigError`` that says which file, which option and what is wrong, and the window shows it.
A file written by a newer station is not overwritten.

The central database password is never stored here: ``central_db_url`` holds a URL without
password; ``central_url_with_secret`` adds the password from ``RMA_CENTRAL_PASSWORD`` or
the OS keyring.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from station import paths
from station.errors import ConfigError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.toml"
LABEL_KINDS = ("lpn", "disposition", "relabel", "sheet")
LANGUAGES = ("en", "zh_CN")
KEYRING_SERVICE = "rma-station"


@dataclass(frozen=True)
class Option:
    """One setting: dotted name (``section.key``), Python type, default, description."""

    name: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


OPTIONS: tuple[Option, ...] = (
    Option("station.id", str, "DOCK01", "This station's id, stamped on every record it writes."),
    Option("station.number", int, 1, "Station number 0-999, part of every LPN it prints.",
           minimum=0, maximum=999),
    Option("ui.language", str, "en", "Language of the window: en or zh_CN.", choices=LANGUAGES),
    Option("ui.sounds", bool, True, "Play a sound for every scan result."),
    Option("ui.idle_lock_minutes", int, 5, "Lock the station after this many idle minutes (0: never).",
           minimum=0, maximum=240),
    Option("ui.font_size", int, 15, "Base font size in points (readable at arm's length).",
           minimum=9, maximum=32),
    Option("scanners.sources", list, ["wedge:"],
           "Scanner URIs: wedge:, serial:///dev/ttyACM0?baud=9600, camera://0."),
    Option("scanners.wedge_max_gap_ms", int, 20,
           "Keys closer than this many ms belong to one wedge scan.", minimum=5, maximum=60),
    Option("scanners.wedge_min_length", int, 4, "Shortest wedge burst taken as a scan.",
           minimum=1, maximum=64),
    Option("scanners.wedge_prefix", str, "", "Prefix the wedge scanner is programmed to send."),
    Option("scanners.wedge_suffix", str, "", "Suffix the wedge scanner sends before its Enter."),
    Option("camera.uri", str, "", "Camera for photos and preview, e.g. camera://0 (empty: none)."),
    Option("printers.lpn", str, "", "Printer URI for LPN labels (empty: print queue only)."),
    Option("printers.disposition", str, "", "Printer URI for disposition labels."),
    Option("printers.relabel", str, "", "Printer URI for relabel labels."),
    Option("printers.sheet", str, "", "Printer URI for A4/Letter sheets."),
    Option("central.db_url", str, "",
           "Central database URL without password (password: RMA_CENTRAL_PASSWORD or keyring)."),
    Option("scale.uri", str, "",
           "Parcel scale, e.g. serial:///dev/ttyUSB0?baud=9600&mode=continuous (empty: weight typed)."),
)
OPTION_BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}

#: ``UPGRADES[n]`` turns a version-``n`` table into a version-``n+1`` table.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class Settings:
    """The station's settings as one frozen value; ``get``/``replace`` by dotted name."""

    values: Mapping[str, Any] = field(default_factory=lambda: {o.name: o.default for o in OPTIONS})

    def get(self, name: str) -> Any:
        return self.values[OPTION_BY_NAME[name].name]

    def replace(self, **changes: Any) -> Settings:
        """``settings.replace(**{"ui.language": "zh_CN"})``: a checked copy."""
        new = dict(self.values)
        for name, value in changes.items():
            option = OPTION_BY_NAME.get(name)
            if option is None:
                raise ConfigError(f"There is no setting called {name}.")
            new[name] = _coerce(option, value)
        return Settings(new)

    def printer_for(self, kind: str) -> str:
        return str(self.values[f"printers.{kind}"])


def defaults() -> Settings:
    return Settings()


def settings_path(directory: Path | None = None) -> Path:
    return (directory or paths.config_dir()) / FILE_NAME


def load_settings(path: Path | None = None) -> tuple[Settings, ConfigError | None]:
    """The settings in ``path`` (default: the config dir), or the defaults and why not.

    Unknown keys are ignored with a log line (a newer minor release may have added them);
    a wrong type, a value out of range or an unreadable file gives the defaults for the
    whole file, never half a configuration.
    """
    path = path or settings_path()
    if not path.exists():
        return defaults(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Settings(_from_table(path, data)), None
    except ConfigError as exc:
        log.warning("settings file %s not used: %s", path, exc)
        return defaults(), exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        error = ConfigError(f"The settings file {path} cannot be read: {exc}.",
                            next_step="Defaults are in use; fix or delete the file.")
        log.warning("%s", error)
        return defaults(), error


def _from_table(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise ConfigError(f"{path}: schema_version must be a positive whole number.",
                          next_step="Defaults are in use; fix or delete the file.")
    if version > SCHEMA_VERSION:
        raise ConfigError(
            f"{path} was written by a newer station (settings version {version}; this one "
            f"knows up to {SCHEMA_VERSION}).",
            next_step="Defaults are in use; the file is left as it is.",
        )
    while version < SCHEMA_VERSION:
        data = UPGRADES[version](data)
        version += 1
        log.info("settings upgraded to version %d", version)
    values = {o.name: o.default for o in OPTIONS}
    for section, table in data.items():
        if section == "schema_version":
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table.",
                              next_step="Defaults are in use; fix or delete the file.")
        for key, value in table.items():
            name = f"{section}.{key}"
            option = OPTION_BY_NAME.get(name)
            if option is None:
                log.info("unknown setting %s in %s ignored", name, path)
                continue
            try:
                values[name] = _coerce(option, value)
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc.message}",
                                  next_step="Defaults are in use; fix or delete the file.") from exc
    return values


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings (atomically: a crash leaves the old file or the new one)."""
    path = path or settings_path()
    table: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for option in OPTIONS:
        table.setdefault(option.section, {})[option.key] = settings.values[option.name]
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_bytes(tomli_w.dumps(table).encode("utf-8"))
    os.replace(tmp, path)
    return path


def _coerce(option: Option, value: Any) -> Any:
    expected = option.type
    if expected is int and isinstance(value, bool) or not isinstance(value, expected):
        raise ConfigError(f"{option.name} must be {_type_words(expected)}, not {value!r}.")
    if expected is list:
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{option.name} must be a list of text values.")
        value = [v.strip() for v in value if v.strip()]
    if expected is str:
        value = value.strip()
    if option.choices and value not in option.choices:
        raise ConfigError(f"{option.name} must be one of {', '.join(map(str, option.choices))}.")
    if option.minimum is not None and value < option.minimum or \
            option.maximum is not None and value > option.maximum:
        raise ConfigError(f"{option.name} must be between {option.minimum:g} and {option.maximum:g}.")
    if option.name == "central.db_url" and value:
        value = _check_central_url(value)
    return value


def _type_words(t: type) -> str:
    return {int: "a whole number", bool: "true or false", str: "text", list: "a list"}.get(t, t.__name__)


def _check_central_url(value: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ConfigError(f"central.db_url is not a database URL: {exc}.") from exc
    if url.password:
        raise ConfigError(
            "central.db_url must not contain a password.",
            next_step="Set RMA_CENTRAL_PASSWORD or store it in the OS keyring.",
        )
    return value


def central_url_with_secret(settings: Settings) -> str | None:
    """The central URL with its password from the environment or keyring (never a file)."""
    raw = settings.get("central.db_url")
    if not raw:
        return None
    from sqlalchemy.engine import make_url

    url = make_url(raw)
    password = os.environ.get("RMA_CENTRAL_PASSWORD")
    if password is None and url.username:
        try:
            import keyring

            password = keyring.get_password(KEYRING_SERVICE, f"{url.username}@{url.host}")
        except Exception as exc:  # noqa: BLE001 - no keyring backend is a normal headless case
            log.info("no keyring password for the central database: %s", exc)
    if password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)
