"""order_lines.lot and rma_lines.lot: the lot the order says was shipped (issue 26)

Revision ID: 0022
Revises: 0021

An order system that knows which production lot it shipped sends it with the line; the RMA
line copies it at authorisation (as it copies the order's serial), so the dock can flag a unit
whose GS1 code carries another lot (``lot_mismatch``). Empty: the order named no lot. Both
tables sync as whole rows, so the column travels with them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(sa.Column("lot", sa.String(length=40), server_default="", nullable=False))
    with op.batch_alter_table("rma_lines") as batch:
        batch.add_column(sa.Column("lot", sa.String(length=40), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("rma_lines") as batch:
        batch.drop_column("lot")
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("lot")
