"""central holds one standing resolution per RMA (a unique partial index)

Revision ID: c005
Revises: c004

Two docks deciding the same RMA offline each pushed a refund, and central kept both: the shop
paid twice. Central now refuses the second by a constraint, not a check-then-insert: the
push's ``INSERT ... ON CONFLICT DO NOTHING`` leaves it out, it becomes a conflict, and its
dock voids it (station.resolution.commitments). A central that already holds two standing
resolutions for one RMA keeps the first issued; the later ones are voided here, with the
reason, so the index can be built.
"""

from __future__ import annotations

from alembic import op

revision = "c005"
down_revision = "c004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        UPDATE resolutions r SET state = 'voided',
               void_reason = 'Voided when central began to hold one resolution per RMA: RMA had an earlier one ('
                             || first.id || ').',
               version = r.version + 1
        FROM (SELECT DISTINCT ON (rma_id) rma_id, id FROM resolutions WHERE state <> 'voided'
              ORDER BY rma_id, issued_at, id) first
        WHERE r.rma_id = first.rma_id AND r.id <> first.id AND r.state <> 'voided'
    """)
    op.execute("CREATE UNIQUE INDEX uq_resolutions_one_standing_per_rma ON resolutions (rma_id) "
               "WHERE state <> 'voided'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS uq_resolutions_one_standing_per_rma")
