"""``policy check FILE``: a policy file's problems with line numbers, before it is used.

Beyond what ``parse_policy`` refuses, it names categories the station does not know (no
checklist, not in the catalogue, not declared non-returnable) and reason codes that are not
in the reason list, each with the line it is on, so an admin's typo is caught before a
customer is refused by it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from station.catalog.reasons import ReasonCodes
from station.core.errors import ConfigError
from station.core.paths import SHIPPED_CHECKLISTS
from station.core.return_policy import PolicyProblems, ReturnPolicy, parse_policy

_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _line_of(text: str, section: str, key: str | None = None, value: str | None = None) -> int:
    current = ""
    for n, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            if key is None and value is None and current == section:
                return n
            continue
        if current != section:
            continue
        match = _KEY.match(line)
        if value is not None and f'"{value}"' in line:
            return n
        if key is not None and match and match.group(1) == key and value is None:
            return n
    return 0


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")
_DOTTED = re.compile(r"\b([a-z_]+(?:\.[a-z_]+)*)\.([A-Za-z0-9_]+)\b")
_SECTION = re.compile(r"\b([a-z_]+(?:\.[a-z_]+)*)\b")


def _value_problem_line(text: str, message: str) -> int:
    """The line a ``parse_policy`` refusal is about: its first ``section.key`` found in the
    file, else the first section it names; 0 when it names none (a missing key)."""
    for match in _DOTTED.finditer(message):
        line = _line_of(text, match.group(1), match.group(2))
        if line:
            return line
    for match in _SECTION.finditer(message):
        line = _line_of(text, match.group(1))
        if line:
            return line
    return 0


def _with_line(source: str, line: int, message: str) -> str:
    return f"{source}:{line}: {message}" if line else f"{source}: {message}"


def check_policy_text(text: str, source: str, reasons: ReasonCodes,
                      categories: Iterable[str]) -> tuple[ReturnPolicy | None, list[str]]:
    """The parsed policy (if it parses) and every problem, as ``FILE:LINE: message``.

    The one check behind ``rma-station policy check FILE`` and the settings dialog's policy
    editor (``station.policy.admin``), so both name the same problems on the same lines.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        return None, [_with_line(source, int(at.group(1)) if at else 0, _TOML_AT.sub("", str(exc)).strip())]
    try:
        policy = parse_policy(data, source)
    except PolicyProblems as exc:
        found = sorted((_value_problem_line(text, m), m) for m in exc.problems)
        return None, [_with_line(source, line, m) for line, m in found]
    except ConfigError as exc:
        message = str(exc).removeprefix(source).lstrip(": ").strip()
        return None, [_with_line(source, _value_problem_line(text, message), message)]
    known = set(categories) | set(policy.non_returnable)
    problems: list[str] = []

    def unknown_category(cat: str, section: str) -> None:
        if cat not in known:
            problems.append(f"{source}:{_line_of(text, section, cat)}: unknown category {cat!r} in "
                            f"[{section}] (known: {', '.join(sorted(known))})")

    def unknown_reason(code: str, section: str) -> None:
        if not reasons.known(code):
            problems.append(f"{source}:{_line_of(text, section, value=code)}: unknown reason {code!r} in "
                            f"[{section}] (known: {', '.join(reasons.codes)})")

    for cat in policy.window_days:
        unknown_category(cat, "window.days")
    for cat in policy.split_by_category:
        unknown_category(cat, "units.split_by_category")
    for cat, allowed in policy.request.reasons_allowed.items():
        unknown_category(cat, "request.reasons_allowed")
        for code in sorted(allowed):
            unknown_reason(code, "request.reasons_allowed")
    for code in sorted(policy.request.photos_required_for):
        unknown_reason(code, "request")
    for code in sorted(policy.merchant_pays_for):
        unknown_reason(code, "return_shipping")
    for code in sorted(policy.fee_exempt_reasons):
        unknown_reason(code, "restocking_fee.reasons_exempt")
    return policy, problems


def check_policy_file(path: Path, reasons: ReasonCodes, categories: Iterable[str]) -> list[str]:
    """``check_policy_text`` on a file's contents, named by its path."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}).") from exc
    return check_policy_text(text, str(path), reasons, categories)[1]


def known_categories(extra: Iterable[str] = ()) -> set[str]:
    """Categories with a QC checklist, plus any given (the catalogue's)."""
    return {p.stem for p in SHIPPED_CHECKLISTS.glob("*.toml")} | set(extra)
