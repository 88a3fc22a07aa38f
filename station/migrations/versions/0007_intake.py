"""intake: orders, return requests and their lines, API tokens

Revision ID: 0007
Revises: 0006

The records before the dock: orders the shop's systems send, the customers' return requests
(authorised, pending review or refused) and the hashed bearer tokens of the JSON API.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('rate_window', sa.Integer(), nullable=False),
    sa.Column('rate_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('name', name=op.f('uq_api_tokens_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=64), nullable=False),
    sa.Column('placed_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('customer_ref', sa.String(length=64), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_email', sa.String(length=254), nullable=False),
    sa.Column('customer_phone', sa.String(length=40), nullable=False),
    sa.Column('customer_language', sa.String(length=10), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('order_number', name=op.f('uq_orders_order_number'))
    )
    op.create_index(op.f('ix_orders_customer_ref'), 'orders', ['customer_ref'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('serials', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    op.create_index(op.f('ix_order_lines_order_id'), 'order_lines', ['order_id'], unique=False)
    op.create_table('rma_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.JSON(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('requested_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('rma_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_rma_requests_order_id_orders')),
    sa.ForeignKeyConstraint(['rma_id'], ['rmas.id'], name=op.f('fk_rma_requests_rma_id_rmas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rma_requests')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_rma_requests_idempotency_key')),
    sa.UniqueConstraint('number', name=op.f('uq_rma_requests_number'))
    )
    op.create_index('ix_rma_requests_order_status', 'rma_requests', ['order_id', 'status'], unique=False)
    op.create_index(op.f('ix_rma_requests_status'), 'rma_requests', ['status'], unique=False)
    op.create_table('rma_request_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Uuid(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['rma_requests.id'], name=op.f('fk_rma_request_lines_request_id_rma_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rma_request_lines'))
    )
    op.create_index(op.f('ix_rma_request_lines_request_id'), 'rma_request_lines', ['request_id'], unique=False)
    


def downgrade() -> None:
    op.drop_index(op.f('ix_rma_request_lines_request_id'), table_name='rma_request_lines')
    op.drop_table('rma_request_lines')
    op.drop_index(op.f('ix_rma_requests_status'), table_name='rma_requests')
    op.drop_index('ix_rma_requests_order_status', table_name='rma_requests')
    op.drop_table('rma_requests')
    op.drop_index(op.f('ix_order_lines_order_id'), table_name='order_lines')
    op.drop_table('order_lines')
    op.drop_index(op.f('ix_orders_customer_ref'), table_name='orders')
    op.drop_table('orders')
    op.drop_table('api_tokens')
    
