"""argparse types for the commands' options: a bad value is refused while parsing, on one
line that names the option, before any database is opened or file written. The rules
themselves live in station/; these only adapt them to argparse."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Callable

from station.core.days import check_time_zone, parse_day
from station.core.errors import StationError


def _adapt(check: Callable[[str], object]) -> Callable[[str], object]:
    def convert(text: str) -> object:
        try:
            return check(text)
        except StationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = check.__name__
    return convert


def day_text(text: str) -> str:
    """A YYYY-MM-DD day, kept as the text (commands that parse periods take strings)."""
    parse_day(text)
    return text.strip()


day = _adapt(parse_day)
day_string = _adapt(day_text)
time_zone = _adapt(check_time_zone)


def positive_int(text: str) -> int:
    """A whole number from 1 up (a batch size, a count of workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    """A number of seconds above zero (an interval, a timeout)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
    return value


def non_negative_int(text: str) -> int:
    """A whole number from 0 up (a cursor, an offset)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def non_negative_float(text: str) -> float:
    """A number of milliseconds or seconds from 0 up (a time budget)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def port(text: str) -> int:
    """A TCP port, 1-65535."""
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, not {value}")
    return value


def event_id(text: str) -> uuid.UUID:
    """An event's id as printed by ``webhooks dead-letters`` (a UUID)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:60]!r} is not an event id (a UUID)") from None
