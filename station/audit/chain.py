"""The append-only, hash-chained audit log, keyed so that only the station can extend it.

Each event's hash covers its content and the previous event's hash, so editing, inserting or
deleting a row breaks the chain at that row, and ``verify_chain`` names it.

A chain of plain SHA-256 hashes can be *re-chained*: edit an event, compute its hash and
every later one again, and the chain adds up. New events are therefore hashed with
HMAC-SHA256 under a per-station secret kept outside the database (``station.audit.key``);
re-chaining needs that secret. Events written before keyed chaining keep their plain hashes
(``hash_scheme = "sha256"``) and stay valid, but once a keyed event appears, a plain one after
it is a break: that is what re-chaining without the key would produce.

Two things the station alone cannot see: its newest events deleted (a shorter chain is still
a chain), and a re-chain by someone who holds both the database and the key. For those the
chain is anchored on the central database (``station.sync.audit_anchor``): central keeps an
append-only copy, refuses a chain that does not extend what it holds, and
``rma-station audit verify`` compares the two. docs/security.md has the threat model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from station.audit.key import AuditKeyStore, default_store, key_id
from station.audit.rows import KEYED_PREFIX, PLAIN, ChainRow, body_text, read_chain, time_text, uuid_text
from station.core.errors import ConfigError, StationError
from station.models import AuditEvent, utcnow

if TYPE_CHECKING:
    from station.core.context import Actor

try:  # OpenSSL's one-shot HMAC, without ``hmac.digest``'s Python checks (once per event in verify)
    from _hashlib import hmac_digest as _hmac_sha256
except ImportError:  # pragma: no cover - a Python without OpenSSL
    _hmac_sha256 = hmac.digest

GENESIS = "0" * 64
MAX_BREAKS_KEPT = 1000
_UNSEEN = object()

__all__ = ["GENESIS", "KEYED_PREFIX", "PLAIN", "AuditKeyMissing", "ChainBreak", "VerifyResult", "append",
           "event_hash", "hash_of", "keyed_scheme", "verify_chain"]


class AuditKeyMissing(StationError):
    """A keyed hash was asked for without the station's audit key."""

    code = "audit_key_missing"


def keyed_scheme(key: bytes) -> str:
    return f"{KEYED_PREFIX}{key_id(key)}"


def _digest(body: bytes, scheme: str, key: bytes | None) -> str:
    if scheme == PLAIN:
        return hashlib.sha256(body).hexdigest()
    if key is None:
        raise AuditKeyMissing("This audit event is keyed; its hash needs the station's audit key.")
    return hmac.digest(key, body, "sha256").hex()


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
    scheme: str = PLAIN,
    key: bytes | None = None,
) -> str:
    """The hash of one event: SHA-256 of its canonical content (``scheme="sha256"``), or an
    HMAC-SHA256 under ``key`` (``scheme="hmac-sha256:<key id>"``, which the HMAC covers too)."""
    from station.core.serialize import to_json_value

    row = ChainRow(0, str(id), time_text(at), station_id, uuid_text(operator_id), operator_badge, action,
                   entity_type, str(entity_id), to_json_value(details), prev_hash, "", scheme)
    return _digest(body_text(row, scheme != PLAIN), scheme, key)


def hash_of(event: AuditEvent, key: bytes | None = None) -> str:
    """The hash ``event`` must carry under its ``hash_scheme``, computed from its stored fields.

    A plain event needs no key. A keyed event needs the station's key (``AuditKeyMissing``
    without it): that is the point of keying the chain.
    """
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
        scheme=getattr(event, "hash_scheme", None) or PLAIN,
        key=key,
    )


def last_hash(session: Session) -> str:
    """The chain's newest hash (``GENESIS`` if empty), taking the append lock on PostgreSQL:
    a caller that writes many events at once (``station.intake.bulk``) chains from it."""
    return _last_hash(session)


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        # Several writers on one server: serialise appends so the chain never forks.
        session.execute(text("SELECT pg_advisory_xact_lock(7466501)"))
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    return last or GENESIS


class ChainWriter:
    """Events chained in memory for a writer that inserts many rows at once (an import, the
    policy's routine refunds): each ``event`` is the row ``append`` would add, chained onto the
    one before, starting from the chain's tip (and holding the append lock on PostgreSQL)."""

    def __init__(self, session: Session, station_id: str, keys: AuditKeyStore | None = None) -> None:
        self.station_id = station_id
        self.key = (keys or default_store()).get_or_create(station_id)
        self.scheme = keyed_scheme(self.key)
        self.tip = last_hash(session)

    def event(self, *, actor: Actor | None, action: str, entity_type: str, entity_id: str | uuid.UUID,
              details: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
        values: dict[str, Any] = {
            "id": uuid.uuid4(), "at": at.astimezone(dt.UTC), "station_id": self.station_id,
            "operator_id": actor.id if actor else None, "operator_badge": actor.badge if actor else "",
            "action": action, "entity_type": entity_type, "entity_id": str(entity_id), "details": details,
            "prev_hash": self.tip}
        values["hash"] = event_hash(**values, scheme=self.scheme, key=self.key)
        values["hash_scheme"] = self.scheme
        self.tip = values["hash"]
        return values


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
    keys: AuditKeyStore | None = None,
) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction, keyed with the station's
    audit key (made on first use; ``keys`` defaults to ``audit_key.default_store()``)."""
    at = (at or utcnow()).astimezone(dt.UTC)
    key = (keys or default_store()).get_or_create(station_id)
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
        hash_scheme=keyed_scheme(key),
    )
    event.hash = hash_of(event, key)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    """What a walk over the chain found.

    ``unchecked`` keyed events could only be checked for their links, because the key of
    their station is not on this machine (``keyless`` names those stations and why).
    """

    events: int
    breaks: tuple[ChainBreak, ...]
    keyed: int = 0
    plain: int = 0
    unchecked: int = 0
    keyless: dict[str, str] = field(default_factory=dict)
    problems: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def complete(self) -> bool:
        """Every event's content was checked (not only its links)."""
        return self.unchecked == 0


class _Keys:
    """Keys per station id for one walk; a missing or unreadable key is remembered with why."""

    def __init__(self, store: AuditKeyStore) -> None:
        self.store = store
        self.found: dict[str, bytes | None] = {}
        self.why: dict[str, str] = {}

    def get(self, station_id: str) -> bytes | None:
        if station_id not in self.found:
            try:
                key = self.store.get(station_id)
            except ConfigError as exc:
                key = None
                self.why[station_id] = str(exc)
            else:
                if key is None:
                    self.why[station_id] = f"no key in {self.store.describe(station_id)}"
            self.found[station_id] = key
        return self.found[station_id]


def walk_chain(conn: Connection, keys: AuditKeyStore | None = None) -> VerifyResult:
    """Walk the chain from the first event on ``conn``; report every row whose link, hash or
    scheme is wrong. One tight loop over plain values: this runs over millions of rows."""
    lookup = _Keys(keys or default_store())
    breaks: list[ChainBreak] = []
    problems = 0
    prev = GENESIS
    count = keyed = unchecked = 0
    keyed_since = 0
    sha256, hmac_digest = hashlib.sha256, _hmac_sha256
    last_seq = 0
    keys_of: dict[str, Any] = {}  # station id -> its key (None: not here)
    schemes: dict[str, str] = {}  # station id -> the scheme its key writes

    def broken(seq: int, problem: str) -> None:
        nonlocal problems
        problems += 1
        if len(breaks) < MAX_BREAKS_KEPT:
            breaks.append(ChainBreak(seq, problem))

    for row in read_chain(conn):  # tuples in ChainRow order: seq 0, station_id 3, prev 10, hash 11, scheme 12
        count += 1
        seq, scheme = row[0], row[12]
        if row[10] != prev:
            broken(seq, "does not follow the event before it (a row was deleted or inserted)")
        if scheme == PLAIN:
            if keyed_since:
                broken(seq, f"has a plain SHA-256 hash although keyed events began at #{keyed_since}: "
                            "it was re-chained by someone without the station's audit key")
            elif sha256(body_text(row, False)).hexdigest() != row[11]:
                broken(seq, "content does not match its hash (the row was edited)")
        elif scheme.startswith(KEYED_PREFIX):
            keyed += 1
            keyed_since = keyed_since or seq
            station = row[3]
            key = keys_of.get(station, _UNSEEN)
            if key is _UNSEEN:
                key = keys_of[station] = lookup.get(station)
                if key is not None:
                    schemes[station] = keyed_scheme(key)
            if key is None:
                unchecked += 1
            elif scheme != schemes[station]:
                broken(seq, f"is keyed with key {scheme[len(KEYED_PREFIX):]!s:.8}, not this station's key "
                            f"{schemes[station][len(KEYED_PREFIX):]}: it was re-chained under another key")
            elif hmac_digest(key, body_text(row, True), "sha256").hex() != row[11]:
                broken(seq, "content does not match its hash (the row was edited)")
        else:
            broken(seq, f"has an unknown hash scheme {scheme[:40]!r}")
        prev = row[11]
        last_seq = seq
    return VerifyResult(count, tuple(breaks), keyed=keyed, plain=count - keyed, unchecked=unchecked,
                        keyless={s: why for s, why in lookup.why.items()}, problems=problems,
                        last_seq=last_seq, last_hash=prev)


def verify_chain(session: Session, keys: AuditKeyStore | None = None) -> VerifyResult:
    """``walk_chain`` on the session's connection (inside its transaction)."""
    return walk_chain(session.connection(), keys)
