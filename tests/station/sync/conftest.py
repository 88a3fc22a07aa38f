"""Sync fixtures: a fresh central PostgreSQL database per test, and stations as SQLite files.

Each test's central database is ``rma_sync_<random>``, created from a template that was set
up once per run with ``init_central`` (copying a template is far quicker than migrating),
and dropped afterwards, so sync tests never see each other's rows or anyone else's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from station.core.context import Actor, StationContext
from station.core.db import make_engine, make_session_factory
from station.core.photos import PhotoStore
from station.sync.central_setup import init_central
from station.sync.connection import make_central_engine
from tests.helpers.builders import Clock
from tests.helpers.pg import fresh_database
from tests.helpers.template import migrated_engine


@pytest.fixture(scope="session")
def central_template() -> Iterator[str]:
    """One central database set up by ``central init``, copied for each test (fast)."""
    with fresh_database("rma_sync_tmpl") as database:
        engine = make_engine(database.url)
        init_central(engine)
        engine.dispose()
        yield database.name


@contextmanager
def new_central(template: str) -> Iterator[str]:
    with fresh_database("rma_sync", template=template) as database:
        # A copy of the template is a new central: it gets an identity of its own, as
        # `central init` gives every new central, and is not taken for a restore of the
        # template (its database OID is recorded at its first meeting: station.sync.fence).
        engine = make_engine(database.url)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sync_central SET central_id = gen_random_uuid(), database_oid = NULL")
        engine.dispose()
        yield database.url


@pytest.fixture
def central_url(central_template: str) -> Iterator[str]:
    """A central database of this test's own, already set up (``central init``)."""
    with new_central(central_template) as url:
        yield url


@pytest.fixture
def other_central_url(central_template: str) -> Iterator[str]:
    """A second central database on the same server (the typo'd URL, or a new central)."""
    with new_central(central_template) as url:
        yield url


@pytest.fixture
def central(central_url: str) -> Iterator[Engine]:
    engine = make_central_engine(central_url, station_id="test")
    yield engine
    engine.dispose()


@pytest.fixture
def central_sf(central: Engine) -> sessionmaker[Session]:
    """Sessions on central for "upstream" writes (the web shop creating RMAs)."""
    return make_session_factory(central)


@dataclass
class Station:
    station_id: str
    station_no: int
    url: str
    engine: Engine
    sf: sessionmaker[Session]
    ctx: StationContext
    photos: PhotoStore


@pytest.fixture
def make_station(tmp_path: Path) -> Iterator[Callable[..., Station]]:
    made: list[Station] = []

    def build(station_no: int = 1, station_id: str | None = None) -> Station:
        station_id = station_id or f"DOCK{station_no:02d}"
        url = f"sqlite:///{tmp_path / f'{station_id}.sqlite'}"
        engine = migrated_engine(tmp_path / f"{station_id}.sqlite")
        sf = make_session_factory(engine)
        ctx = StationContext(sf, station_id=station_id, station_no=station_no, clock=Clock())
        station = Station(station_id, station_no, url, engine, sf, ctx, PhotoStore(tmp_path / station_id / "photos"))
        made.append(station)
        return station

    yield build
    for station in made:
        station.engine.dispose()


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def actor_on(sf: sessionmaker[Session], badge: str) -> Actor:
    from station.models import Operator

    with sf() as db:
        return Actor.of(db.scalars(select(Operator).where(Operator.badge == badge)).one())
