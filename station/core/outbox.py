"""The sync outbox: every change to a synced record names the record in the same transaction.

Services do not have to remember it: a session hook sees every inserted or updated record
that syncs (``station.models.SYNCED_MODELS``) and queues it. An entry names the record (table,
id) and the version central holds (``base_version``: the one before the entry's first change;
none for a new record); the push reads the record's state when it sends it
(``station.sync.outbox_queue``). So a record changed four times before the next push has one
entry and travels once, and writing a change costs no copy of the record.

An entry is reused for a later change while no push has read it: entries up to
``outbox_fence.seq`` are on their way (their state is being read or sent) and are left alone; a
change after that gets an entry of its own, based on the version the push read. The push moves
the fence in the transaction that reads the entries and their records, and a writer reads it
in its own transaction (locking the row on PostgreSQL; SQLite writers are serialised), so a
change is either in the state the push read or in an entry after the fence, never lost between.

Sync code that applies rows pulled from the central database sets
``session.info["applying_sync"] = True`` so that what came from central is not sent back.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, event, func, insert, select, text, update
from sqlalchemy.orm import Session

from station.models import SYNCED_MODELS, OutboxEvent, OutboxFence, OutboxState, utcnow

log = logging.getLogger(__name__)

_SYNCED = tuple(SYNCED_MODELS)
_OUTBOX = OutboxEvent.__table__
_FENCE = OutboxFence.__table__
_CHUNK = 500
"""Ids per ``IN (...)`` when looking for entries to reuse (SQLite's default limit is 999)."""
PENDING = text("outbox.state = 'pending'")
"""Waiting entries, written out, so that SQLite may use the partial index on their ids (it
needs the index's condition repeated literally, not as a bound parameter)."""


class Change(NamedTuple):
    """One record a transaction inserted or updated."""

    entity_type: str
    entity_id: uuid.UUID
    version: int
    """The record's version after the change."""
    base_version: int | None
    """The version before it (none for a new record): what central holds if nothing waits."""
    station_id: str

    @property
    def operation(self) -> str:
        return "insert" if self.base_version is None else "update"


def entity_type_of(obj: Any) -> str:
    return type(obj).__tablename__


def outbox_row(*, station_id: str, entity_type: str, entity_id: Any, version: int, operation: str,
               base_version: int | None = None, at: dt.datetime,
               payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """The outbox entry for one changed record. Without ``payload`` (every writer now) the push
    reads the record's state when it sends it; ``base_version`` defaults to the one before
    ``version`` for an update."""
    if base_version is None and operation == "update":
        base_version = version - 1
    return {"event_id": uuid.uuid4(), "created_at": at, "station_id": station_id, "entity_type": entity_type,
            "entity_id": entity_id, "entity_version": version, "operation": operation,
            "payload": payload if payload is not None else {}, "base_version": base_version,
            "state": OutboxState.PENDING, "attempts": 0, "last_error": ""}


def fence(conn: Connection, *, lock: bool = False) -> int:
    """The newest seq a push has read (0 before the first push). ``lock`` makes a writer wait
    on PostgreSQL for a push that is moving the fence (SQLite serialises writers already)."""
    query = select(_FENCE.c.seq).where(_FENCE.c.id == 1)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update(read=True)
    return int(conn.execute(query).scalar() or 0)


def move_fence(conn: Connection, upto: int) -> None:
    """Entries up to ``upto`` are being read (by the push, in the caller's transaction): later
    changes to their records get entries of their own. Never moves back; the row is made if a
    database lost it (a table emptied by hand)."""
    f = _FENCE.c
    if conn.execute(update(_FENCE).where(f.id == 1).values(seq=func.max(f.seq, upto)
                                                          if conn.dialect.name == "sqlite"
                                                          else func.greatest(f.seq, upto))).rowcount == 0:
        conn.execute(insert(_FENCE).values(id=1, seq=upto))


def waiting_entries(conn: Connection, ids: Iterable[uuid.UUID], after: int) -> set[tuple[str, uuid.UUID]]:
    """(table, id) of the records among ``ids`` with an entry no push has read yet."""
    ids = list(ids)
    o = _OUTBOX.c
    found: set[tuple[str, uuid.UUID]] = set()
    sqlite = conn.dialect.name == "sqlite"
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        if sqlite:  # SQLite takes the partial index only when told: by itself it walks every waiting entry
            rows = conn.exec_driver_sql(
                "SELECT entity_type, entity_id FROM outbox INDEXED BY ix_outbox_pending_entity "
                f"WHERE state = 'pending' AND seq > ? AND entity_id IN ({', '.join('?' * len(chunk))})",
                (after, *(i.hex for i in chunk)))
            found.update((kind, uuid.UUID(hex=entity_id)) for kind, entity_id in rows)
        else:
            found.update(conn.execute(select(o.entity_type, o.entity_id).where(
                o.state == OutboxState.PENDING, o.seq > after, o.entity_id.in_(chunk))).all())
    return found


def queue(conn: Connection, changes: Sequence[Change], at: dt.datetime | None = None) -> int:
    """Queue ``changes`` (in the caller's transaction): a record that already waits in an
    entry no push has read needs nothing more; the others get an entry each. Returns how many
    entries were written."""
    if not changes:
        return 0
    after = fence(conn, lock=True)
    waiting = waiting_entries(conn, {c.entity_id for c in changes}, after)
    at = at or utcnow()
    rows = []
    for change in changes:
        key = (change.entity_type, change.entity_id)
        if key in waiting:
            continue
        waiting.add(key)
        rows.append(outbox_row(station_id=change.station_id, entity_type=change.entity_type,
                               entity_id=change.entity_id, version=change.version, operation=change.operation,
                               base_version=change.base_version, at=at))
    if rows:
        conn.execute(insert(OutboxEvent), rows)
    return len(rows)


@event.listens_for(Session, "after_flush")
def _write_outbox(session: Session, _flush_context: Any) -> None:
    if session.info.get("applying_sync"):
        return
    changes: list[Change] = []
    for operation, objects in (("insert", session.new), ("update", session.dirty)):
        for obj in objects:
            if not isinstance(obj, _SYNCED):
                continue
            if operation == "update" and not session.is_modified(obj, include_collections=False):
                continue
            # A flush bumps an updated record's version by one.
            base = None if operation == "insert" else obj.version - 1
            changes.append(Change(entity_type_of(obj), obj.id, obj.version, base, obj.station_id))
    if changes:
        # Core statements on the flush's own connection: same transaction, no nested flush.
        queue(session.connection(), changes)


@event.listens_for(Session, "before_flush")
def _stamp_station(session: Session, _flush_context: Any, _instances: Any) -> None:
    """New synced records get the station id of the service that opened the session."""
    station_id = session.info.get("station_id")
    if not station_id:
        return
    for obj in session.new:
        if isinstance(obj, _SYNCED) and not obj.station_id:
            obj.station_id = station_id


def insert_answered(session: Session, entity_type: str, entity_id: uuid.UUID) -> bool:
    """Central has answered for the record's insert (taken, or kept as a conflict): its outbox
    event was sent. A commitment whose insert still waits in the outbox (or was quarantined)
    stays pending (``station.resolution.commitments``, ``station.rtv.commitments``)."""
    o = OutboxEvent
    state = session.scalar(select(o.state).where(o.entity_type == entity_type, o.entity_id == entity_id,
                                                 o.operation == "insert").order_by(o.seq).limit(1))
    return state == OutboxState.SENT
