"""central fences commitments after it was restored from a backup (or copied)

Revision ID: c009
Revises: c008

A resolution central accepted after a backup was taken is lost with the restore; its dock sends
it again, but another dock could resolve the same RMA on the restored central first, and the
customer was paid twice. Central now recognises a restore or a copy by itself (the database's
own OID, which a restore into a new database or ``createdb -T`` changes, or an admin's
``rma-station central restored``) and then fences commitments (station.sync.fence): no dock's
new resolution may stand until every station has met the restored central and sent again what
it lost. ``sync_fence_log`` keeps who fenced, rejoined, released and lifted, and why. A trigger
refuses a pending resolution while fenced: the push holds such resolutions back on its own,
the trigger is the database's guard.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c009"
down_revision = "c008"
branch_labels = None
depends_on = None

FENCE_GUARD = """
CREATE OR REPLACE FUNCTION sync_fence_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'pending' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM 'pending')
       AND EXISTS (SELECT 1 FROM sync_central WHERE fence_id IS NOT NULL) THEN
        RAISE EXCEPTION 'central was restored from a backup; waiting until every dock has re-sent what it lost: '
                        'resolution % of RMA % may not stand yet', NEW.id, NEW.rma_id
              USING ERRCODE = 'RM409';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.add_column("sync_central", sa.Column("database_oid", sa.BigInteger(), nullable=True))
    op.add_column("sync_central", sa.Column("fence_id", sa.Uuid(), nullable=True))
    op.add_column("sync_central", sa.Column("fenced_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sync_central", sa.Column("fence_reason", sa.Text(), nullable=True))
    op.add_column("sync_stations", sa.Column("fence_owed", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "sync_fence_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("fence_id", sa.Uuid(), nullable=True),
        sa.Column("event", sa.String(12), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=True),
        sa.Column("by", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    # This database is the one stations sync with today: a later restore or copy is not.
    op.execute("UPDATE sync_central SET database_oid = "
               "(SELECT oid FROM pg_database WHERE datname = current_database())")
    op.execute(FENCE_GUARD)
    op.execute("CREATE TRIGGER sync_fence_commitments BEFORE INSERT OR UPDATE OF state ON resolutions "
               "FOR EACH ROW EXECUTE FUNCTION sync_fence_commitments()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS sync_fence_commitments ON resolutions")
        op.execute("DROP FUNCTION IF EXISTS sync_fence_commitments()")
    op.drop_table("sync_fence_log")
    op.drop_column("sync_stations", "fence_owed")
    for column in ("fence_reason", "fenced_at", "fence_id", "database_oid"):
        op.drop_column("sync_central", column)
