"""units.lot / units.expiry and sales.lot: returns and sales by production lot (issue 26)

Revision ID: 0021
Revises: 0020

The scan classifier always parsed GS1 AI 10 (lot) and AI 17 (expiry) and then dropped them, so
no return could be traced to a production lot. A unit now keeps both (empty / NULL when the
code carried none); units sync as whole rows, so the columns travel with them (central's units
table is migrated by these same scripts).

``sales`` gains ``lot`` (empty: the file named none) so a lot's return rate has its units sold;
the unique key becomes (sku, day, channel, lot).

``lot_holds``: a supervisor's hold on a SKU's lot (synced both ways; central's feed triggers are
central migration c010).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("lot", sa.String(length=40), server_default="", nullable=False))
        batch.add_column(sa.Column("expiry", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_units_lot"), ["lot"], unique=False)
    with op.batch_alter_table("sales") as batch:
        batch.add_column(sa.Column("lot", sa.String(length=40), server_default="", nullable=False))
        batch.drop_constraint("uq_sales_sku_day_channel", type_="unique")
        batch.create_unique_constraint("uq_sales_sku_day_channel_lot", ["sku", "sold_on", "channel", "lot"])
    op.create_table(
        "lot_holds",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_by", sa.Uuid(), nullable=False),
        sa.Column("held_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.Uuid(), nullable=True),
        sa.Column("released_at", station.models.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("release_note", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["held_by"], ["operators.id"], name=op.f("fk_lot_holds_held_by_operators")),
        sa.ForeignKeyConstraint(["released_by"], ["operators.id"], name=op.f("fk_lot_holds_released_by_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_holds")),
    )
    op.create_index("ix_lot_holds_sku_lot", "lot_holds", ["sku", "lot"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lot_holds_sku_lot", table_name="lot_holds")
    op.drop_table("lot_holds")
    with op.batch_alter_table("sales") as batch:  # sales per lot are summed back into one row per day
        batch.drop_constraint("uq_sales_sku_day_channel_lot", type_="unique")
    op.execute("UPDATE sales SET units = (SELECT SUM(s2.units) FROM sales s2 WHERE s2.sku = sales.sku "
               "AND s2.sold_on = sales.sold_on AND s2.channel = sales.channel) "
               "WHERE id IN (SELECT MIN(id) FROM sales GROUP BY sku, sold_on, channel)")
    op.execute("DELETE FROM sales WHERE id NOT IN (SELECT MIN(id) FROM sales GROUP BY sku, sold_on, channel)")
    with op.batch_alter_table("sales") as batch:
        batch.drop_column("lot")
        batch.create_unique_constraint("uq_sales_sku_day_channel", ["sku", "sold_on", "channel"])
    with op.batch_alter_table("units") as batch:
        batch.drop_index(batch.f("ix_units_lot"))
        batch.drop_column("expiry")
        batch.drop_column("lot")
