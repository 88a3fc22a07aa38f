"""lot holds enter central's change feed (issue 26)

Revision ID: c010
Revises: c009

A supervisor's hold on a production lot (station migration 0021, ``lot_holds``) is written at
one dock and must reach every dock, so a unit of the held lot is held wherever it is scanned.
Its changes enter the feed like the other synced tables (central migration c001's triggers).
"""

from __future__ import annotations

from alembic import op

revision = "c010"
down_revision = "c009"
branch_labels = None
depends_on = None

# Frozen at this revision (station.sync.central_schema.FEED_TABLES grows).
TABLES = ("lot_holds",)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE"):
            op.execute(f"CREATE TRIGGER sync_feed_{event.lower()} AFTER {event} ON {table} "
                       f"REFERENCING NEW TABLE AS sync_new_rows FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION sync_note_change()")
        op.execute(f"INSERT INTO sync_changes (entity_type, entity_id) SELECT '{table}', id FROM {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_insert ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_update ON {table}")
