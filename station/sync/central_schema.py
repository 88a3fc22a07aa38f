"""Tables that exist only in the central database, on their own MetaData.

The central database holds the station schema (``station.models.Base``, migrated by the
station's own Alembic scripts) plus these bookkeeping tables, migrated by
``station/sync/central_migrations`` with a separate version table. Keeping them off
``Base.metadata`` means a station's SQLite file never grows central-only tables.

- ``sync_applied_events``: one row per outbox event ever applied, keyed by the event UUID.
  Claiming this row first in the push transaction is what makes a retried batch a no-op.
- ``sync_conflicts``: the second write to a record two stations changed; a supervisor decides.
- ``sync_photo_blobs``: photos by SHA-256; PostgreSQL checks the hash of the bytes on arrival.
- ``sync_central``: this central's identity, one row made by ``central init``; a station binds
  its pull cursor to it and refuses a server with another one (``station.sync.identity``).
  ``server_id`` is the PostgreSQL cluster's system identifier: a database restored on another
  server (new transaction ids, so every cursor is void) is recognised and refused.
- ``sync_stations``: every station that ever synced, with its station number (part of every
  LPN): a second station with the same number is refused before it pushes an LPN; and what
  central remembers of each station (newest seq acknowledged, pull pages handed out), by which
  a station recognises a copy of central or an older backup (``station.sync.history``).
- ``sync_fence_log``: when central fenced commitments after a restore, which stations rejoined,
  which an admin released, and when the fence was lifted (``station.sync.fence``).
- ``sync_conflict_members``: the records a conflict holds back as a whole (a duplicate
  parcel's receipt and its units), so none of them lands on central until a supervisor says.
- ``sync_changes``: the change feed stations pull from, append-only, one entry per changed
  record per writing statement, stamped with the writer's transaction id (see
  ``station.sync.feed``). PostgreSQL only (``xid8``, PostgreSQL 13+).
- ``sync_audit_events``: every station's audit chain, append-only (PostgreSQL refuses UPDATE,
  DELETE, TRUNCATE and any insert that does not extend the station's last event), keyed by
  the pushing station and its own seq; ``sync_audit_heads`` (a view) is each station's newest.
- ``sync_audit_refusals``: chains central refused, with the reason (``station.sync.audit_anchor``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Identity,
    Integer,
    JSON,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
)
from sqlalchemy.types import UserDefinedType

from station.models.base import NAMING, UtcDateTime

CENTRAL = MetaData(naming_convention=NAMING)

VERSION_TABLE = "central_schema_version"
"""Alembic version table of the central-only migrations (the station schema keeps
``alembic_version``)."""

applied_events = Table(
    "sync_applied_events", CENTRAL,
    Column("event_id", Uuid, primary_key=True),
    Column("pushed_by", String(64), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("entity_version", Integer, nullable=False),
    Column("outcome", String(12), nullable=False, server_default="applied"),
    Column("applied_at", UtcDateTime(), nullable=False, server_default=func.now()),
)

conflicts = Table(
    "sync_conflicts", CENTRAL,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("pushed_by", String(64), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Uuid, nullable=False, index=True),
    Column("operation", String(12), nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("station_version", Integer, nullable=False),
    Column("central_version", Integer, nullable=True),
    Column("reason", Text, nullable=False),
    Column("station_payload", JSON, nullable=False),
    Column("central_payload", JSON, nullable=True),
    Column("detected_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("state", String(12), nullable=False, server_default="open", index=True),
    Column("resolved_by", String(64), nullable=True),
    Column("resolved_at", UtcDateTime(), nullable=True),
    Column("resolution", Text, nullable=True),
    Column("central_by", String(64), nullable=True),
)

conflict_members = Table(
    "sync_conflict_members", CENTRAL,
    Column("event_id", Uuid, primary_key=True),
    Column("conflict_id", BigInteger, ForeignKey("sync_conflicts.id"), nullable=False, index=True),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Uuid, nullable=False, index=True),
    Column("operation", String(12), nullable=False),
    Column("station_version", Integer, nullable=False),
    Column("station_payload", JSON, nullable=False),
)

central_identity = Table(
    "sync_central", CENTRAL,
    Column("central_id", Uuid, primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("server_id", String(32), nullable=True),
    # The database's own OID (pg_database) when stations last synced with it: a restore into a
    # new database, or a ``createdb -T`` copy, has another, so central knows it went back
    # (station.sync.fence). While ``fence_id`` is set, no new resolution may stand.
    Column("database_oid", BigInteger, nullable=True),
    Column("fence_id", Uuid, nullable=True),
    Column("fenced_at", UtcDateTime(), nullable=True),
    Column("fence_reason", Text, nullable=True),
)

stations = Table(
    "sync_stations", CENTRAL,
    Column("station_id", String(64), primary_key=True),
    Column("station_no", Integer, nullable=False, unique=True),
    Column("first_seen_at", UtcDateTime(), nullable=False, server_default=func.now()),
    # What central remembers of the station, to recognise a copy or an older backup of itself
    # (station.sync.history): the newest outbox seq it committed (NULL: from before it kept
    # it), and how many pull pages it handed out, with the last page's cursor.
    Column("acked_seq", BigInteger, nullable=True),
    Column("handed_n", BigInteger, nullable=False, server_default="0"),
    Column("handed", JSON, nullable=True),
    # While central is fenced: the station has not yet met it and sent again what it lost.
    Column("fence_owed", Boolean, nullable=False, server_default=false()),
)

fence_log = Table(
    "sync_fence_log", CENTRAL,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", UtcDateTime(), nullable=False, server_default=func.now()),
    Column("fence_id", Uuid, nullable=True),
    Column("event", String(12), nullable=False),
    Column("station_id", String(64), nullable=True),
    Column("by", String(64), nullable=True),
    Column("reason", Text, nullable=False, server_default=""),
)

photo_blobs = Table(
    "sync_photo_blobs", CENTRAL,
    Column("sha256", String(64), primary_key=True),
    Column("content_type", String(40), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", UtcDateTime(), nullable=False, server_default=func.now()),
)

audit_copies = Table(
    "sync_audit_events", CENTRAL,
    Column("pushed_by", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", Uuid, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("station_id", String(64), nullable=False),
    Column("operator_id", Uuid, nullable=True),
    Column("operator_badge", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("hash_scheme", String(40), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False, server_default=func.now()),
)

audit_refusals = Table(
    "sync_audit_refusals", CENTRAL,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("pushed_by", String(64), nullable=False),
    Column("central_seq", BigInteger, nullable=False),
    Column("central_hash", String(64), nullable=False),
    Column("station_seq", BigInteger, nullable=False),
    Column("station_hash", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("detected_at", UtcDateTime(), nullable=False, server_default=func.now()),
    UniqueConstraint("pushed_by", "central_seq", "station_seq", "station_hash"),
)

class Xid8(UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (never wraps around)."""

    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


changes = Table(
    "sync_changes", CENTRAL,
    Column("xid", Xid8(), primary_key=True, server_default=func.pg_current_xact_id()),
    Column("seq", BigInteger, Identity(cache=1000), primary_key=True),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Uuid, nullable=False),
)

FEED_TABLES: tuple[str, ...] = (
    "operators", "products", "rmas", "rma_lines", "orders", "order_lines", "rma_requests", "rma_request_lines",
    "receipts", "units", "inspections", "photos", "dispositions", "resolutions", "approvals", "label_jobs", "alerts",
    "vendors", "rtv_batches", "rtv_items", "rtv_credits", "lot_holds",
)
"""Tables whose changes enter the feed (every synced table, parents first)."""
