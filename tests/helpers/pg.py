"""Fresh PostgreSQL databases for tests on the machine's server, dropped afterwards.

Without a server, tests that need one skip with one line, except under CI, where a missing
server is a failure: CI must prove the PostgreSQL path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from station.core.db import make_engine

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("RMA_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Database:
    name: str
    url: str


def server_url() -> str:
    return make_url(PG_URL).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def url_for(name: str) -> str:
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def _admin() -> Engine:
    return make_engine(server_url(), isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_database(prefix: str, *, template: str | None = None) -> Iterator[Database]:
    """CREATE DATABASE <prefix>_<random> (optionally from a template); DROP it afterwards."""
    admin = _admin()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    from_template = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{from_template}'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        admin.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_URL} ({type(exc).__name__})")
    try:
        yield Database(name, url_for(name))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
