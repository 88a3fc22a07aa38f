"""A station never misses a central change: its cursor belongs to one central.

Two central databases on one PostgreSQL server share its transaction ids, so a snapshot taken
on the wrong one looks like a valid cursor on the right one: without an identity, one round
against a typo'd URL made the station skip, for good, what other docks pushed meanwhile.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from station.core.db import make_session_factory
from station.models import Operator, Product, Receipt, Rma, RmaLine, Unit
from station.receiving.service import ReceivingService
from station.sync.central_schema import applied_events
from station.sync.connection import make_central_engine
from station.sync.identity import bound_central, central_id_of
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from tests.helpers.builders import add_rma
from tests.station.sync.conftest import actor_on, new_central
from tests.station.sync.helpers import count, pending, rows, upstream

pytestmark = pytest.mark.postgres


@pytest.fixture
def other_central(other_central_url):
    engine = make_central_engine(other_central_url, station_id="test")
    yield engine
    engine.dispose()


def _worker(station, central) -> SyncWorker:
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


def _identity(central) -> str:
    with central.connect() as conn:
        return str(central_id_of(conn))


def test_one_round_against_another_central_is_refused_and_nothing_is_missed(
        make_station, central, central_sf, other_central):
    numbers = upstream(central_sf, rmas=3)
    dock1, dock2 = make_station(1), make_station(2)
    for dock in (dock1, dock2):
        assert _worker(dock, central).run_once().ok
    assert bound_central(dock1.engine) == _identity(central)

    # Dock 2 receives and pushes; dock 1, meanwhile, is pointed at the wrong server once.
    ReceivingService(dock2.ctx).receive(actor_on(dock2.sf, "CLERK2"), numbers[0])
    assert _worker(dock2, central).run_once().ok
    ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), numbers[1])
    waiting = pending(dock1.engine)
    wrong = _worker(dock1, other_central).run_once()
    assert not wrong.ok
    assert wrong.error.startswith(f"This station syncs with central database {_identity(central)}, but the URL "
                                  f"leads to central database {_identity(other_central)}: nothing was sent or fetched.")
    assert "rma-station sync --start-over" in wrong.error
    assert read_status(dock1.engine).words().startswith("Offline")
    assert pending(dock1.engine) == waiting  # nothing went to the wrong server
    assert count(other_central, applied_events) == 0
    assert bound_central(dock1.engine) == _identity(central)

    # Back on the real central: dock 2's parcel arrives, dock 1's goes up.
    assert _worker(dock1, central).run_once().ok
    for table in (Receipt.__table__, Unit.__table__):
        assert rows(dock1.engine, table) == rows(central, table)
    assert count(dock1.engine, Receipt.__table__) == 2


def test_start_over_pushes_what_waits_then_pulls_everything_from_thenew_central(
        make_station, central, central_sf, central_url, central_template):
    numbers = upstream(central_sf, rmas=3)
    dock1 = make_station(1)
    assert _worker(dock1, central).run_once().ok
    ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), numbers[0])
    waiting = pending(dock1.engine)
    assert waiting > 0
    # Central moves: its database is copied to a new one, which gets an identity of its own,
    # and the upstream shop adds RMAs there.
    central.dispose()
    with new_central(make_url(central_url).database) as moved_url:
        moved = make_central_engine(moved_url, station_id="test")
        with make_session_factory(moved).begin() as db:
            db.info["applying_sync"] = True
            shirt = db.scalars(select(Product).where(Product.sku == "TS-1")).one()
            new_numbers = [add_rma(db, [(shirt, 1)]).number for _ in range(2)]
        refused = _worker(dock1, moved).run_once()
        assert not refused.ok and "--start-over" in refused.error

        result = _worker(dock1, moved).start_over()
        assert result.ok, result.error
        assert result.push.sent == waiting  # the changes that waited were pushed, not dropped
        assert pending(dock1.engine) == 0
        assert bound_central(dock1.engine) == _identity(moved)
        for table in (Operator.__table__, Product.__table__, Rma.__table__, RmaLine.__table__,
                      Receipt.__table__, Unit.__table__):
            assert rows(moved, table) == rows(dock1.engine, table), table.name
        assert count(moved, Unit.__table__, Unit.station_id == "DOCK01") == 3
        with dock1.engine.connect() as conn:
            assert conn.execute(select(Rma.id).where(Rma.number == new_numbers[1])).first() is not None
        # From now on dock 1 syncs with the new central, and the old one is refused.
        assert _worker(dock1, moved).run_once().ok
        assert "--start-over" in _worker(dock1, central).run_once().error
        moved.dispose()


def test_a_second_station_with_the_same_number_is_refused_before_it_pushes(make_station, central, central_sf):
    numbers = upstream(central_sf, rmas=2)
    first = make_station(1, "DOCK01")
    assert _worker(first, central).run_once().ok
    ReceivingService(first.ctx).receive(actor_on(first.sf, "CLERK1"), numbers[0])
    assert _worker(first, central).run_once().ok
    # A new dock set up from a copy of DOCK01's settings: another id, the same number.
    second = make_station(1, "RECV07")
    refused = _worker(second, central).run_once()
    assert refused.error == ("Station number 1 already belongs to station DOCK01 on central, so station RECV07 "
                             "would print the same LPNs: nothing was sent. Give RECV07 a free number "
                             "(setting station.number) and sync again.")
    assert count(central, applied_events, applied_events.c.pushed_by == "RECV07") == 0
    assert count(second.engine, Operator.__table__) == 0  # nothing pulled either
    assert _worker(first, central).run_once().ok  # the first station is not disturbed
    renumbered = SyncWorker(second.engine, central, "RECV07", station_no=7)
    assert renumbered.run_once().ok


def test_central_restored_on_another_server_is_refused_until_init_renews_it(
        make_station, central, central_sf, central_url, capsys):
    from ui.cli import main

    upstream(central_sf, rmas=1)
    dock1 = make_station(1)
    assert _worker(dock1, central).run_once().ok
    old_identity = _identity(central)
    # As after pg_dump + restore: the identity row names the server the dump came from.
    with central.begin() as conn:
        conn.exec_driver_sql("UPDATE sync_central SET server_id = '6000000000000000001'")
    refused = _worker(dock1, central).run_once()
    assert refused.error.startswith(f"Central database {old_identity} was moved to another PostgreSQL server")
    assert "`rma-station central init --url URL`" in refused.error

    assert main(["central", "init", "--url", central_url]) == 0
    assert "now lives on another server: new identity" in capsys.readouterr().out
    assert _identity(central) != old_identity
    assert "--start-over" in _worker(dock1, central).run_once().error
    assert _worker(dock1, central).start_over().ok
    assert _worker(dock1, central).run_once().ok
    assert main(["central", "init", "--url", central_url]) == 0  # nothing moved: the identity stays
    assert "new identity" not in capsys.readouterr().out
