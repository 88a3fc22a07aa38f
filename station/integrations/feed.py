"""The event feed: domain events numbered in arrival order, for pollers and for the senders.

``ingest`` numbers every domain event not yet in ``integration_event_log``; ``read`` returns
events after a cursor. A system that polls keeps the last ``cursor`` it processed and asks for
what comes after it; it never misses a late event, because late events get new numbers.
Each event is a CloudEvents 1.0 structured JSON object (``station.core.events.CloudEventEnvelope``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exists, func, insert, literal, select, text

from station.core.events import CloudEventEnvelope
from station.integrations.ledger import cursors, event_log
from station.models import DomainEvent
from station.models.base import UtcDateTime

log = logging.getLogger(__name__)

events_table = DomainEvent.__table__
_INGEST_LOCK = 0x524D4149  # "RMAI": one ingester at a time on PostgreSQL


@dataclass(frozen=True)
class FeedEvent:
    """One event as consumers see it (the webhook body and one line of the feed)."""

    cursor: int
    id: uuid.UUID
    name: str
    rma_number: str
    rma_seq: int
    occurred_at: dt.datetime
    station_id: str
    data: dict[str, Any]

    def as_json(self, envelope: CloudEventEnvelope | None = None) -> dict[str, Any]:
        """The event as a CloudEvents 1.0 structured JSON object (``cursor`` as an extension)."""
        return (envelope or CloudEventEnvelope()).wrap(
            event_id=self.id, name=self.name, rma_number=self.rma_number, occurred_at=self.occurred_at,
            station_id=self.station_id, data=self.data, rma_seq=self.rma_seq, cursor=self.cursor)

    def body(self, envelope: CloudEventEnvelope | None = None) -> bytes:
        """The exact bytes sent (and signed): compact, sorted keys, UTF-8.

        The webhook body leaves out ``cursor``: it is this database's arrival number, not part
        of the event, and a receiver's signature check must not depend on it."""
        event = self.as_json(envelope)
        del event["cursor"]
        return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ingest(conn: Connection, now: dt.datetime) -> int:
    """Number the domain events that have none yet (call inside a transaction); returns how many."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INGEST_LOCK})
    e = events_table.c
    new = (select(e.id, literal(now, UtcDateTime()))
           .where(~exists().where(event_log.c.event_id == e.id))
           .order_by(e.occurred_at, e.rma_number, e.rma_seq, e.id))
    result = conn.execute(insert(event_log).from_select(["event_id", "ingested_at"], new))
    count = result.rowcount or 0
    if count:
        log.info("feed: %d new event(s) numbered", count)
    return count


def _rows_to_events(rows: Any) -> list[FeedEvent]:
    return [FeedEvent(r.seq, r.id, r.name, r.rma_number, r.rma_seq, r.occurred_at, r.station_id, r.payload)
            for r in rows]


def _select() -> Any:
    e = events_table.c
    return (select(event_log.c.seq, e.id, e.name, e.rma_number, e.rma_seq, e.occurred_at, e.station_id, e.payload)
            .join_from(event_log, events_table, event_log.c.event_id == e.id))


def read(conn: Connection, after: int = 0, limit: int = 500, names: list[str] | None = None) -> list[FeedEvent]:
    """Events with ``cursor > after`` in cursor order (at most ``limit``)."""
    query = _select().where(event_log.c.seq > after)
    if names:
        query = query.where(events_table.c.name.in_(names))
    return _rows_to_events(conn.execute(query.order_by(event_log.c.seq).limit(limit)))


def by_ids(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, FeedEvent]:
    if not ids:
        return {}
    return {ev.id: ev for ev in _rows_to_events(conn.execute(_select().where(events_table.c.id.in_(ids))))}


def get_cursor(conn: Connection, name: str) -> int:
    return conn.scalar(select(cursors.c.seq).where(cursors.c.name == name)) or 0


def set_cursor(conn: Connection, name: str, seq: int) -> None:
    if conn.execute(cursors.update().where(cursors.c.name == name).values(seq=seq)).rowcount == 0:
        conn.execute(insert(cursors).values(name=name, seq=seq))


def head(conn: Connection) -> int:
    return conn.scalar(select(func.max(event_log.c.seq))) or 0
