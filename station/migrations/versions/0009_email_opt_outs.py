"""email opt-outs: addresses that used the one-click unsubscribe link

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('email_opt_outs',
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('opted_out_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_email_opt_outs'))
    )


def downgrade() -> None:
    op.drop_table('email_opt_outs')
