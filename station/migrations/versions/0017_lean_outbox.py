"""outbox: entries name a changed record (one per record per push); the push reads its state

Revision ID: 0017
Revises: 0016

Before, every flush wrote a full copy of the record into the outbox, so a record changed four
times in one request travelled four times. Now an entry names the record, with the version
central holds (``base_version``), and the push reads the record as it is then
(station.core.outbox). ``outbox_fence`` holds the newest seq a push has read: entries up to it
are on their way and are not reused. Entries already waiting keep their payload and travel as
written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("base_version", sa.Integer(), nullable=True))
    op.create_index("ix_outbox_pending_entity", "outbox", ["entity_id"],
                    sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'"))
    op.create_table(
        "outbox_fence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    )
    # Entries already waiting carry their payload and travel as written: none is reused.
    op.execute("INSERT INTO outbox_fence (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM outbox")


def downgrade() -> None:
    op.drop_table("outbox_fence")
    op.drop_index("ix_outbox_pending_entity", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("base_version")
