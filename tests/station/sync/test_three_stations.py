"""Three stations receiving and inspecting at once against one central database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from station.inspection.service import InspectionService
from station.models import Receipt, Rma, RmaState, Unit, UnitState
from station.receiving.service import ReceivingService
from station.sync.backoff import Backoff
from station.sync.central_schema import conflicts
from station.sync.conflicts import list_conflicts, resolve_conflict
from station.sync.worker import SyncWorker
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import assert_central_has_station, count, pending, rows, upstream

pytestmark = pytest.mark.postgres


def test_totals_add_up_and_concurrent_edits_conflict(make_station, central, central_sf):
    numbers = upstream(central_sf, rmas=61)
    stations = [make_station(n) for n in (1, 2, 3)]
    workers = [SyncWorker(s.engine, central, s.station_id, batch_size=40, photos=s.photos,
                          backoff=Backoff(base=0.01, cap=0.1)) for s in stations]
    for worker in workers:
        assert worker.run_once().ok

    def dock(i: int) -> None:
        station, worker = stations[i], workers[i]
        clerk = actor_on(station.sf, f"CLERK{i + 1}")
        receiving = ReceivingService(station.ctx)
        for k, number in enumerate(numbers[i * 20:(i + 1) * 20]):
            receiving.receive(clerk, number)
            if k % 5 == 4:  # syncing while the other docks receive and sync
                assert worker.run_once().ok

    threads = [threading.Thread(target=dock, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for worker in workers:
        assert worker.run_once().ok
    for station in stations:
        assert pending(station.engine) == 0
        assert_central_has_station(central, station.engine, station.station_id)
    assert count(central, Receipt.__table__) == 60
    assert count(central, Unit.__table__) == sum(
        count(s.engine, Unit.__table__, Unit.station_id == s.station_id) for s in stations) == 180
    assert count(central, Rma.__table__, Rma.state == RmaState.RECEIVED) == 60
    assert count(central, conflicts) == 0

    # The same parcel scanned at docks 1 and 2 before either synced: one receipt wins the RMA.
    last = numbers[60]
    for i in (0, 1):
        ReceivingService(stations[i].ctx).receive(actor_on(stations[i].sf, f"CLERK{i + 1}"), last)
    # Docks 2 and 3 both start inspecting dock 1's first unit.
    for worker in workers:
        worker.run_once()
    lpn = rows(central, Unit.__table__, Unit.station_id == "DOCK01")
    lpn = sorted(u["lpn"] for u in lpn.values())[0]
    for i in (1, 2):
        service = InspectionService(stations[i].ctx, photos=stations[i].photos)
        service.start(actor_on(stations[i].sf, f"INSP{i}"), lpn)
    for worker in workers:
        worker.run_once()

    open_ = list_conflicts(central)
    kinds = sorted((c.entity_type, c.pushed_by) for c in open_)
    assert kinds == [("rmas", "DOCK02"), ("units", "DOCK03")]
    unit_conflict = next(c for c in open_ if c.entity_type == "units")
    assert "changed on central by" in unit_conflict.reason
    assert unit_conflict.central_payload["state"] == unit_conflict.station_payload["state"] == "inspecting"
    with central.connect() as conn:
        won = conn.execute(select(Unit.__table__).where(Unit.lpn == lpn)).one()
    assert (won.version, won.state) == (2, UnitState.INSPECTING)  # the first write stands
    # Only dock 1's parcel of the doubly received RMA is on central; dock 2's waits in the
    # conflict for the supervisor (test_duplicate_parcel.py tells that story).
    with central.connect() as conn:
        rma_id = conn.execute(select(Rma.id).where(Rma.number == last)).scalar_one()
    assert count(central, Receipt.__table__, Receipt.rma_id == rma_id) == 1
    assert "changed on central by DOCK02" in unit_conflict.reason and "DOCK03's change" in unit_conflict.reason

    # The losing station pulls the winner's version on its next round.
    workers[2].run_once()
    assert rows(stations[2].engine, Unit.__table__, Unit.lpn == lpn) == rows(central, Unit.__table__, Unit.lpn == lpn)

    resolve_conflict(central, unit_conflict.id, keep="central", by="SUP1")
    assert [c.entity_type for c in list_conflicts(central)] == ["rmas"]
