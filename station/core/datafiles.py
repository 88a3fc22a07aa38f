"""Reading the station's TOML data files (checklists, disposition rules, reason codes).

A site edits these files by hand, so a mistake must come back as the file, the line and what
is wrong in plain words. ``tomllib`` gives a line only for syntax errors; for everything found
later (an unknown field, a duplicate id) we look the key up in the text ourselves.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.errors import ConfigError

log = logging.getLogger(__name__)

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]?\]")


@dataclass(frozen=True)
class TomlDoc:
    """A parsed TOML file with its text kept, so later checks can point at a line."""

    path: Path
    text: str
    data: dict[str, Any]

    def error(self, message: str, line: int | None = None) -> ConfigError:
        return config_error(self.path, message, line)

    def line_of_table(self, name: str, index: int) -> int | None:
        """Line of the ``index``-th (0-based) ``[[name]]`` header."""
        seen = -1
        for no, line in enumerate(self.text.splitlines(), start=1):
            match = _HEADER.match(line)
            if match and match.group(1) == name and line.lstrip().startswith("[["):
                seen += 1
                if seen == index:
                    return no
        return None

    def line_of_key(self, key: str, *, table: str | None = None, index: int = 0) -> int | None:
        """Line where ``key =`` is set, inside the ``index``-th ``[[table]]`` if given."""
        lines = self.text.splitlines()
        start = 0
        if table is not None:
            header = self.line_of_table(table, index)
            if header is None:
                return None
            start = header
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
        for no in range(start, len(lines)):
            line = lines[no]
            if no > start and table is not None and _HEADER.match(line):
                break
            if pattern.search(line.split("#", 1)[0]):
                return no + 1
        return start if table is not None else None


def config_error(path: Path | str, message: str, line: int | None = None) -> ConfigError:
    where = f"{path}, line {line}" if line else f"{path}"
    return ConfigError(f"{where}: {message}", next_step="Fix the file; the last good version stays in use.")


def read_toml(path: Path) -> TomlDoc:
    """Parse ``path``; a syntax error names the file and the line tomllib found it on."""
    try:
        text = path.read_text(encoding="utf-8")
    except IsADirectoryError:
        raise config_error(path, "is a folder, not a TOML file.") from None
    except OSError as exc:
        raise config_error(path, f"cannot be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise config_error(path, "is not UTF-8 text.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _AT_LINE.search(message)
        line = int(match.group(1)) if match else None
        plain = _AT_LINE.sub("", message)
        if match:
            plain += f" (column {match.group(2)})"
        raise config_error(path, f"TOML syntax error: {plain}.", line) from exc
    except RecursionError:
        # tomllib recurses once per nesting level; thousands of levels are never a real
        # rules file, and the interpreter's own limit must not become a traceback.
        raise config_error(path, "nests arrays or tables too deeply to be a station data file.") from None
    return TomlDoc(path, text, data)


def check_fields(
    doc: TomlDoc,
    entry: Mapping[str, Any],
    allowed: Iterable[str],
    what: str,
    *,
    table: str | None = None,
    index: int = 0,
) -> None:
    """Refuse a field nobody reads: it is usually a typo that would silently do nothing."""
    allowed = set(allowed)
    for key in entry:
        if key not in allowed:
            raise doc.error(
                f"unknown field {key!r} in {what}; allowed fields are {', '.join(sorted(allowed))}.",
                doc.line_of_key(key, table=table, index=index),
            )


def require_fields(
    doc: TomlDoc,
    entry: Mapping[str, Any],
    required: Iterable[str],
    what: str,
    *,
    table: str | None = None,
    index: int = 0,
) -> None:
    for key in required:
        if key not in entry:
            line = doc.line_of_table(table, index) if table else None
            raise doc.error(f"{what} has no {key!r}.", line)


def bilingual(
    doc: TomlDoc, entry: Mapping[str, Any], what: str, *, table: str | None = None, index: int = 0
) -> tuple[str, str]:
    """The entry's English and Chinese text: both must be present and non-empty."""
    texts = []
    for lang in ("en", "zh"):
        value = entry.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise doc.error(
                f"{what} needs a non-empty {lang!r} text (every question is shown in English and Chinese).",
                doc.line_of_key(lang, table=table, index=index) if lang in entry
                else (doc.line_of_table(table, index) if table else None),
            )
        texts.append(value.strip())
    return texts[0], texts[1]
