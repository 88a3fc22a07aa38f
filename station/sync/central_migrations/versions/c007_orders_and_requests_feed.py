"""orders, order lines, return requests and their lines enter the change feed

Revision ID: c007
Revises: c006

An order or a request lived in the database of the returns service that took it: a dock could
not receive against an order another service took, and a dock rebuilt from central lost them.
Now they sync (station.sync.owners); their changes enter the feed as the other synced tables'
do (central migration c001's triggers), with the rows already on central.
"""

from __future__ import annotations

from alembic import op

revision = "c007"
down_revision = "c006"
branch_labels = None
depends_on = None

# Frozen at this revision (station.sync.central_schema.FEED_TABLES grows).
TABLES = ("orders", "order_lines", "rma_requests", "rma_request_lines")


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
