"""Issuing the next RMA number (``station.core.identifiers`` check-digit form) for a request.

Each station counts in its own range (``RMA`` + its 3-digit number + sequence): the next
number is the highest of the station's range in use here (authorised RMAs and requests) plus
one, so two docks that issue offline never meet, and a dock rebuilt from central continues
after the numbers it pulled back. Legacy 12-character numbers share the range's first six
characters but never its length, so the search skips them.

On PostgreSQL several service processes may issue at once, so issuing is serialised with a
transaction advisory lock; SQLite writers are already serialised by ``BEGIN IMMEDIATE``. The
unique index on ``rma_requests.number`` is the last line of defence.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from station.core.errors import ConfigError
from station.core.identifiers import (
    RMA_SEQUENCE_LIMIT, STATION_RMA_LENGTH, make_rma_number, rma_prefix, rma_sequence,
)
from station.models import Rma, RmaRequest

_LOCK = 7466513


def next_rma_number(session: Session, station_no: int) -> str:
    return issued_rma_number(highest_rma_sequence(session, station_no) + 1, station_no)


def issued_rma_number(sequence: int, station_no: int) -> str:
    """Number ``sequence`` of this station's range; a station that used up its range is told so
    (one line) rather than wrapping into another station's numbers."""
    if sequence >= RMA_SEQUENCE_LIMIT:
        raise ConfigError(f"Station number {station_no} has issued all {RMA_SEQUENCE_LIMIT - 1:,} of its RMA numbers.",
                          next_step="Give this station a new number (rma-station station rename --number N).")
    return make_rma_number(sequence, station_no)


def highest_rma_sequence(session: Session, station_no: int) -> int:
    """The sequence of this station's highest RMA number in use (0 if none); on PostgreSQL this
    takes the issuing lock for the rest of the transaction, so a batch can issue the numbers
    after it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
    prefix = rma_prefix(station_no)
    highest = 0
    for column in (RmaRequest.number, Rma.number):
        # A range, not LIKE: SQLite's LIKE is case-insensitive and skips the index. Walking the
        # index down from the top stops at the first number of this form; max() with the
        # length filter would read the station's whole range.
        last = session.scalar(select(column).where(column >= prefix, column < prefix + "A",
                                                   func.length(column) == STATION_RMA_LENGTH)
                              .order_by(column.desc()).limit(1))
        highest = max(highest, rma_sequence(last or "") or 0)
    return highest
