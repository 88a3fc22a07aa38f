"""central remembers what it acknowledged and handed to each station (copies and backups)

Revision ID: c004
Revises: c003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c004"
down_revision = "c003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing stations get NULL: central does not know what it acknowledged before it kept
    # count, so their first rounds compare nothing on the push side (station.sync.history).
    op.add_column("sync_stations", sa.Column("acked_seq", sa.BigInteger(), nullable=True))
    op.add_column("sync_stations", sa.Column("handed_n", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("sync_stations", sa.Column("handed", sa.JSON(), nullable=True))


def downgrade() -> None:
    for column in ("handed", "handed_n", "acked_seq"):
        op.drop_column("sync_stations", column)
