"""vendors, RTV batches and their items enter the change feed

Revision ID: c006
Revises: c005

They were written at one dock and lived on its disk only: a dock rebuilt from central lost its
vendors, and a credit recorded at one dock was unknown at the next. Now they sync like the
units they are about (station.sync.owners); their changes enter the feed as the other synced
tables' do (central migration c001's triggers), and the rows already on central with them.
"""

from __future__ import annotations

from alembic import op

revision = "c006"
down_revision = "c005"
branch_labels = None
depends_on = None

# Frozen at this revision (station.sync.central_schema.FEED_TABLES grows).
TABLES = ("vendors", "rtv_batches", "rtv_items")


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
