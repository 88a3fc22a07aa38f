"""Alembic environment of the central-only tables (own version table, own MetaData)."""

from __future__ import annotations

from alembic import context

from station.sync.central_schema import CENTRAL, VERSION_TABLE

config = context.config


def run() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=CENTRAL,
        version_table=VERSION_TABLE,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
