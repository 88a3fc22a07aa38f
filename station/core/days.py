"""Days and time zones as people type them: one strict reading for every command and import.

``date.fromisoformat`` accepts far more than YYYY-MM-DD since Python 3.11 (``2026-W01-1``,
``20260105``) and any year up to 9999, so a week number or a typo in a sales export became a
real day in the wrong year. Here a day is exactly YYYY-MM-DD in a plausible range.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from station.core.errors import InvalidInput

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
"""Returns and sales outside these years are typing mistakes, not history."""


def parse_day(text: str, what: str = "date", *, latest: dt.date | None = None) -> dt.date:
    """``text`` as a day; ``InvalidInput`` names ``what`` and the expected form otherwise."""
    text = text.strip()
    if not _DAY.fullmatch(text):
        raise InvalidInput(f"{what} {text[:40]!r} is not a date; use YYYY-MM-DD.")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a day of the calendar.") from None
    upper = min(LATEST, latest) if latest else LATEST
    if not EARLIEST <= day <= upper:
        raise InvalidInput(f"{what} {text} is out of range ({EARLIEST} to {upper}).")
    return day


def check_time_zone(name: str) -> str:
    """An IANA time zone name such as ``Asia/Shanghai`` or ``UTC``, or ``InvalidInput``."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name[:60]!r} is not a time zone; use a name like UTC, Europe/Berlin "
                           "or Asia/Shanghai.") from None
    return name
