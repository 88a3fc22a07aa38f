"""sign-in throttles: consecutive wrong PINs per badge and per station

Revision ID: 0010
Revises: 0009

Local only (never synced): each station counts the wrong PINs typed at it, and keeps the
count across restarts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("locked_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_sign_in_throttles")),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttles")
