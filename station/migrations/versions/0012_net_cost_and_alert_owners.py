"""net cost and alert owners: refurbishments, resale prices, alert owners/actions, operator e-mail

Revision ID: 0012
Revises: 0011

What a return recovers and what repairing it costs (refurbishments finished at the refurbish
step, the resale price list per SKU and grade), and alerts that reach an owner: the rule's
owner and response deadline stored on the alert, its action notes, its closing, and the
supervisors' e-mail addresses it escalates to.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TS = station.models.base.UtcDateTime(timezone=True)
_GRADE = sa.Enum('A', 'B', 'C', 'D', name='grade', native_enum=False, length=2, create_constraint=False)


def upgrade() -> None:
    op.create_table('refurbishments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('parts', sa.Text(), nullable=False),
    sa.Column('outcome_grade', _GRADE, nullable=False),
    sa.Column('finished_by', sa.Uuid(), nullable=True),
    sa.Column('finished_at', _TS, nullable=False),
    sa.ForeignKeyConstraint(['finished_by'], ['operators.id'], name=op.f('fk_refurbishments_finished_by_operators')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_refurbishments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refurbishments')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_refurbishments_unit_id'))
    )
    op.create_table('resale_prices',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('grade', _GRADE, nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('updated_at', _TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resale_prices')),
    sa.UniqueConstraint('sku', 'grade', name='uq_resale_prices_sku_grade')
    )
    op.create_table('alert_actions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('at', _TS, nullable=False),
    sa.Column('by', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_actions_alert_id_alerts')),
    sa.ForeignKeyConstraint(['by'], ['operators.id'], name=op.f('fk_alert_actions_by_operators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_actions'))
    )
    op.create_index(op.f('ix_alert_actions_alert_id'), 'alert_actions', ['alert_id'], unique=False)
    with op.batch_alter_table('alerts') as batch:
        batch.add_column(sa.Column('owner_email', sa.String(length=254), server_default='', nullable=False))
        batch.add_column(sa.Column('owner_webhook', sa.String(length=80), server_default='', nullable=False))
        batch.add_column(sa.Column('respond_by', _TS, nullable=True))
        batch.add_column(sa.Column('escalated_at', _TS, nullable=True))
        batch.add_column(sa.Column('closed_by', sa.Uuid(), nullable=True))
        batch.add_column(sa.Column('closed_at', _TS, nullable=True))
        batch.add_column(sa.Column('close_note', sa.Text(), server_default='', nullable=False))
        batch.create_foreign_key(op.f('fk_alerts_closed_by_operators'), 'operators', ['closed_by'], ['id'])
    with op.batch_alter_table('operators') as batch:
        batch.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))
    op.create_table('analytics_daily_net_units',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('price_grade', sa.String(length=2), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('priced_units', sa.Integer(), nullable=False),
    sa.Column('donated', sa.Integer(), nullable=False),
    sa.Column('recycled', sa.Integer(), nullable=False),
    sa.Column('written_off', sa.Integer(), nullable=False),
    sa.Column('refurbishment', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('rtv_credit', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_daily_net_units'))
    )
    op.create_index('ix_analytics_daily_net_units_day', 'analytics_daily_net_units', ['day'], unique=False)
    op.create_table('analytics_daily_net_shares',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('shipping', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('refunds', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_daily_net_shares'))
    )
    op.create_index('ix_analytics_daily_net_shares_day', 'analytics_daily_net_shares', ['day'], unique=False)
    # The new summaries are empty: have the next refresh rebuild everything (once).
    op.execute("UPDATE analytics_state SET built_at = NULL")


def downgrade() -> None:
    op.drop_index('ix_analytics_daily_net_shares_day', table_name='analytics_daily_net_shares')
    op.drop_table('analytics_daily_net_shares')
    op.drop_index('ix_analytics_daily_net_units_day', table_name='analytics_daily_net_units')
    op.drop_table('analytics_daily_net_units')
    with op.batch_alter_table('operators') as batch:
        batch.drop_column('email')
    with op.batch_alter_table('alerts') as batch:
        batch.drop_constraint(op.f('fk_alerts_closed_by_operators'), type_='foreignkey')
        for name in ('close_note', 'closed_at', 'closed_by', 'escalated_at', 'respond_by', 'owner_webhook',
                     'owner_email'):
            batch.drop_column(name)
    op.drop_index(op.f('ix_alert_actions_alert_id'), table_name='alert_actions')
    op.drop_table('alert_actions')
    op.drop_table('resale_prices')
    op.drop_table('refurbishments')
