"""orders, order lines, return requests and their lines get the columns every synced record has

Revision ID: 0016
Revises: 0015

They lived in the database of the returns service that took them; now they sync
(station.sync.owners). Existing rows are stamped with the station this database is bound to
(none yet: empty) at version 1; they travel the next time they change. New orders take their id
from the order number (station.models.orders.order_id_for); the ones already here keep theirs.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("orders", "order_lines", "rma_requests", "rma_request_lines")
HAS_TIMES = ("orders",)


def _bound_station(bind: sa.Connection) -> str:
    if not sa.inspect(bind).has_table("sync_state"):
        return ""
    raw = bind.execute(sa.text("SELECT value FROM sync_state WHERE key = 'station_identity'")).scalar()
    value = json.loads(raw) if isinstance(raw, str) else (raw or {})
    return str(value.get("id") or "")[:64]


def upgrade() -> None:
    station = _bound_station(op.get_bind()).replace("'", "''")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("station_id", sa.String(length=64), nullable=False,
                                       server_default=sa.text(f"'{station}'")))
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))
            if table not in HAS_TIMES:
                for name in ("created_at", "updated_at"):
                    batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=False,
                                               server_default=sa.func.current_timestamp()))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            if table not in HAS_TIMES:
                batch.drop_column("updated_at")
                batch.drop_column("created_at")
            batch.drop_column("version")
            batch.drop_column("station_id")
