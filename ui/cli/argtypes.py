"""argparse types for the commands' options: a bad value is refused while parsing, on one
line that names the option, before any database is opened or file written. The rules
themselves live in station/; these only adapt them to argparse."""

from __future__ import annotations

import argparse
import codecs
import re
import uuid
from collections.abc import Callable
from pathlib import Path

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


# ASCII digits only. Python's int(), float() and Decimal() also take "１２３" (full-width),
# "١٢٣" (Arabic-Indic) and "1_000": a port or a station number typed in another script would
# be taken as a number nobody meant. One pattern each, used for every number the command
# line reads (tests/ui/test_cli_refusals.py fails on an option parsed with int or float).
_WHOLE = re.compile(r"-?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+", re.ASCII)
COUNT_MAX = 2**31 - 1
"""The largest count any option takes (rows, events, copies, a seed): beyond it a database
LIMIT or a loop would fail, and nobody means it."""
SECONDS_MAX = 1e9
"""The largest time any option takes (about 31 years; a sleep beyond it overflows)."""


def _shown(text: str) -> str:
    return repr(text[:40] + ("..." if len(text) > 40 else ""))


def whole_number(text: str, *, least: int = 0, most: int = COUNT_MAX) -> int:
    """``text`` as a whole number from ``least`` to ``most``, written in digits 0-9."""
    if not _WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a whole number (digits 0-9)")
    value = int(text)
    if value < least:
        raise argparse.ArgumentTypeError(
            f"must be at least {least}, not {value}" if least else f"must be 0 or more, not {value}")
    if value > most:
        raise argparse.ArgumentTypeError(f"must be at most {most}, not {_shown(text.strip())[1:-1]}")
    return value


def decimal_number(text: str) -> float:
    """``text`` as a number written in digits 0-9 with an optional point ("0.5", "12");
    ``ValueError`` otherwise (no exponent, infinity or NaN either)."""
    if not _DECIMAL.fullmatch(text.strip()):
        raise ValueError(f"{_shown(text)} is not a number (digits 0-9, a point for a fraction)")
    return float(text)


def _seconds(text: str, *, zero_ok: bool) -> float:
    try:
        value = decimal_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value < 0 or (value == 0 and not zero_ok):
        raise argparse.ArgumentTypeError(f"must be {'0 or more' if zero_ok else 'above 0'}, not {text.strip()}")
    if value > SECONDS_MAX:
        raise argparse.ArgumentTypeError(f"must be at most {SECONDS_MAX:.0f}, not {_shown(text.strip())[1:-1]}")
    return value


def positive_int(text: str) -> int:
    """A whole number from 1 up (a batch size, a count of workers, a limit of rows)."""
    return whole_number(text, least=1)


def non_negative_int(text: str) -> int:
    """A whole number from 0 up (a cursor, an offset, a seed; 0 meaning "off" or "no limit")."""
    return whole_number(text, least=0)


def positive_float(text: str) -> float:
    """A number of seconds above zero (an interval, a timeout)."""
    return _seconds(text, zero_ok=False)


def non_negative_float(text: str) -> float:
    """A number of milliseconds or seconds from 0 up (a time budget)."""
    return _seconds(text, zero_ok=True)


def port(text: str) -> int:
    """A TCP port, 1-65535."""
    if _WHOLE.fullmatch(text.strip()) and not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, not {_shown(text.strip())[1:-1]}")
    return whole_number(text, least=1, most=65535)


def amount(text: str) -> str:
    """An amount of money or a percentage as typed ("1,280.50"), checked to be digits 0-9 with
    an optional point and thousands commas; kept as text, for the station's money rules."""
    if not _AMOUNT.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not an amount; write it like 1280.50 (digits 0-9)")
    return text.strip()


def _utf8_file(hint: str) -> Callable[[str], Path]:
    def readable_utf8(text: str) -> Path:
        """A file that can be read and is UTF-8 text (a BOM allowed): checked while parsing, so
        a spreadsheet saved in another encoding is one line naming it, not a failure halfway."""
        path = Path(text)
        try:
            where = _first_bad_utf8(path)
        except OSError as exc:  # missing, a folder, no permission, a name too long
            raise argparse.ArgumentTypeError(f"{text} cannot be read ({exc.strerror or exc})") from None
        if where:
            raise argparse.ArgumentTypeError(f"{text} is not UTF-8 text ({where}); {hint}")
        return path

    return readable_utf8


NEWLINE = b"\n"


def _first_bad_utf8(path: Path) -> str:
    """Where ``path`` stops being UTF-8 ("line 3, byte 0xff"), or "" if it is UTF-8 throughout;
    read in pieces, so a large file is not held in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # exc.object: a piece of a character held back, then chunk
                if not chunk:
                    return f"line {line}, a character cut off at the end"
                return f"line {line + exc.object.count(NEWLINE, 0, exc.start)}, byte 0x{exc.object[exc.start]:02x}"
            if not chunk:
                return ""
            line += chunk.count(NEWLINE)


csv_file = _utf8_file('save it as UTF-8 (in Excel: "CSV UTF-8")')
"""An import file: CSV or JSON lines, UTF-8."""
text_file = _utf8_file("save it as UTF-8")
"""A TOML or JSON file the command reads (a policy, rules), UTF-8."""


def event_id(text: str) -> uuid.UUID:
    """An event's id as printed by ``webhooks dead-letters`` (a UUID)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:60]!r} is not an event id (a UUID)") from None
