"""central holds one standing RTV credit per batch (a unique partial index); credits enter the feed

Revision ID: c008
Revises: c007

Two docks holding the same synced RTV batch could each credit it offline, and central kept
both: ``rtv.credited`` left twice and the vendor's money was booked twice. A credit is now a
record of its own (station migration 0017, ``rtv_credits``). Central refuses the second by a
constraint, not a check-then-insert: the push's ``INSERT ... ON CONFLICT DO NOTHING`` leaves it
out, it becomes a conflict, and its dock voids it (station.rtv.commitments). Credits enter the
change feed like the other synced tables (central migration c001's triggers), so every dock
learns which credit stands.
"""

from __future__ import annotations

from alembic import op

revision = "c008"
down_revision = "c007"
branch_labels = None
depends_on = None

# Frozen at this revision (station.sync.central_schema.FEED_TABLES grows).
TABLES = ("rtv_credits",)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE"):
            op.execute(f"CREATE TRIGGER sync_feed_{event.lower()} AFTER {event} ON {table} "
                       f"REFERENCING NEW TABLE AS sync_new_rows FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION sync_note_change()")
        op.execute(f"INSERT INTO sync_changes (entity_type, entity_id) SELECT '{table}', id FROM {table}")
    op.execute("CREATE UNIQUE INDEX uq_rtv_credits_one_standing_per_batch ON rtv_credits (batch_id) "
               "WHERE state <> 'voided'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS uq_rtv_credits_one_standing_per_batch")
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_insert ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS sync_feed_update ON {table}")
