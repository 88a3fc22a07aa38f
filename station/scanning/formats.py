"""The scan formats file (``station/data/scan_formats.toml``): loaded once, checked early.

A broken formats file is a configuration error found at start-up with the file and the
bad entry named, not a crash on the first scan at the dock.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from station.core.errors import ConfigError
from station.core.paths import SHIPPED_DATA

log = logging.getLogger(__name__)

DEFAULT_FORMATS_FILE = SHIPPED_DATA / "scan_formats.toml"


@dataclass(frozen=True)
class TrackingFormat:
    carrier: str
    pattern: re.Pattern[str]
    check: str  # "ups", "s10" or ""


@dataclass(frozen=True)
class BinFormat:
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ScanFormats:
    max_length: int
    rma_enabled: bool
    rma_prefix: str
    lpn_enabled: bool
    lpn_prefix: str
    badge: re.Pattern[str]
    command_prefix: str
    commands: frozenset[str]
    bins: tuple[BinFormat, ...]
    tracking: tuple[TrackingFormat, ...]


def _compile(pattern: object, where: str, path: Path) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise ConfigError(f"Scan formats file {path}: bad pattern in {where}: {exc}.") from exc


def load_scan_formats(path: str | Path | None = None) -> ScanFormats:
    """Read the formats file (``path`` overrides the shipped default)."""
    path = Path(path) if path else DEFAULT_FORMATS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Scan formats file {path} cannot be read: {exc}.") from exc
    try:
        tracking = []
        for i, t in enumerate(data.get("tracking", [])):
            check = str(t.get("check", ""))
            if check not in ("", "ups", "s10"):
                raise ConfigError(f"Scan formats file {path}: tracking #{i + 1} has unknown check {check!r}.")
            tracking.append(TrackingFormat(str(t["carrier"]), _compile(t["pattern"], f"tracking #{i + 1}", path), check))
        return ScanFormats(
            max_length=int(data.get("max_length", 512)),
            rma_enabled=bool(data.get("rma", {}).get("enabled", True)),
            rma_prefix=str(data.get("rma", {}).get("prefix", "RMA")),
            lpn_enabled=bool(data.get("lpn", {}).get("enabled", True)),
            lpn_prefix=str(data.get("lpn", {}).get("prefix", "LP")),
            badge=_compile(data.get("badge", {}).get("pattern", r"^EMP\d{4,8}$"), "badge", path),
            command_prefix=str(data.get("command", {}).get("prefix", "CMD:")),
            commands=frozenset(str(n).upper() for n in data.get("command", {}).get("names", [])),
            bins=tuple(
                BinFormat(str(b.get("name", f"bin #{i + 1}")), _compile(b["pattern"], f"bin #{i + 1}", path))
                for i, b in enumerate(data.get("bin", []))
            ),
            tracking=tuple(tracking),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"Scan formats file {path} has a missing or wrong entry: {exc}.") from exc
