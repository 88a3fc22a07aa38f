"""resolution_queue: the RMAs ready for a customer resolution, by an indexed ready time

Revision ID: 0008
Revises: 0007

RMAs already fully dispositioned (received or inspected, every unit dispositioned) enter the
queue as ready now, so an upgraded station shows what was waiting before the upgrade.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_queue",
        sa.Column("rma_id", sa.Uuid(), nullable=False),
        sa.Column("ready_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolution_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["rma_id"], ["rmas.id"], name=op.f("fk_resolution_queue_rma_id_rmas")),
        sa.PrimaryKeyConstraint("rma_id", name=op.f("pk_resolution_queue")),
    )
    op.create_index("ix_resolution_queue_ready", "resolution_queue", ["ready_at", "rma_id"])
    op.create_index("ix_resolution_queue_resolved", "resolution_queue", ["resolved_at"])
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    rmas, receipts, units = sa.table("rmas", sa.column("id"), sa.column("state")), \
        sa.table("receipts", sa.column("id"), sa.column("rma_id")), \
        sa.table("units", sa.column("receipt_id"), sa.column("state"))
    unit_of = sa.select(units.c.receipt_id).select_from(units.join(receipts, receipts.c.id == units.c.receipt_id)) \
        .where(receipts.c.rma_id == rmas.c.id)
    ids = bind.execute(sa.select(rmas.c.id).where(
        rmas.c.state.in_(["received", "inspected"]), unit_of.exists(),
        ~unit_of.where(units.c.state != "dispositioned").exists())).scalars().all()
    if ids:
        queue = sa.table("resolution_queue", sa.column("rma_id", sa.Uuid()),
                         sa.column("ready_at", station.models.base.UtcDateTime(timezone=True)),
                         sa.column("decided_by", sa.String()))
        now = dt.datetime.now(dt.UTC)
        bind.execute(queue.insert(), [{"rma_id": i, "ready_at": now, "decided_by": ""} for i in ids])


def downgrade() -> None:
    op.drop_index("ix_resolution_queue_resolved", table_name="resolution_queue")
    op.drop_index("ix_resolution_queue_ready", table_name="resolution_queue")
    op.drop_table("resolution_queue")
