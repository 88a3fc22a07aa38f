"""resolutions: state (effective / pending / voided), the deferred event's data, void reason

Revision ID: 0014
Revises: 0013

A resolution is a commitment to the customer, single-writer across the fleet: a dock's is
pending until central accepted it (station.resolution.commitments). Every resolution made so
far stands: existing rows are effective.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resolutions") as batch:
        batch.add_column(sa.Column("state", sa.String(length=12), server_default="effective", nullable=False))
        batch.add_column(sa.Column("event_data", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("void_reason", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("resolutions") as batch:
        batch.drop_column("void_reason")
        batch.drop_column("event_data")
        batch.drop_column("state")
