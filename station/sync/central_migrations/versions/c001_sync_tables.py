"""central sync tables: applied-event ledger, conflicts, photo blobs, change feed + triggers

Revision ID: c001
Revises:
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "c001"
down_revision = None
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# Frozen copy of station.sync.central_schema.FEED_TABLES at this revision.
FEED_TABLES = (
    "operators", "products", "rmas", "rma_lines", "receipts", "units", "inspections", "photos",
    "dispositions", "resolutions", "approvals", "label_jobs", "alerts",
)

# Statement-level triggers with a transition table: one INSERT ... SELECT per statement, not
# one per row. The feed is append-only: each entry is stamped with its writer's transaction id
# (``xid``, a default) and a sequence number, and never updated. Pullers order entries by
# (xid, seq) and take only transactions that are finished in their snapshot (see
# ``station.sync.feed``), so nothing needs numbering after commit.
NOTE_CHANGE = """
CREATE OR REPLACE FUNCTION sync_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync_changes (entity_type, entity_id) SELECT TG_TABLE_NAME, id FROM sync_new_rows;
    RETURN NULL;
END
$$
"""

# One index only (the primary key): pullers range-scan it by (xid, seq). The sequence is cached
# per session: numbers only need to rise within one transaction.
CHANGES_TABLE = """
CREATE TABLE sync_changes (
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000),
    entity_type varchar(40) NOT NULL,
    entity_id uuid NOT NULL,
    CONSTRAINT pk_sync_changes PRIMARY KEY (xid, seq)
)
"""


def upgrade() -> None:
    op.create_table(
        "sync_applied_events",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("pushed_by", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("entity_version", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=12), server_default="applied", nullable=False),
        sa.Column("applied_at", station.models.base.UtcDateTime(), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_applied_events")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("pushed_by", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=12), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("station_version", sa.Integer(), nullable=False),
        sa.Column("central_version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("station_payload", sa.JSON(), nullable=False),
        sa.Column("central_payload", sa.JSON(), nullable=True),
        sa.Column("detected_at", station.models.base.UtcDateTime(), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("state", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", station.models.base.UtcDateTime(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sync_conflicts_event_id")),
    )
    op.create_index(op.f("ix_sync_conflicts_entity_id"), "sync_conflicts", ["entity_id"])
    op.create_index(op.f("ix_sync_conflicts_state"), "sync_conflicts", ["state"])
    op.create_table(
        "sync_photo_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", station.models.base.UtcDateTime(), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_photo_blobs")),
    )
    if op.get_bind().dialect.name != "postgresql":
        log.warning("central database is not PostgreSQL: no change feed, no photo hash check")
        return
    op.execute(CHANGES_TABLE)
    # The server verifies every photo on arrival: bytes whose SHA-256 is not their key are refused.
    op.create_check_constraint("content_matches_hash", "sync_photo_blobs",
                               "encode(sha256(data), 'hex') = sha256")
    op.execute(NOTE_CHANGE)
    for table in FEED_TABLES:
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER sync_feed_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING NEW TABLE AS sync_new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION sync_note_change()"
            )
        # Rows that were there before the feed existed (an upstream import) enter it too.
        op.execute(f"INSERT INTO sync_changes (entity_type, entity_id) SELECT '{table}', id FROM {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in FEED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_insert ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_update ON {table}")
        op.execute("DROP FUNCTION IF EXISTS sync_note_change()")
        op.execute("DROP TABLE IF EXISTS sync_changes")
    op.drop_table("sync_photo_blobs")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_applied_events")
