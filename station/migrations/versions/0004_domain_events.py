"""domain_events: rma.received / unit.inspected / unit.dispositioned / resolution.issued

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain_events",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("rma_number", sa.String(length=32), nullable=False),
        sa.Column("rma_seq", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_events")),
    )
    with op.batch_alter_table("domain_events", schema=None) as batch_op:
        batch_op.create_index("ix_domain_events_rma_order", ["rma_number", "rma_seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_domain_events_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_domain_events_occurred_at"), ["occurred_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("domain_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_domain_events_name"))
        batch_op.drop_index("ix_domain_events_rma_order")
    op.drop_table("domain_events")
