"""The station's own identifiers and their check digits.

RMA numbers and LPNs are scanned hundreds of times a day; a check digit (Luhn, via
python-stdnum) turns a misread into a rejected scan instead of the wrong record.

- RMA number: ``RMA`` + 8-digit sequence + Luhn digit, e.g. ``RMA000012344``.
- LPN: ``LP`` + 3-digit station number + 8-digit sequence + Luhn digit, e.g.
  ``LP001000000420``. The station number keeps LPNs unique across stations without asking
  the central database at print time.
"""

from __future__ import annotations

import re

from stdnum import luhn

RMA_PATTERN = re.compile(r"^RMA(\d{8})(\d)$")
LPN_PATTERN = re.compile(r"^LP(\d{3})(\d{8})(\d)$")


def make_rma_number(sequence: int) -> str:
    if not 0 <= sequence < 10**8:
        raise ValueError(f"RMA sequence out of range: {sequence}")
    body = f"{sequence:08d}"
    return f"RMA{body}{luhn.calc_check_digit(body)}"


def is_valid_rma_number(text: str) -> bool:
    match = RMA_PATTERN.match(text)
    return bool(match) and luhn.is_valid(match.group(1) + match.group(2))  # type: ignore[union-attr]


def looks_like_rma_number(text: str) -> bool:
    """Shaped like an RMA number, whether or not its check digit is right."""
    return bool(RMA_PATTERN.match(text))


def make_lpn(station_no: int, sequence: int) -> str:
    if not 0 <= station_no < 1000:
        raise ValueError(f"station number must be 0-999, got {station_no}")
    if not 0 <= sequence < 10**8:
        raise ValueError(f"LPN sequence out of range: {sequence}")
    body = f"{station_no:03d}{sequence:08d}"
    return f"LP{body}{luhn.calc_check_digit(body)}"


def is_valid_lpn(text: str) -> bool:
    match = LPN_PATTERN.match(text)
    return bool(match) and luhn.is_valid("".join(match.groups()))  # type: ignore[union-attr]


def looks_like_lpn(text: str) -> bool:
    return bool(LPN_PATTERN.match(text))
