"""Issuing the next RMA number (``station.core.identifiers`` check-digit form) for a request.

The number is the highest one in use (authorised RMAs and requests) plus one. On PostgreSQL
several service processes may issue at once, so issuing is serialised with a transaction
advisory lock; SQLite writers are already serialised by ``BEGIN IMMEDIATE``. The unique index
on ``rma_requests.number`` is the last line of defence.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from station.core.identifiers import RMA_PATTERN, make_rma_number
from station.models import Rma, RmaRequest

_LOCK = 7466513


def next_rma_number(session: Session) -> str:
    return make_rma_number(highest_rma_sequence(session) + 1)


def highest_rma_sequence(session: Session) -> int:
    """The sequence of the highest RMA number in use (0 if none); on PostgreSQL this takes the
    issuing lock for the rest of the transaction, so a batch can issue the numbers after it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
    highest = 0
    for column in (RmaRequest.number, Rma.number):
        # A range, not LIKE 'RMA%': SQLite's LIKE is case-insensitive and skips the index.
        last = session.scalar(select(func.max(column)).where(column >= "RMA", column < "RMB"))
        match = RMA_PATTERN.match(last or "")
        if match:
            highest = max(highest, int(match.group(1)))
    return highest
