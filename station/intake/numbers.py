"""Issuing the next RMA number (``station.core.identifiers`` check-digit form) for a request.

Each station counts in its own range (``RMA`` + its 3-digit number + sequence): the next
number is the highest of the station's range in use here (authorised RMAs and requests) plus
one, so two docks that issue offline never meet, and a dock rebuilt from central continues
after the numbers it pulled back. Legacy 12-character numbers share the range's first six
characters but never its length, so the search skips them.

Legacy numbers interleave with a range in index order (``RMA000032107`` sorts between
``RMA00000000010`` and ``RMA00099999990``), so finding the range's highest number walks past
every legacy number that starts like it: up to 100,000 on a site that issued that many the
old way. So the last sequence issued is also kept in ``sync_state`` (key ``rma_numbers``),
written in the issuing transaction; it is trusted only while the number after it is free (two
point look-ups): a database restored from a backup that then pulls its later numbers back
from central finds that number taken and walks the index once.

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
from station.core.station_state import read_value, write_value
from station.models import Rma, RmaRequest

_LOCK = 7466513
LAST_ISSUED = "rma_numbers"
"""``sync_state`` key: ``{"<station number>": <last sequence issued>}``."""


def record_issued(session: Session, station_no: int, sequence: int) -> None:
    """Remember ``sequence`` as the last one issued (in the caller's transaction)."""
    conn = session.connection()
    last = read_value(conn, LAST_ISSUED)
    write_value(conn, LAST_ISSUED, {**last, str(station_no): sequence})


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
    remembered = read_value(session.connection(), LAST_ISSUED).get(str(station_no))
    if isinstance(remembered, int) and (remembered + 1 >= RMA_SEQUENCE_LIMIT
                                        or not _in_use(session, make_rma_number(remembered + 1, station_no))):
        return remembered
    return _highest_in_index(session, station_no)


def _in_use(session: Session, number: str) -> bool:
    return any(session.scalar(select(column).where(column == number)) is not None
               for column in (RmaRequest.number, Rma.number))


def _highest_in_index(session: Session, station_no: int) -> int:
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
