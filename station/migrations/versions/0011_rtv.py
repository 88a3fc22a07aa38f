"""rtv: vendors, return-to-vendor batches and their items

Revision ID: 0011
Revises: 0010

Vendors (code, contact, agreement rate), the batches of approved return-to-vendor units
shipped to them (which are also the claims they settle) and the units in each batch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vendors',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('agreement_rate_pct', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendors')),
    sa.UniqueConstraint('code', name=op.f('uq_vendors_code')),
    sa.UniqueConstraint('name', name=op.f('uq_vendors_name'))
    )
    op.create_table('rtv_batches',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('vendor_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.Enum('open', 'shipped', 'acknowledged', 'credited', 'disputed', name='rtvstate', native_enum=False, length=14), nullable=False),
    sa.Column('opened_by', sa.Uuid(), nullable=False),
    sa.Column('opened_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ra_number', sa.String(length=64), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('tracking_number', sa.String(length=64), nullable=False),
    sa.Column('shipped_by', sa.Uuid(), nullable=True),
    sa.Column('shipped_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('claimed_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('acknowledged_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('credited_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('credited_on', sa.Date(), nullable=True),
    sa.Column('dispute_reason', sa.Text(), nullable=False),
    sa.Column('settled_at', station.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opened_by'], ['operators.id'], name=op.f('fk_rtv_batches_opened_by_operators')),
    sa.ForeignKeyConstraint(['shipped_by'], ['operators.id'], name=op.f('fk_rtv_batches_shipped_by_operators')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendors.id'], name=op.f('fk_rtv_batches_vendor_id_vendors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rtv_batches')),
    sa.UniqueConstraint('number', name=op.f('uq_rtv_batches_number'))
    )
    with op.batch_alter_table('rtv_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rtv_batches_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_rtv_batches_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('rtv_items',
    sa.Column('batch_id', sa.Uuid(), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lpn', sa.String(length=32), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('defect', sa.Text(), nullable=False),
    sa.Column('claimed_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('added_by', sa.Uuid(), nullable=False),
    sa.Column('added_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', station.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['operators.id'], name=op.f('fk_rtv_items_added_by_operators')),
    sa.ForeignKeyConstraint(['batch_id'], ['rtv_batches.id'], name=op.f('fk_rtv_items_batch_id_rtv_batches')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_rtv_items_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rtv_items')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_rtv_items_unit_id'))
    )
    with op.batch_alter_table('rtv_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rtv_items_batch_id'), ['batch_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rtv_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rtv_items_batch_id'))

    op.drop_table('rtv_items')
    with op.batch_alter_table('rtv_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rtv_batches_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_rtv_batches_state'))

    op.drop_table('rtv_batches')
    op.drop_table('vendors')
