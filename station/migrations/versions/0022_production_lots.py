"""units.lot / units.expiry and sales.lot: returns and sales by production lot (issue 26)

Revision ID: 0022
Revises: 0018

The scan classifier always parsed GS1 AI 10 (lot) and AI 17 (expiry) and then dropped them, so
no return could be traced to a production lot. A unit now keeps both (empty / NULL when the
code carried none); units sync as whole rows, so the columns travel with them (central's units
table is migrated by these same scripts).

``sales`` gains ``lot`` (empty: the file named none) so a lot's return rate has its units sold;
the unique key becomes (sku, day, channel, lot).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0018"
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


def downgrade() -> None:
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
