"""Alembic environment: runs on the connection handed in by ``station.core.db.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from station.core.marker import outside_the_marker
from station.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _configure_and_run(connection)
        return
    _configure_and_run(connection)


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=outside_the_marker,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
