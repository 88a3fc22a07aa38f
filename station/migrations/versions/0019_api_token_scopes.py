"""api_tokens.scopes: what each API token may do; api_replays: review calls' Idempotency-Keys

Revision ID: 0019
Revises: 0018

Until now every token could do everything the API offered. Tokens that exist keep every
scope, so no running integration breaks; ``rma-station api-token add`` gives new ones the
order system's scopes and ``returns:review`` only when asked (station.intake.scopes).
``api_replays`` remembers the Idempotency-Key of each approve, refuse or cancel call, so a
retried call answers instead of a 409 (station.intake.replays).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

EVERY_SCOPE = "orders:read orders:write returns:read returns:review returns:write"


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("scopes", sa.String(length=200), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE api_tokens SET scopes = :every").bindparams(every=EVERY_SCOPE))
    op.create_table(
        "api_replays",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_name", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("rma_number", sa.String(length=32), nullable=False),
        sa.Column("created_at", station.models.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_replays")),
    )
    with op.batch_alter_table("api_replays") as batch:
        batch.create_index("ux_api_replays_token_key", ["token_name", "key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("api_replays") as batch:
        batch.drop_index("ux_api_replays_token_key")
    op.drop_table("api_replays")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scopes")
