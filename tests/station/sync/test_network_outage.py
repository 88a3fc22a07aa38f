"""Central unreachable for a while: the dock keeps receiving, then the queue drains exactly once."""

from __future__ import annotations

import pytest

from station.models import Receipt, Rma, Unit
from station.receiving.service import ReceivingService
from station.sync.backoff import Backoff
from station.sync.connection import make_central_engine
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import assert_central_has_station, count, pending, rows, upstream
from tests.station.sync.proxy import Proxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def proxy():
    p = Proxy()
    yield p
    p.close()


def test_cut_mid_batch_then_offline_then_back(make_station, central, central_sf, central_url, proxy):
    numbers = upstream(central_sf, rmas=40)
    station = make_station(1)
    via_proxy = make_central_engine(proxy.url_for(central_url), station_id=station.station_id)
    worker = SyncWorker(station.engine, via_proxy, station.station_id, batch_size=25,
                        photos=station.photos, backoff=Backoff(base=0.01, cap=0.05))
    assert worker.run_once().ok  # pulls staff, products, RMAs through the proxy
    clerk = actor_on(station.sf, "CLERK1")
    receiving = ReceivingService(station.ctx)
    for number in numbers[:20]:
        receiving.receive(clerk, number)
    queued = pending(station.engine)
    assert queued > 100  # RMA updates, receipts, units: several batches of 25

    proxy.cut_after(30_000)  # the line drops part-way through the drain
    cut = worker.run_once()
    assert not cut.ok and proxy.cuts == 1
    assert "broke mid-sync" in cut.error or "cannot be reached" in cut.error
    left = pending(station.engine)
    assert 0 < left < queued  # some batches made it, the one in flight did not

    for number in numbers[20:]:  # offline: the dock does not stop
        receiving.receive(clerk, number)
    offline = worker.run_once()
    assert "cannot be reached" in offline.error or "broke" in offline.error
    status = read_status(station.engine)
    assert status.queue_length == pending(station.engine) > left
    assert not status.online and status.failures_in_a_row == 2
    assert "Offline" in status.words() and status.last_error in status.words()

    proxy.restore()
    back = worker.run_once()
    assert back.ok, back.error
    assert pending(station.engine) == 0
    assert read_status(station.engine).online
    assert_central_has_station(central, station.engine, station.station_id)
    assert count(central, Receipt.__table__) == count(station.engine, Receipt.__table__) == 40
    assert count(central, Unit.__table__) == count(station.engine, Unit.__table__)
    assert rows(central, Rma.__table__) == rows(station.engine, Rma.__table__)
    via_proxy.dispose()
