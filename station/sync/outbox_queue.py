"""The station side of the push: read pending outbox events, quarantine, mark sent.

Events are read with their payload as raw text and parsed one by one, so a single corrupt
row (bad JSON, a mangled UUID written into the file by hand) is quarantined with its reason
instead of failing the read of the whole batch.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Engine, String, Text, func, select, type_coerce, update

from station.core.db import READ_ONLY
from station.models import OutboxEvent, OutboxState, utcnow
from station.sync.payloads import MAX_PAYLOAD_CHARS, PayloadRejected, check_payload_fast

log = logging.getLogger(__name__)

_OUTBOX = OutboxEvent.__table__


class PendingEvent(NamedTuple):
    """One checked event, ready to travel (a named tuple: 100,000 are built per big push)."""

    seq: int
    event_id: uuid.UUID
    entity_type: str
    entity_id: uuid.UUID
    version: int
    operation: str
    payload: dict[str, Any]
    row: tuple[Any, ...]


@dataclass(frozen=True)
class Rejected:
    seq: int
    reason: str


def _parse(raw: Any) -> PendingEvent:
    seq, event_id, entity_type, entity_id, version, operation, payload_text = raw
    try:
        event_uuid = uuid.UUID(str(event_id))
        entity_uuid = uuid.UUID(str(entity_id))
    except ValueError:
        raise PayloadRejected("event or record id is not a UUID") from None
    if not isinstance(version, int) or isinstance(version, bool):
        raise PayloadRejected("event version is not a whole number")
    if not isinstance(payload_text, str):
        raise PayloadRejected("payload is not text")
    if len(payload_text) > MAX_PAYLOAD_CHARS:
        raise PayloadRejected(f"payload is {len(payload_text)} characters; at most {MAX_PAYLOAD_CHARS}")
    try:
        payload = json.loads(payload_text)
    except ValueError as exc:
        raise PayloadRejected(f"payload is not valid JSON ({exc.args[0][:60]})") from None
    entity_type, operation = str(entity_type), str(operation)
    row = check_payload_fast(entity_type, entity_uuid, str(entity_uuid), version, operation, payload,
                             nul_free="\\u0000" not in payload_text)
    return PendingEvent(seq, event_uuid, entity_type, entity_uuid, version, operation, payload, row)


def read_pending(engine: Engine, limit: int, after: int = 0) -> tuple[list[PendingEvent], list[Rejected]]:
    """The oldest ``limit`` pending events (with ``seq`` above ``after``), checked; events that
    fail come back as rejects."""
    o = _OUTBOX.c
    query = (
        select(o.seq, type_coerce(o.event_id, String), o.entity_type, type_coerce(o.entity_id, String),
               o.entity_version, o.operation, type_coerce(o.payload, Text))
        .where(o.state == OutboxState.PENDING, o.seq > after)
        .order_by(o.seq)
        .limit(limit)
    )
    good: list[PendingEvent] = []
    bad: list[Rejected] = []
    with engine.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        if engine.dialect.name == "sqlite":  # the stored text as is, without SQLAlchemy's row objects
            rows = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "SELECT seq, event_id, entity_type, entity_id, entity_version, operation, payload FROM outbox "
                "WHERE state = ? AND seq > ? ORDER BY seq LIMIT ?",
                (OutboxState.PENDING.value, after, limit)).fetchall()
        else:
            rows = conn.execute(query).all()
        conn.rollback()
    for raw in rows:
        try:
            good.append(_parse(raw))
        except PayloadRejected as exc:
            bad.append(Rejected(raw[0], str(exc)))
    return good, bad


def read_following(engine: Engine, entity_type: str, entity_ids: Iterable[uuid.UUID], after: int, *,
                   until: int, limit: int = 500) -> list[PendingEvent]:
    """Pending events of these records with ``after < seq <= until`` (good ones only; a bad one
    is quarantined where the queue reaches it). The range keeps it a short primary-key scan."""
    ids = list(entity_ids)
    if not ids:
        return []
    o = _OUTBOX.c
    query = (select(o.seq, type_coerce(o.event_id, String), o.entity_type, type_coerce(o.entity_id, String),
                    o.entity_version, o.operation, type_coerce(o.payload, Text))
             .where(o.state == OutboxState.PENDING, o.seq > after, o.seq <= until, o.entity_type == entity_type,
                    o.entity_id.in_(ids))
             .order_by(o.seq).limit(limit))
    with engine.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        rows = conn.execute(query).all()
        conn.rollback()
    found = []
    for raw in rows:
        try:
            found.append(_parse(raw))
        except PayloadRejected:
            continue
    return found


def quarantine(engine: Engine, rejected: Iterable[Rejected]) -> int:
    """Set events aside with their reason; they are never sent and never retried."""
    params = [{"s": r.seq, "r": r.reason[:2000]} for r in rejected]
    if not params:
        return 0
    from sqlalchemy import bindparam

    stmt = (update(_OUTBOX).where(_OUTBOX.c.seq == bindparam("s"))
            .values(state=OutboxState.QUARANTINED, last_error=bindparam("r"),
                    attempts=_OUTBOX.c.attempts + 1))
    with engine.begin() as conn:
        conn.execute(stmt, params)
    for p in params:
        log.warning("outbox event %s quarantined: %s", p["s"], p["r"])
    return len(params)


def mark_sent(engine: Engine, seqs: Sequence[int], notes: dict[int, str] | None = None) -> None:
    """Record that central has these events (applied, or kept as a conflict: ``notes``)."""
    if not seqs:
        return
    now = utcnow()
    sent = dict(state=OutboxState.SENT, sent_at=now, attempts=_OUTBOX.c.attempts + 1)
    o = _OUTBOX.c
    with engine.begin() as conn:
        # Usually the batch is every pending event of a seq range: one UPDATE by range, kept
        # only if it touched exactly these events. Otherwise (a range with other pending events
        # in it), by list.
        low, high = min(seqs), max(seqs)
        by_range = conn.begin_nested()
        done = conn.execute(update(_OUTBOX).where(o.seq.between(low, high), o.state == OutboxState.PENDING)
                            .values(**sent)).rowcount
        if done == len(set(seqs)):
            by_range.commit()
        else:
            by_range.rollback()
            for start in range(0, len(seqs), 5000):
                chunk = seqs[start:start + 5000]
                conn.execute(update(_OUTBOX).where(o.seq.in_(chunk)).values(**sent))
        if notes:
            from sqlalchemy import bindparam

            conn.execute(update(_OUTBOX).where(_OUTBOX.c.seq == bindparam("s"))
                         .values(last_error=bindparam("r")),
                         [{"s": s, "r": r[:2000]} for s, r in notes.items()])


def note_held(engine: Engine, notes: dict[int, str]) -> None:
    """Say why central left these events pending (its fence after a restore); they are sent
    again next round."""
    if not notes:
        return
    from sqlalchemy import bindparam

    with engine.begin() as conn:
        conn.execute(update(_OUTBOX).where(_OUTBOX.c.seq == bindparam("s"), _OUTBOX.c.state == OutboxState.PENDING)
                     .values(last_error=bindparam("r")), [{"s": s, "r": r[:2000]} for s, r in notes.items()])


def count_by_state(engine: Engine) -> dict[OutboxState, int]:
    with engine.connect() as conn:
        rows = conn.execution_options(**READ_ONLY).execute(
            select(_OUTBOX.c.state, func.count()).group_by(_OUTBOX.c.state)).all()
        conn.rollback()
    return {OutboxState(state): count for state, count in rows}
