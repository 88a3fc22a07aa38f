"""products.family and products.variant: which products are sizes/colours of one another;
the exchange variant a customer chose, on the request line and the RMA line

Revision ID: 0020
Revises: 0019

A customer asking for an exchange chooses another size or colour of what was ordered (issue
24). The catalogue had no way to say that ``AP-TS-RED-M`` and ``AP-TS-BLK-L`` are one T-shirt:
``family`` groups a product's variants (empty: a product of its own) and ``variant`` names the
attributes that tell them apart (``{"size": "M", "colour": "red"}``). The customer's choice is
kept on the request line and copied to the RMA line, where the resolution desk issues the
exchange. Existing rows: no family, no attributes, no choice (exchange for the same SKU).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("family", sa.String(length=64), server_default="", nullable=False))
        batch.add_column(sa.Column("variant", sa.JSON(), nullable=True))
        batch.create_index(batch.f("ix_products_family"), ["family"], unique=False)
    with op.batch_alter_table("rma_request_lines") as batch:
        batch.add_column(sa.Column("exchange_sku", sa.String(length=64), server_default="", nullable=False))
    with op.batch_alter_table("rma_lines") as batch:
        batch.add_column(sa.Column("exchange_sku", sa.String(length=64), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("rma_lines") as batch:
        batch.drop_column("exchange_sku")
    with op.batch_alter_table("rma_request_lines") as batch:
        batch.drop_column("exchange_sku")
    with op.batch_alter_table("products") as batch:
        batch.drop_index(batch.f("ix_products_family"))
        batch.drop_column("variant")
        batch.drop_column("family")
