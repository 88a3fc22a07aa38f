"""Reading the audit chain as plain values, fast, and the exact text each hash covers.

``audit verify`` walks every event (a million on a busy station), so rows are read as the
stored text through the driver on SQLite (no ORM objects, no SQLAlchemy result rows) and
turned into the canonical values the hash was computed from: UUIDs in their dashed form,
times as UTC ISO text with microseconds, details as parsed JSON. Other backends go through
SQLAlchemy Core with the same result. The central copy of a chain is read into the same
``ChainRow`` shape, so the station and central compare like with like.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from station.core.db import seq_window
from station.models import AuditEvent

PLAIN = "sha256"
"""Hash scheme of events written before keyed chaining: SHA-256 over the content, no secret."""
KEYED_PREFIX = "hmac-sha256:"
"""Keyed events: ``hmac-sha256:<key id>``, an HMAC-SHA256 under the station's audit key."""

try:
    from _json import make_encoder as _c_make_encoder
except ImportError:  # pragma: no cover - CPython always has it
    _c_make_encoder = None  # type: ignore[assignment,misc]
c_make_encoder: Any = _c_make_encoder
_LOADS = json.loads
_SCAN: Any = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner, without loads' wrappers

COLUMNS = ("seq", "id", "at", "station_id", "operator_id", "operator_badge", "action", "entity_type",
           "entity_id", "details", "prev_hash", "hash", "hash_scheme")
CONTENT = COLUMNS[1:10]
"""The fields an event's hash covers besides ``prev_hash`` (and, for keyed events, the scheme)."""


class ChainRow(NamedTuple):
    """One audit event as the canonical values its hash covers."""

    seq: int
    id: str
    at: str
    station_id: str
    operator_id: str | None
    operator_badge: str
    action: str
    entity_type: str
    entity_id: str
    details: Any
    prev_hash: str
    hash: str
    hash_scheme: str


def _no_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


# The C encoder ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` uses,
# built once (``JSONEncoder.encode`` builds it again on every call: a third of verify's time).
_DETAILS = c_make_encoder(None, _no_default, encode_basestring, None, ":", ",", True, False, True) \
    if c_make_encoder is not None else None
_DUMPS = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_no_default).encode


def body_text(row: ChainRow | tuple[Any, ...], keyed: bool) -> bytes:
    """The bytes an event's hash is computed over: the canonical JSON (sorted keys, no
    whitespace, UTF-8) of its content, written out field by field in key order; byte for byte
    what ``station.core.serialize.canonical_json`` makes of the same values."""
    q = encode_basestring
    details = "".join(_DETAILS(row[9], 0)) if _DETAILS is not None else _DUMPS(row[9])
    operator = "null" if row[4] is None else q(row[4])
    scheme = f',"hash_scheme":{q(row[12])}' if keyed else ""
    return (f'{{"action":{q(row[6])},"at":{q(row[2])},"details":{details},"entity_id":{q(row[8])},'
            f'"entity_type":{q(row[7])}{scheme},"id":{q(row[1])},"operator_badge":{q(row[5])},'
            f'"operator_id":{operator},"prev_hash":{q(row[10])},"station_id":{q(row[3])}}}').encode("utf-8")


def uuid_text(value: Any) -> str | None:
    """A UUID (object, 32 hex digits as SQLite keeps it, or dashed text) as dashed text."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 32:
            return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}".lower()
        return str(uuid.UUID(value))
    return str(value)


def time_text(value: Any) -> str:
    """A stored time as the UTC ISO text the hash covers (``2026-12-01T21:05:09.123456+00:00``)."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":  # SQLAlchemy's SQLite form, always UTC here
            return f"{value[:10]}T{value[11:]}+00:00"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).isoformat(timespec="microseconds"))


def _from_sqlite(conn: Connection, after: int, upto: int | None, limit: int | None) -> Iterator[tuple[Any, ...]]:
    sql, params = seq_window(f"SELECT {', '.join(COLUMNS)} FROM audit_events WHERE seq > ?", [after],
                             upto=upto, limit=limit)
    cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    scan = _SCAN
    try:
        while rows := cursor.fetchmany(5000):
            for seq, id_, at, station_id, op, badge, action, etype, eid, details, prev, hash_, scheme in rows:
                # The stored forms SQLAlchemy writes, inline (plain tuples: a million of these are
                # made by one verify); anything else through the careful helpers.
                if details.__class__ is str:
                    try:
                        value, end = scan(details, 0)
                    except (StopIteration, ValueError):
                        value, end = None, -1
                    details = value if end == len(details) else _LOADS(details)  # _LOADS raises on junk
                yield (seq,
                       f"{id_[:8]}-{id_[8:12]}-{id_[12:16]}-{id_[16:20]}-{id_[20:]}" if len(id_) == 32
                       else uuid_text(id_),
                       f"{at[:10]}T{at[11:]}+00:00" if len(at) == 26 and at[10] == " " else time_text(at),
                       station_id,
                       op if op is None else f"{op[:8]}-{op[8:12]}-{op[12:16]}-{op[16:20]}-{op[20:]}"
                       if len(op) == 32 else uuid_text(op),
                       badge, action, etype, eid, details, prev, hash_, scheme)
    finally:
        cursor.close()


def _from_core(conn: Connection, after: int, upto: int | None, limit: int | None) -> Iterator[ChainRow]:
    t = AuditEvent.__table__
    query = select(*(t.c[name] for name in COLUMNS)).where(t.c.seq > after).order_by(t.c.seq)
    if upto is not None:
        query = query.where(t.c.seq <= upto)
    if limit is not None:
        query = query.limit(limit)
    for r in conn.execution_options(yield_per=5000).execute(query):
        yield ChainRow(r[0], uuid_text(r[1]) or "", time_text(r[2]), r[3], uuid_text(r[4]), r[5], r[6], r[7], r[8],
                       r[9], r[10], r[11], r[12])


def read_chain(conn: Connection, *, after: int = 0, upto: int | None = None,
               limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The station's audit events with ``after < seq <= upto``, oldest first, as tuples in
    ``ChainRow`` order (``ChainRow(*row)`` names the fields; the hot loops use positions)."""
    if conn.dialect.name == "sqlite":
        return _from_sqlite(conn, after, upto, limit)
    return _from_core(conn, after, upto, limit)
