"""rtv_credits: the vendor's credit for a batch as a commitment (pending / effective / voided)

Revision ID: 0018
Revises: 0017

Two docks holding the same synced batch could each credit it offline: both credits were
pushed, ``rtv.credited`` left twice and the vendor's money was booked twice. A credit is now a
record of its own, single-writer across the fleet: a dock's is pending until central took it
(station.rtv.commitments), and central holds one per batch (central migration c008).

Batches credited before this revision keep their state and amounts; they have no credit row
(nothing says who credited them), and a credited batch refuses a new credit as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rtv_credits",
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("credited_on", sa.Date(), nullable=False),
        sa.Column("credited_by", sa.Uuid(), nullable=False),
        sa.Column("credited_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.Enum("effective", "pending", "voided", name="rtvcreditstate", native_enum=False,
                                   length=12), server_default="effective", nullable=False),
        sa.Column("void_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["rtv_batches.id"], name=op.f("fk_rtv_credits_batch_id_rtv_batches")),
        sa.ForeignKeyConstraint(["credited_by"], ["operators.id"], name=op.f("fk_rtv_credits_credited_by_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rtv_credits")),
    )
    with op.batch_alter_table("rtv_credits") as batch:
        batch.create_index(batch.f("ix_rtv_credits_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rtv_credits") as batch:
        batch.drop_index(batch.f("ix_rtv_credits_batch_id"))
    op.drop_table("rtv_credits")
