"""The station side of the push: read waiting outbox entries, quarantine, mark sent.

An entry names a changed record (``station.core.outbox``); reading a batch reads the records'
state in the same transaction that moves the fence, so what is sent is the state the record
has then, and a change made after it gets an entry of its own. Entries written before version
0017 carry their record in ``payload`` and travel as written: that text is read raw and
parsed one by one, so a single corrupt row (bad JSON, a mangled UUID written into the file by
hand) is quarantined with its reason instead of failing the read of the whole batch; a record
whose state fails its checks is quarantined the same way.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    Numeric,
    String,
    Text,
    Uuid,
    bindparam,
    func,
    select,
    type_coerce,
    update,
)

from station.core.db import READ_ONLY, seq_window
from station.core.serialize import to_json_value
from station.core.outbox import PENDING, move_fence
from station.models import OutboxEvent, OutboxFence, OutboxState, utcnow
from station.models.base import FixedPoint, UtcDateTime
from station.sync.payloads import MAX_PAYLOAD_CHARS, SHAPES, PayloadRejected, check_payload_fast

log = logging.getLogger(__name__)

_OUTBOX = OutboxEvent.__table__
_FENCE = OutboxFence.__table__
_CHUNK = 500
"""Ids per ``IN (...)`` (SQLite's default limit is 999 parameters)."""
_NAMED = "{}"
"""The payload of an entry that only names its record (every entry since 0017)."""


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
    base: int | None = None
    """The version central holds before this event (an update); ``None``: the one before
    ``version`` (entries written before 0017 carry one version each)."""


@dataclass(frozen=True)
class Rejected:
    seq: int
    reason: str


def _parse(raw: Any) -> PendingEvent:
    """An entry written before 0017, with its record in its payload."""
    seq, event_id, entity_type, entity_id, version, operation, payload_text, _base = raw
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


def _named(raw: Any, states: dict[uuid.UUID, dict[str, Any]]) -> PendingEvent:
    """An entry that names its record: the record as it is now."""
    seq, event_id, entity_type, entity_id, _version, operation, _payload, base = raw
    event_uuid, entity_uuid = uuid.UUID(str(event_id)), uuid.UUID(str(entity_id))
    payload = states.get(entity_uuid)
    if payload is None:
        raise PayloadRejected(f"the {entity_type} record it names is no longer in this database")
    version = payload.get("version")
    row = check_payload_fast(str(entity_type), entity_uuid, str(entity_uuid), version, str(operation), payload)
    return PendingEvent(seq, event_uuid, str(entity_type), entity_uuid, version, str(operation), payload, row,
                        None if base is None else int(base))


def _entries(conn: Connection, after: int, limit: int | None, upto: int | None) -> list[Any]:
    """Waiting entries after ``after`` (at most ``limit``, up to seq ``upto``), payload as text."""
    if conn.dialect.name == "sqlite":  # the stored text as is, without SQLAlchemy's row objects
        sql, params = seq_window(
            "SELECT seq, event_id, entity_type, entity_id, entity_version, operation, payload, base_version "
            "FROM outbox WHERE state = ? AND seq > ?", [OutboxState.PENDING.value, after], upto=upto, limit=limit)
        return conn.connection.driver_connection.execute(sql, params).fetchall()  # type: ignore[union-attr]
    o = _OUTBOX.c
    query = (select(o.seq, type_coerce(o.event_id, String), o.entity_type, type_coerce(o.entity_id, String),
                    o.entity_version, o.operation, type_coerce(o.payload, Text), o.base_version)
             .where(o.state == OutboxState.PENDING, o.seq > after).order_by(o.seq))
    if upto is not None:
        query = query.where(o.seq <= upto)
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query).all())


def _states(conn: Connection, entity_type: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The records' current state, as ``station.core.serialize.record_to_dict`` gives it."""
    table = SHAPES[entity_type].table
    if conn.dialect.name == "sqlite":
        return _sqlite_states(conn, table, ids)
    keys = [c.key for c in table.columns]
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        for values in conn.execute(select(table).where(table.c.id.in_(ids[start:start + _CHUNK]))):
            found[values.id] = {k: to_json_value(v) for k, v in zip(keys, values, strict=True)}
    return found


def _sqlite_states(conn: Connection, table: Any, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """``_states`` from SQLite: each record comes back as its JSON text, built by SQLite's
    ``json_object`` from the stored values (a push reads 100,000 records; turning each value in
    Python cost twice the old stored payloads' ``json.loads``)."""
    raw = conn.connection.driver_connection  # type: ignore[union-attr]
    select_json = _json_select(table)
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = [i.hex for i in ids[start:start + _CHUNK]]
        for record_id, text in raw.execute(f"{select_json} ({', '.join('?' * len(chunk))})", chunk):
            found[uuid.UUID(hex=record_id)] = json.loads(text)
    return found


def _json_select(table: Any) -> str:
    cached = _SELECTS.get(table.name)
    if cached is None:
        fields = ", ".join(f"'{c.key}', {_json_value(c)}" for c in table.columns)
        cached = _SELECTS[table.name] = f'SELECT id, json_object({fields}) FROM "{table.name}" WHERE id IN'
    return cached


def _json_value(column: Any) -> str:
    """SQL giving one column's stored SQLite value in its JSON form, as ``record_to_dict`` has it."""
    c, kind = f'"{column.name}"', column.type
    if isinstance(kind, UtcDateTime):  # 2026-12-06 10:42:00.000000 -> 2026-12-06T10:42:00+00:00
        return (f"replace(CASE WHEN substr({c}, -7) = '.000000' THEN substr({c}, 1, length({c}) - 7) ELSE {c} END, "
                f"' ', 'T') || '+00:00'")
    if isinstance(kind, FixedPoint):  # whole hundredths -> "12.50", "-0.05"
        if kind.places == 0:
            return f"CAST({c} AS TEXT)"
        unit = 10 ** kind.places
        return (f"CASE WHEN {c} IS NULL THEN NULL ELSE (CASE WHEN {c} < 0 THEN '-' ELSE '' END) || "
                f"(abs({c}) / {unit}) || '.' || printf('%0{kind.places}d', abs({c}) % {unit}) END")
    if isinstance(kind, Uuid):
        return (f"substr({c}, 1, 8) || '-' || substr({c}, 9, 4) || '-' || substr({c}, 13, 4) || '-' || "
                f"substr({c}, 17, 4) || '-' || substr({c}, 21)")
    if isinstance(kind, JSON):
        return f"json({c})"
    if isinstance(kind, Boolean):
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN {c} THEN json('true') ELSE json('false') END"
    if isinstance(kind, LargeBinary):
        return "NULL"
    if isinstance(kind, DateTime | Numeric):
        raise TypeError(f"no JSON form for {kind!r} read raw: use to_json_value")
    return c


_SELECTS: dict[str, str] = {}


def _stamp_versions(conn: Connection, tables: Iterable[str], low: int, high: int) -> None:
    """Entries read now carry the version read (the one central gets from them): one
    statement per table, each entry finding its record by primary key."""
    o = _OUTBOX.c
    for name in tables:
        table = SHAPES[name].table
        conn.execute(update(_OUTBOX)
                     .where(o.seq.between(low, high), o.entity_type == name, o.state == OutboxState.PENDING,
                            type_coerce(o.payload, Text) == _NAMED)
                     .values(entity_version=func.coalesce(
                         select(table.c.version).where(table.c.id == o.entity_id).scalar_subquery(),
                         o.entity_version)))


def _rebase(conn: Connection, sent: dict[uuid.UUID, int], after: int) -> None:
    """Later waiting entries of records read now start from the version read now (central
    holds it once this batch is in): an entry written while an earlier read of the record
    waited to be sent again (after a failed push) was based on the older version."""
    o = _OUTBOX.c
    ids = list(sent)
    later: list[tuple[int, uuid.UUID]] = []
    for start in range(0, len(ids), _CHUNK):
        later.extend(conn.execute(select(o.seq, o.entity_id).where(
            PENDING, o.seq > after, o.operation == "update",
            o.entity_id.in_(ids[start:start + _CHUNK]))).all())
    if later:
        conn.execute(update(_OUTBOX).where(o.seq == bindparam("s")).values(base_version=bindparam("b")),
                     [{"s": seq, "b": sent[entity_id]} for seq, entity_id in later])


def read_pending(engine: Engine, limit: int | None, after: int = 0, *,
                 upto: int | None = None) -> tuple[list[PendingEvent], list[Rejected]]:
    """The oldest ``limit`` waiting entries with ``seq`` above ``after`` (and up to ``upto``),
    checked, with their records as they are now; entries that fail come back as rejects.

    One write transaction (so SQLite's writers wait for it, and PostgreSQL's for the fence's
    row): the fence moves past these entries, their records are read, and later entries of the
    same records are rebased on what was read."""
    good: list[PendingEvent] = []
    bad: list[Rejected] = []
    with engine.begin() as conn:
        fenced = select(_FENCE.c.seq).where(_FENCE.c.id == 1)
        if conn.dialect.name == "postgresql":
            fenced = fenced.with_for_update()
        read_before = int(conn.execute(fenced).scalar() or 0)
        raws = _entries(conn, after, limit, upto)
        if not raws:
            return good, bad
        move_fence(conn, int(raws[-1][0]))
        named: dict[str, list[uuid.UUID]] = {}
        for raw in raws:
            if raw[6] == _NAMED:
                try:
                    named.setdefault(str(raw[2]), []).append(uuid.UUID(str(raw[3])))
                except ValueError:
                    pass
        states = {name: _states(conn, name, ids) for name, ids in named.items() if name in SHAPES}
        _stamp_versions(conn, states, int(raws[0][0]), int(raws[-1][0]))
        for raw in raws:
            try:
                good.append(_named(raw, states.get(str(raw[2]), {})) if raw[6] == _NAMED else _parse(raw))
            except (PayloadRejected, ValueError) as exc:
                bad.append(Rejected(raw[0], str(exc) if isinstance(exc, PayloadRejected)
                                    else "event or record id is not a UUID"))
        # Only an entry read before (by a push that failed, or sent again) can have later entries
        # of its record, based on what that read saw; on a first read there are none yet.
        named_seqs = {int(raw[0]) for raw in raws if raw[6] == _NAMED and int(raw[0]) <= read_before}
        read = {e.entity_id: e.version for e in good if e.seq in named_seqs}
        if read:
            _rebase(conn, read, int(raws[-1][0]))
    return good, bad


def entry_seqs(engine: Engine, entity_type: str, entity_ids: Iterable[uuid.UUID], after: int, *,
               until: int) -> list[int]:
    """Seqs of waiting entries of these records with ``after < seq <= until`` (a short
    primary-key range scan)."""
    ids = list(entity_ids)
    if not ids:
        return []
    o = _OUTBOX.c
    query = (select(o.seq).where(o.state == OutboxState.PENDING, o.seq > after, o.seq <= until,
                                 o.entity_type == entity_type, o.entity_id.in_(ids)).order_by(o.seq))
    with engine.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        seqs = list(conn.execute(query).scalars())
        conn.rollback()
    return seqs


def quarantine(engine: Engine, rejected: Iterable[Rejected]) -> int:
    """Set events aside with their reason; they are never sent and never retried."""
    params = [{"s": r.seq, "r": r.reason[:2000]} for r in rejected]
    if not params:
        return 0
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
