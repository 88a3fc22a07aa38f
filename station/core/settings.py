"""Station settings: every option declared once, typed, stored as versioned TOML.

``OPTIONS`` is the single declaration (name, type, default, one-line description); the
settings dialog, the loader and the docs all read it. The file lives at
``<config dir>/settings.toml`` and carries ``schema_version``; each bump of
``SCHEMA_VERSION`` adds one function to ``UPGRADES`` that turns a version-N table into a
version-N+1 table, so stations in the field keep their settings across releases.

One bad value is refused alone: ``load_settings`` keeps every valid value, uses the default
for each refused key only, and returns a ``ConfigError`` naming each refused key, its value
and why (the window shows it as a banner, the CLI as one warning line per key). The
station's identity is the exception: ``station.id`` and ``station.number`` are stamped on
every record and LPN, so a default in their place would make this station impersonate
another. When either is invalid, or the file cannot be read at all, ``Settings`` carries an
``identity_problem`` and ``station.core.identity.identity_from`` refuses to start instead of
falling back to ``DOCK01``/1. A file written by a newer station is not overwritten.

The central database password is never stored here: ``central_db_url`` holds a URL without
password; ``central_url_with_secret`` adds the password from ``RMA_CENTRAL_PASSWORD`` or
the OS keyring.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from station.core import paths
from station.core.errors import ConfigError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.toml"
LABEL_KINDS = ("lpn", "disposition", "relabel", "sheet")
LANGUAGES = ("en", "zh_CN")
KEYRING_SERVICE = "rma-station"
CAMERA_RESOLUTIONS = ("640x480", "1280x720", "1920x1080")
#: Keys that may confirm a camera-identified parcel: F1-F12 all have jobs on the dock, so a
#: foot switch is programmed to F13-F24 or Pause.
CONFIRM_KEYS = ("Return", "Enter", "Pause", *(f"F{n}" for n in range(13, 25)))


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
    unit: str = ""  # said after the range in a refusal ("between 1 and 30 frames")

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.name.split(".", 1)[1]


OPTIONS: tuple[Option, ...] = (
    Option("station.id", str, "DOCK01",
           "This station's id, stamped on every record it writes (change: rma-station station rename)."),
    Option("station.number", int, 1,
           "Station number 0-999, part of every LPN it prints (change: rma-station station rename).",
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
    Option("scanning.formats_file", str, "",
           "Scan formats file (command prefix, badges, carriers, bins); empty: the shipped one."),
    Option("camera.uri", str, "", "Camera for photos and preview, e.g. camera://0 (empty: none)."),
    Option("camera.arrivals", bool, False,
           "Identify parcels set down under the camera (hands-free receiving; needs camera.uri)."),
    Option("camera.region", str, "",
           "Part of the frame the camera watches for parcels: X,Y,W,H as fractions (empty: all of it)."),
    Option("camera.resolution", str, "1920x1080", "Resolution asked of the dock camera.",
           choices=CAMERA_RESOLUTIONS),
    Option("camera.confirm_key", str, "Return",
           "Key that receives the identified parcel: Return, Enter, or a foot switch's F13-F24 or Pause."),
    # The arrival watcher's thresholds (drivers/arrival_settings.py holds the same ranges; a
    # test checks they agree). Tune them with ``rma-station decode-video --explain``.
    Option("camera.presence_percent", float, 0.4,
           "Percent of the watched area that must differ from the empty table for a parcel to be present.",
           minimum=0.05, maximum=20.0, unit="%"),
    Option("camera.motion_percent", float, 0.2,
           "Percent of the watched area changing between two frames that still counts as motion.",
           minimum=0.01, maximum=10.0, unit="%"),
    Option("camera.settle_frames", int, 2, "Still frames in a row before a parcel is read.",
           minimum=1, maximum=30, unit="frames"),
    Option("camera.empty_frames", int, 3, "Empty frames in a row before a parcel has left.",
           minimum=1, maximum=60, unit="frames"),
    Option("camera.reads", int, 3, "Frames read each time a parcel comes to rest.",
           minimum=1, maximum=10, unit="frames"),
    Option("camera.retries", int, 6,
           "Further frames read while a parcel rests unidentified with a label seen but not read.",
           minimum=0, maximum=30, unit="frames"),
    Option("camera.retry_every", int, 5, "Frames between two further reads of a resting parcel.",
           minimum=1, maximum=60, unit="frames"),
    Option("printers.lpn", str, "", "Printer URI for LPN labels "
           "(empty: PDF files in the data folder's labels/lpn)."),
    Option("printers.disposition", str, "", "Printer URI for disposition labels and RTV carton labels "
           "(empty: PDF files in the data folder's labels/disposition)."),
    Option("printers.relabel", str, "", "Printer URI for relabel labels "
           "(empty: PDF files in the data folder's labels/relabel)."),
    Option("printers.sheet", str, "", "Printer URI for A4/Letter sheets and RTV packing lists "
           "(empty: PDF files in the data folder's labels/sheet)."),
    Option("dock.address", str, "",
           "The dock's ship-to address on customers' return labels: one line per row (newlines or ';')."),
    Option("central.db_url", str, "",
           "Central database URL without password (password: RMA_CENTRAL_PASSWORD or keyring)."),
    Option("scale.uri", str, "",
           "Parcel scale, e.g. serial:///dev/ttyUSB0?baud=9600&mode=continuous (empty: weight typed)."),
)
OPTION_BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}
IDENTITY_KEYS = ("station.id", "station.number")
#: Any printable text up to 64 characters (the records' ``station_id`` columns hold 64);
#: stations in the field may already use spaces or Chinese, so nothing stricter.
_STATION_ID = re.compile(r"[^\x00-\x1f\x7f]{1,64}")

#: ``UPGRADES[n]`` turns a version-``n`` table into a version-``n+1`` table.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class Refused:
    """One value from the file that was not used: its key, the value as written, and why."""

    name: str
    value: Any
    reason: str

    def words(self) -> str:
        option = OPTION_BY_NAME[self.name]
        return (f"{self.name} = {_shown(self.value)} refused: {self.reason} "
                f"The default {option.default!r} is used for {self.name} only.")


_URL_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


def _shown(value: Any) -> str:
    """``value`` for a message, with any password inside a URL masked: the banner, the log and
    the terminal must not repeat the secret the key was refused for."""
    return _URL_PASSWORD.sub(r"\1***@", repr(value))


@dataclass(frozen=True)
class Settings:
    """The station's settings as one frozen value; ``get``/``replace`` by dotted name.

    ``refused`` lists the file's values that were not used (each key got its default);
    ``identity_problem`` says why ``station.id``/``station.number`` cannot be trusted ("" when
    they can), in which case nothing may write records under them.
    """

    values: Mapping[str, Any] = field(default_factory=lambda: {o.name: o.default for o in OPTIONS})
    refused: tuple[Refused, ...] = ()
    identity_problem: str = ""

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
        problem = self.identity_problem if not set(IDENTITY_KEYS) & set(changes) else ""
        return Settings(new, identity_problem=problem)

    def printer_for(self, kind: str) -> str:
        return str(self.values[f"printers.{kind}"])


def defaults() -> Settings:
    return Settings()


def settings_path(directory: Path | None = None) -> Path:
    return (directory or paths.config_dir()) / FILE_NAME


def load_settings(path: Path | None = None) -> tuple[Settings, ConfigError | None]:
    """The settings in ``path`` (default: the config dir), and what was refused in it.

    Unknown keys are ignored with a log line (a newer minor release may have added them). A
    value of the wrong type or out of range is refused alone: its key gets the default and
    the returned ``ConfigError`` names it; every other valid value is kept. A file that
    cannot be read at all gives the defaults with ``identity_problem`` set, because then
    this station's id and number are unknown.
    """
    path = path or settings_path()
    if not path.exists():
        return defaults(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        reason = f"The settings file {path} cannot be read: {exc}."
        unreadable = ConfigError(reason, next_step="The station's id and number are unknown; fix the file.")
        log.info("%s", unreadable)
        return Settings(identity_problem=reason), unreadable
    settings = _from_table(path, data)
    error = _refusals_error(path, settings)
    if error is not None:
        log.info("%s", error)  # shown by the window's banner / the CLI's warning lines
    return settings, error


def _refusals_error(path: Path, settings: Settings) -> ConfigError | None:
    lines = [r.words() for r in settings.refused]
    if settings.identity_problem:
        lines.insert(0, settings.identity_problem)
    if not lines:
        return None
    return ConfigError(f"{path}: " + " ".join(lines),
                       next_step="Every other setting in the file is in use; fix the file or save the "
                                 "settings dialog.")


def _from_table(path: Path, data: dict[str, Any]) -> Settings:
    values = {o.name: o.default for o in OPTIONS}
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return Settings(values, identity_problem=f"schema_version must be a positive whole number, "
                                                 f"not {version!r}.")
    if version > SCHEMA_VERSION:
        # Keys may mean something else in a newer version: only the identity is read, so a
        # rolled-back station keeps its id and number; everything else is the default.
        log.warning("%s was written by a newer station (settings version %d; this one knows up to %d); "
                    "only station.id and station.number are read from it", path, version, SCHEMA_VERSION)
        data = {"station": data.get("station", {})}
    else:
        while version < SCHEMA_VERSION:
            data = UPGRADES[version](data)
            version += 1
            log.info("settings upgraded to version %d", version)
    refused: list[Refused] = []
    identity_problem = ""
    for section, table in data.items():
        if section == "schema_version":
            continue
        if not isinstance(table, dict):
            if section == "station":
                identity_problem = f"[station] must be a table, not {table!r}."
            else:
                log.warning("%s: [%s] is not a table; its settings keep their defaults", path, section)
            continue
        for key, value in table.items():
            name = f"{section}.{key}"
            option = OPTION_BY_NAME.get(name)
            if option is None:
                log.info("unknown setting %s in %s ignored", name, path)
                continue
            try:
                values[name] = _coerce(option, value)
            except ConfigError as exc:
                if name in IDENTITY_KEYS:
                    identity_problem = (identity_problem + " " if identity_problem else "") + \
                        f"{name} = {_shown(value)} cannot be used: {exc.message}"
                else:
                    refused.append(Refused(name, value, exc.message))
    return Settings(values, tuple(refused), identity_problem)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings (atomically: a crash leaves the old file or the new one).

    Settings whose identity could not be read are never written: that would put the default
    ``DOCK01``/1 into the file and turn a refusal into a silent change of station."""
    path = path or settings_path()
    if settings.identity_problem:
        raise ConfigError(f"The settings are not saved: {settings.identity_problem}",
                          next_step=f"Fix station.id and station.number in {path} first.")
    table: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for option in OPTIONS:
        table.setdefault(option.section, {})[option.key] = settings.values[option.name]
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_bytes(tomli_w.dumps(table).encode("utf-8"))
    os.replace(tmp, path)
    return path


def save_identity(station_id: str, number: int, path: Path | None = None) -> Path:
    """Write ``station.id``/``station.number`` into the file, every other line's value as it was.

    Used by ``station rename`` after the database took the new identity; refused values and
    unknown keys elsewhere in the file stay for the admin to see and fix.
    """
    path = path or settings_path()
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault("schema_version", SCHEMA_VERSION)
    station = data.get("station")
    data["station"] = dict(station) if isinstance(station, dict) else {}
    data["station"].update({"id": check_value("station.id", station_id),
                            "number": check_value("station.number", number)})
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    os.replace(tmp, path)
    return path


def check_value(name: str, value: Any) -> Any:
    """``value`` as setting ``name`` would hold it; ``ConfigError`` saying why not."""
    return _coerce(OPTION_BY_NAME[name], value)


def _coerce(option: Option, value: Any) -> Any:
    expected = option.type
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)  # TOML writes 1 for 1.0
    if expected in (int, float) and isinstance(value, bool) or not isinstance(value, expected):
        raise ConfigError(f"{option.name} must be {_type_words(expected)}, not {value!r}.")
    if expected is float and value != value:
        raise ConfigError(f"{option.name} must be a number, not nan.")
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
        unit = f" {option.unit}" if option.unit else ""
        raise ConfigError(f"{option.name} must be between {option.minimum:g} and {option.maximum:g}{unit}.")
    if option.name == "central.db_url" and value:
        value = _check_central_url(value)
    if option.name == "camera.region" and value:
        value = _check_region(value)
    if option.name == "camera.confirm_key" and value not in CONFIRM_KEYS:
        raise ConfigError(f"camera.confirm_key must be one of {', '.join(CONFIRM_KEYS)}.")
    if option.name == "station.id" and not _STATION_ID.fullmatch(value):
        raise ConfigError("station.id must be 1 to 64 characters of text, without control characters.")
    return value


def _check_region(value: str) -> str:
    """``X,Y,W,H`` fractions of the frame that lie inside it (the watched part of the table)."""
    try:
        x, y, w, h = (float(v) for v in value.split(","))
    except ValueError:
        raise ConfigError("camera.region must be four fractions X,Y,W,H, e.g. 0.1,0,0.8,1.") from None
    if not (0 <= x < 1 and 0 <= y < 1 and 0 < w and 0 < h and x + w <= 1.000001 and y + h <= 1.000001):
        raise ConfigError("camera.region must lie inside the frame: X,Y from 0, X+W and Y+H at most 1.")
    return ",".join(f"{v:g}" for v in (x, y, w, h))


def camera_region(settings: "Settings") -> tuple[float, float, float, float] | None:
    """The watched region as numbers, or None for the whole frame."""
    value = settings.get("camera.region")
    if not value:
        return None
    x, y, w, h = (float(v) for v in value.split(","))
    return (x, y, w, h)


def _type_words(t: type) -> str:
    return {int: "a whole number", float: "a number", bool: "true or false", str: "text",
            list: "a list"}.get(t, t.__name__)


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
