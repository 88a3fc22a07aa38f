"""The station's own identifiers and their check digits.

RMA numbers and LPNs are scanned hundreds of times a day; a check digit (Luhn, via
python-stdnum) turns a misread into a rejected scan instead of the wrong record.

- RMA number, as issued now: ``RMA`` + 3-digit station number + 7-digit sequence + Luhn
  digit, e.g. ``RMA00500000120`` (station 5, number 12). The station number is why two
  docks offline can never issue the same number: each counts in its own range, as LPNs
  already do. Blocks handed out by central would need central reachable before a dock's
  first request and a refill protocol after; a station number is already unique across
  the fleet (central refuses a second station with the same one) and needs neither. 14
  characters is the width of an LPN, which every label and sheet already prints and scans
  back; a clerk reads it as RMA, dock, sequence. 10 million numbers per station.
- RMA number, as issued before (legacy): ``RMA`` + 8-digit sequence + Luhn digit, e.g.
  ``RMA000012344`` (12 characters). Every such number on a parcel still scans, classifies and
  resolves: the two forms differ in length, so neither can be taken for the other.
- LPN: ``LP`` + 3-digit station number + 8-digit sequence + Luhn digit, e.g.
  ``LP001000000420``. The station number keeps LPNs unique across stations without asking
  the central database at print time.
"""

from __future__ import annotations

import re

from stdnum import luhn

RMA_PATTERN = re.compile(r"^RMA(\d{8}|\d{10})(\d)$")
"""Either form of RMA number: group 1 the digits the check digit covers, group 2 the check."""
STATION_RMA_PATTERN = re.compile(r"^RMA(\d{3})(\d{7})(\d)$")
LEGACY_RMA_PATTERN = re.compile(r"^RMA(\d{8})(\d)$")
LPN_PATTERN = re.compile(r"^LP(\d{3})(\d{8})(\d)$")

STATION_RMA_LENGTH = 14
RMA_SEQUENCE_LIMIT = 10**7
"""Numbers one station can issue in its own range (sequence 1 to 9,999,999)."""
RMA_FORMS = "RMA + 11 digits, or RMA + 9 digits for numbers issued before"
"""The shape of an RMA number in a clerk's words, for refusals."""


def make_rma_number(sequence: int, station_no: int | None = None) -> str:
    """The RMA number ``sequence`` of station ``station_no``.

    Issuing always names the station (``station.intake.numbers``). Without one, the legacy
    12-character form is made: numbers already on parcels, and test and demo data shaped
    like them.
    """
    if station_no is None:
        if not 0 <= sequence < 10**8:
            raise ValueError(f"RMA sequence out of range: {sequence}")
        body = f"{sequence:08d}"
    else:
        if not 0 <= station_no < 1000:
            raise ValueError(f"station number must be 0-999, got {station_no}")
        if not 0 <= sequence < RMA_SEQUENCE_LIMIT:
            raise ValueError(f"RMA sequence out of range for one station: {sequence}")
        body = f"{station_no:03d}{sequence:07d}"
    return f"RMA{body}{luhn.calc_check_digit(body)}"


def rma_prefix(station_no: int) -> str:
    """The first six characters every RMA number of station ``station_no`` shares."""
    return f"RMA{station_no:03d}"


def rma_station(text: str) -> int | None:
    """The station number inside an RMA number (None for a legacy number)."""
    match = STATION_RMA_PATTERN.match(text)
    return int(match.group(1)) if match else None


def rma_sequence(text: str) -> int | None:
    """The sequence inside a station's RMA number (None for a legacy number)."""
    match = STATION_RMA_PATTERN.match(text)
    return int(match.group(2)) if match else None


def is_valid_rma_number(text: str) -> bool:
    match = RMA_PATTERN.match(text)
    return bool(match) and luhn.is_valid(match.group(1) + match.group(2))  # type: ignore[union-attr]


def looks_like_rma_number(text: str) -> bool:
    """Shaped like an RMA number (either form), whether or not its check digit is right."""
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
