"""The append-only, hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so editing, inserting or
deleting a row anywhere breaks every hash after it, and ``verify_chain`` names the first row
that does not add up. (Deleting the newest rows leaves a shorter, valid chain; the central
database keeps its own copy through sync, which is where a truncated tail shows.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from station.models import AuditEvent, utcnow
from station.serialize import canonical_json

if TYPE_CHECKING:
    from station.context import Actor

GENESIS = "0" * 64


def event_hash(
    *,
    id: uuid.UUID,
    at: dt.datetime,
    station_id: str,
    operator_id: uuid.UUID | None,
    operator_badge: str,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    body = canonical_json(
        {
            "id": id,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "station_id": station_id,
            "operator_id": operator_id,
            "operator_badge": operator_badge,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "details": details,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash ``event`` must carry, computed from its stored fields."""
    return event_hash(
        id=event.id,
        at=event.at,
        station_id=event.station_id,
        operator_id=event.operator_id,
        operator_badge=event.operator_badge,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        details=event.details,
        prev_hash=event.prev_hash,
    )


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        # Several writers on one server: serialise appends so the chain never forks.
        session.execute(text("SELECT pg_advisory_xact_lock(7466501)"))
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    return last or GENESIS


def append(
    session: Session,
    *,
    station_id: str,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: str | uuid.UUID,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction."""
    at = (at or utcnow()).astimezone(dt.UTC)
    # Microsecond precision survives every backend, so the hash recomputes after a round trip.
    event = AuditEvent(
        id=uuid.uuid4(),
        at=at,
        station_id=station_id,
        operator_id=actor.id if actor else None,
        operator_badge=actor.badge if actor else "",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details or {},
        prev_hash=_last_hash(session),
    )
    event.hash = hash_of(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    events: int
    breaks: tuple[ChainBreak, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks


def _iter_events(session: Session) -> Iterator[AuditEvent]:
    yield from session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    )


def verify_chain(session: Session) -> VerifyResult:
    """Walk the chain from the first event; report every row whose link or hash is wrong."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    count = 0
    for event in _iter_events(session):
        count += 1
        if event.prev_hash != prev:
            breaks.append(
                ChainBreak(event.seq, "does not follow the event before it (a row was deleted or inserted)")
            )
        if event.hash != hash_of(event):
            breaks.append(ChainBreak(event.seq, "content does not match its hash (the row was edited)"))
        prev = event.hash
    return VerifyResult(count, tuple(breaks))
