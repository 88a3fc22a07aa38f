"""The headless commands: central init, sync --once, sync status, sync conflicts."""

from __future__ import annotations

import pytest

from station.core.db import head_revision
from station.models import Receipt
from station.receiving.service import ReceivingService
from station.sync.central_setup import central_head, central_schema
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import count, pending, upstream
from ui.cli import main

pytestmark = pytest.mark.postgres


def test_init_sync_once_and_status(make_station, central, central_sf, central_url, capsys, monkeypatch):
    assert main(["central", "init", "--url", central_url]) == 0  # again: already set up, nothing changes
    assert f"central schema {central_head()}" in capsys.readouterr().out
    schema = central_schema(central)
    assert (schema.station_revision, schema.central_revision) == (head_revision(), central_head())

    numbers = upstream(central_sf, rmas=2)
    station = make_station(1)
    assert main(["sync", "status", "--db", station.url]) == 0
    assert "Not synced yet - 0 changes waiting." in capsys.readouterr().out
    monkeypatch.setenv("RMA_CENTRAL_URL", central_url)
    assert main(["--station-id", "DOCK01", "sync", "--once", "--db", station.url]) == 0
    assert "Pulled: " in capsys.readouterr().out
    ReceivingService(station.ctx).receive(actor_on(station.sf, "CLERK1"), numbers[0])
    assert pending(station.engine) > 0
    assert main(["--station-id", "DOCK01", "sync", "--once", "--db", station.url]) == 0
    out = capsys.readouterr().out
    assert "Synced just now - 0 changes waiting." in out
    assert count(central, Receipt.__table__) == 1
    assert main(["sync", "conflicts", "--db", station.url]) == 0
    assert "0 open conflict(s)." in capsys.readouterr().out


def test_sync_once_without_central_says_what_to_do(make_station, capsys, monkeypatch):
    station = make_station(1)
    monkeypatch.setenv("RMA_CENTRAL_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["sync", "--once", "--db", station.url]) == 1
    assert "cannot be reached (connection refused)" in capsys.readouterr().out
    assert main(["sync", "status", "--db", station.url]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Offline (never synced) - 0 changes waiting.")
    assert "last error: The central database cannot be reached" in out


@pytest.mark.parametrize("revision, words", [
    ("0014", "run `rma-station central init --url url` to upgrade central"),
    ("9999", "upgrade this station's rma-station"),
])
def test_a_dock_refuses_a_central_at_another_schema_revision(make_station, central, central_url, capsys,
                                                              monkeypatch, revision, words):
    """Amounts travel as stored integers; a dock and a central one revision apart would read them
    a hundred times off, so the round stops before anything moves."""
    station = make_station(1)
    with central.begin() as conn:
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{revision}'")
    monkeypatch.setenv("RMA_CENTRAL_URL", central_url)
    assert main(["--station-id", "DOCK01", "sync", "--once", "--db", station.url]) == 1
    out = capsys.readouterr().out
    assert f"records are at schema {revision}, this station's at {head_revision()}" in out
    assert words in out.lower()
    assert "Traceback" not in out
