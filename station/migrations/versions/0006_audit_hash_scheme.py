"""audit events: hash scheme per event (plain SHA-256 or HMAC-SHA256 under the station key)

Revision ID: 0006
Revises: 0005

Existing events were chained with plain SHA-256 and stay valid: the new column says so for
them (server default ``sha256``). Adding a column with a constant default does not rebuild
the table on SQLite, so a station with a million events upgrades in a moment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("hash_scheme", sa.String(length=40), server_default="sha256",
                                            nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("hash_scheme")
