"""Shared fixtures: a real SQLite file per test, a fresh PostgreSQL database per run, the
barcode corpus, and an isolated station home so no test touches the user's real data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from station.core.db import make_engine, make_session_factory, upgrade
from tests.helpers.pg import IN_CI, fresh_database
from tests.helpers.template import migrated_engine

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def station_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data and config dirs (settings, photo store, spool)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("RMA_STATION_HOME", str(home))
    monkeypatch.delenv("RMA_STATION_DB", raising=False)
    monkeypatch.delenv("RMA_CENTRAL_URL", raising=False)
    return home


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'station.sqlite'}"


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_url: str) -> Iterator[Engine]:
    """The test's station database, migrated (a copy of one migrated template: see
    ``tests.helpers.template``)."""
    engine = migrated_engine(tmp_path / "station.sqlite")
    assert str(engine.url) == sqlite_url
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped afterwards (skips without a
    server, fails under CI)."""
    with fresh_database("rma_test") as database:
        yield database.url


@pytest.fixture
def pg_engine(pg_database: str) -> Iterator[Engine]:
    """The run's PostgreSQL database, migrated, and emptied after each test."""
    engine = make_engine(pg_database)
    upgrade(engine)
    yield engine
    from station.models import Base

    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The station database on each supported backend: a SQLite file and PostgreSQL."""
    name = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared photo corpus (../shared/corpus/barcodes/dev, or $RMA_BARCODE_CORPUS)."""
    root = Path(os.environ.get("RMA_BARCODE_CORPUS", REPO.parent / "shared" / "corpus" / "barcodes"))
    dev = root / "dev" if (root / "dev").is_dir() else root
    if not (dev / "manifest.csv").is_file():
        if IN_CI:
            pytest.fail(f"barcode corpus missing at {dev} (set RMA_BARCODE_CORPUS)")
        pytest.skip(f"barcode corpus not found at {dev}")
    return dev
