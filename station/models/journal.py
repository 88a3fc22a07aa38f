"""Append-only records: the hash-chained audit log and the sync outbox.

Both use an integer sequence as primary key because their order is their meaning: the audit
chain links each row to the one before it, and the outbox is pushed in the order written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, db_enum, utcnow
from station.models.enums import OutboxState

# SQLite only auto-increments an INTEGER PRIMARY KEY; BIGINT elsewhere.
SeqId = BigInteger().with_variant(Integer(), "sqlite")


class AuditEvent(Base):
    """Who did what to which record, when, at which station. ``hash`` covers this row's
    content and ``prev_hash``, so editing or deleting any row breaks the chain after it."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(SeqId, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    station_id: Mapped[str] = mapped_column(String(64))
    operator_id: Mapped[uuid.UUID | None]
    operator_badge: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    hash_scheme: Mapped[str] = mapped_column(String(40), default="sha256", server_default="sha256")
    """``sha256`` (plain, events written before keyed chaining) or ``hmac-sha256:<key id>``
    (HMAC under the station's audit key, ``station.audit.key``)."""


class OutboxEvent(Base):
    """A record that changed and waits to be pushed to the central database, written in the
    same transaction as the change itself.

    An entry names the record; the push sends the record's state as it is then
    (``station.core.outbox``), so a record changed five times before the next push travels
    once. ``base_version`` is the version central holds (the one before this entry's first
    change; none for an insert). Entries written before version 0017 carry a full copy of the
    record in ``payload`` and travel as written."""

    __tablename__ = "outbox"
    # Partial on both engines (migration 0017); only SQLite's clause is named here, since
    # naming PostgreSQL's would import its dialect into every dock's start.
    __table_args__ = (Index("ix_outbox_pending_entity", "entity_id", sqlite_where=text("state = 'pending'")),)

    seq: Mapped[int] = mapped_column(SeqId, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    station_id: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    entity_version: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[OutboxState] = mapped_column(
        db_enum(OutboxState, 12), default=OutboxState.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None]
    base_version: Mapped[int | None] = mapped_column(Integer)


class OutboxFence(Base):
    """The newest outbox seq a push has read: entries up to it are on their way and stay as
    they are; a change after it gets an entry of its own (one row, ``id`` 1)."""

    __tablename__ = "outbox_fence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
