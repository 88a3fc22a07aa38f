"""analytics summaries: per-day aggregates for the dashboard, refresh state, raw-table indexes

Revision ID: 0005
Revises: 0004

The summary tables start empty; the first ``refresh`` (``rma-station analytics refresh``, or
the first dashboard) builds them. Indexes are created directly (no table rebuild on SQLite).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RAW_INDEXES = (
    ("ix_receipts_received_at", "receipts", "received_at"),
    ("ix_receipts_updated_at", "receipts", "updated_at"),
    ("ix_units_updated_at", "units", "updated_at"),
    ("ix_inspections_updated_at", "inspections", "updated_at"),
    ("ix_resolutions_updated_at", "resolutions", "updated_at"),
    ("ix_rmas_updated_at", "rmas", "updated_at"),
)


def upgrade() -> None:
    op.create_table(
        "analytics_daily_products",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("graded", sa.Integer(), nullable=False),
        sa.Column("defective", sa.Integer(), nullable=False),
        sa.Column("written_off", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_daily_products")),
    )
    op.create_index("ix_analytics_daily_products_day", "analytics_daily_products", ["day", "product_id"])
    op.create_table(
        "analytics_daily_mix",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("grade", sa.String(length=2), nullable=True),
        sa.Column("disposition", sa.String(length=20), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_daily_mix")),
    )
    op.create_index("ix_analytics_daily_mix_day", "analytics_daily_mix", ["day"])
    op.create_table(
        "analytics_daily_cycle",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_daily_cycle")),
    )
    op.create_index("ix_analytics_daily_cycle_day", "analytics_daily_cycle", ["day", "stage", "minute"])
    op.create_table(
        "analytics_daily_costs",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rmas", sa.Integer(), nullable=False),
        sa.Column("shipping", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("refunds", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_daily_costs")),
    )
    op.create_table(
        "analytics_dirty_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_dirty_days")),
    )
    op.create_table(
        "analytics_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("watermark", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("built_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_analytics_state")),
    )
    for name, table, column in RAW_INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in reversed(RAW_INDEXES):
        op.drop_index(name, table_name=table)
    for table in ("analytics_state", "analytics_dirty_days", "analytics_daily_costs", "analytics_daily_cycle",
                  "analytics_daily_mix", "analytics_daily_products"):
        op.drop_table(table)
