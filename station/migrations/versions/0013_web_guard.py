"""web guard: the request page's attempt counters, used form nonces, signing key

Revision ID: 0013
Revises: 0012

The customer request page limits attempts per order and per client address, refuses a form
posted twice and signs its links; these tables keep that state in the database so several
service processes share it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('page_attempts',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_page_attempts'))
    )
    op.create_table('used_form_nonces',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('used_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_used_form_nonces'))
    )
    op.create_index(op.f('ix_used_form_nonces_used_at'), 'used_form_nonces', ['used_at'], unique=False)
    op.create_table('web_keys',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_web_keys'))
    )


def downgrade() -> None:
    op.drop_table('web_keys')
    op.drop_index(op.f('ix_used_form_nonces_used_at'), table_name='used_form_nonces')
    op.drop_table('used_form_nonces')
    op.drop_table('page_attempts')
