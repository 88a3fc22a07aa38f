"""central identity, station registry, conflict members, the writer of central's version

Revision ID: c003
Revises: c001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import station.models.base

revision = "c003"
down_revision = "c002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_central",
        sa.Column("central_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", station.models.base.UtcDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("server_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("central_id", name=op.f("pk_sync_central")),
    )
    # The identity is made here, once: a database upgraded in place gets one too. Stations bind
    # their pull cursor to it (gen_random_uuid is built into PostgreSQL 13+).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO sync_central (central_id, server_id) "
                   "SELECT gen_random_uuid(), system_identifier::text FROM pg_control_system()")
    else:
        import uuid

        op.execute(f"INSERT INTO sync_central (central_id) VALUES ('{uuid.uuid4().hex}')")
    op.create_table(
        "sync_stations",
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("station_no", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", station.models.base.UtcDateTime(), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_sync_stations")),
        sa.UniqueConstraint("station_no", name=op.f("uq_sync_stations_station_no")),
    )
    op.add_column("sync_conflicts", sa.Column("central_by", sa.String(length=64), nullable=True))
    op.create_table(
        "sync_conflict_members",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("conflict_id", sa.BigInteger(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=12), nullable=False),
        sa.Column("station_version", sa.Integer(), nullable=False),
        sa.Column("station_payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["conflict_id"], ["sync_conflicts.id"],
                                name=op.f("fk_sync_conflict_members_conflict_id_sync_conflicts")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_conflict_members")),
    )
    op.create_index(op.f("ix_sync_conflict_members_conflict_id"), "sync_conflict_members", ["conflict_id"])
    op.create_index(op.f("ix_sync_conflict_members_entity_id"), "sync_conflict_members", ["entity_id"])


def downgrade() -> None:
    op.drop_table("sync_conflict_members")
    op.drop_column("sync_conflicts", "central_by")
    op.drop_table("sync_stations")
    op.drop_table("sync_central")
