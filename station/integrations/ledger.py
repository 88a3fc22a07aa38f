"""The delivery ledger: sequenced event log, webhook consumers and deliveries, notices sent.

Own MetaData, not ``station.models.Base``: a station's SQLite file and its Alembic chain stay
free of tables only the dispatching side needs, and the ledger can be added to a central
database the station's migrations do not own. ``init`` creates what is missing (idempotent).

``integration_event_log`` gives every domain event an arrival number (``seq``). Events reach
the central database late and out of order (a station offline for a day), so ``occurred_at``
cannot be a cursor; the arrival number can, because ``ingest`` assigns it under a lock, so a
higher number is never committed before a lower one.
"""

from __future__ import annotations

import logging

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    text,
    true,
)

from station.models.base import NAMING, UtcDateTime

log = logging.getLogger(__name__)

LEDGER = MetaData(naming_convention=NAMING)
_SEQ = BigInteger().with_variant(Integer(), "sqlite")

event_log = Table(
    "integration_event_log", LEDGER,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("ingested_at", UtcDateTime(), nullable=False),
)

cursors = Table(
    "integration_cursors", LEDGER,
    Column("name", String(80), primary_key=True),
    Column("seq", _SEQ, nullable=False, default=0),
)

consumers = Table(
    "webhook_consumers", LEDGER,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("secret_env", String(120), nullable=False),
    Column("events", JSON, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("max_attempts", Integer, nullable=False, default=8),
    Column("planned_seq", _SEQ, nullable=False, default=0),
    Column("created_at", UtcDateTime(), nullable=False),
    # A header carrying the receiver's token: its name, and the environment variable its
    # value is read from when sending (the value itself is never stored).
    Column("auth_header", String(80), nullable=False, default="", server_default=""),
    Column("auth_env", String(120), nullable=False, default="", server_default=""),
    # The one private-network host name the admin allowed this consumer to reach.
    Column("allow_private_host", String(253), nullable=False, default="", server_default=""),
    # Secret rotation: the secret being replaced (its environment variable) keeps signing
    # beside the new one until ``previous_until``, the grace period the admin gave.
    Column("previous_secret_env", String(120), nullable=False, default="", server_default=""),
    Column("previous_until", UtcDateTime(), nullable=True),
    # Deprecated X-RMA-Signature headers besides the Standard Webhooks ones (one release):
    # on for consumers that existed before Standard Webhooks, off for new ones.
    Column("legacy_headers", Boolean, nullable=False, default=False, server_default=true()),
)

deliveries = Table(
    "webhook_deliveries", LEDGER,
    Column("consumer_id", Integer, primary_key=True),
    Column("event_id", Uuid, primary_key=True),
    Column("seq", _SEQ, nullable=False),
    Column("rma_number", String(32), nullable=False),
    Column("rma_seq", Integer, nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("state", String(12), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=False, default=""),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    Index("ix_webhook_deliveries_rma", "consumer_id", "rma_number", "state"),
)

notices = Table(
    "notices_sent", LEDGER,
    Column("event_id", Uuid, primary_key=True),
    Column("channel", String(10), primary_key=True),
    Column("seq", _SEQ, nullable=False),
    Column("notice", String(40), nullable=False),
    Column("recipient", String(254), nullable=False, default=""),
    Column("state", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("last_error", Text, nullable=False, default=""),
    Column("sent_at", UtcDateTime(), nullable=True),
    Index("ix_notices_sent_retry", "state", "next_attempt_at"),
)

FEED_VIEW = "integration_event_feed"
_VIEW_SQL = f"""
CREATE VIEW {FEED_VIEW} AS
SELECT l.seq AS cursor, e.id AS event_id, e.name, e.rma_number, e.rma_seq, e.occurred_at,
       e.station_id, e.payload
FROM integration_event_log l JOIN domain_events e ON e.id = l.event_id
"""


def init(engine: Engine) -> list[str]:
    """Create the ledger tables and the feed view where missing; returns what was created."""
    from sqlalchemy import inspect

    inspector = inspect(engine)
    if not inspector.has_table("domain_events"):
        from station.core.errors import ConfigError

        raise ConfigError("This database has no domain_events table.",
                          next_step="Run `rma-station db upgrade` on it first.")
    existing = set(inspector.get_table_names())
    created = [t.name for t in LEDGER.sorted_tables if t.name not in existing]
    LEDGER.create_all(engine, checkfirst=True)
    created += add_missing_columns(engine)
    if FEED_VIEW not in inspector.get_view_names():
        with engine.begin() as conn:
            conn.execute(text(_VIEW_SQL))
        created.append(FEED_VIEW)
    if created:
        log.info("integrations ledger: created %s", ", ".join(created))
    return created


def add_missing_columns(engine: Engine) -> list[str]:
    """Add columns later releases gave the ledger's tables to a ledger created before them."""
    from sqlalchemy import inspect
    from sqlalchemy.schema import CreateColumn

    added: list[str] = []
    inspector = inspect(engine)
    for table in LEDGER.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            ddl = CreateColumn(column).compile(dialect=engine.dialect)
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
            added.append(f"{table.name}.{column.name}")
    return added


def drop(engine: Engine) -> None:
    """Remove the ledger (tests, and a site that stops using integrations)."""
    with engine.begin() as conn:
        conn.execute(text(f"DROP VIEW IF EXISTS {FEED_VIEW}"))
    LEDGER.drop_all(engine, checkfirst=True)
