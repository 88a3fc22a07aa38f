"""One parcel, two docks: the same RMA received offline at two stations.

Central must keep one receipt and one set of units, hold the second dock's receipt back as
one conflict that names both docks, show that conflict at both docks after their next pull,
and let a supervisor settle it (checked and audited).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import PermissionDenied
from station.models import AuditEvent, Receipt, Rma, Role, Unit
from station.receiving.service import ReceivingService
from station.sync.central_schema import applied_events
from station.sync.conflict_mirror import seen_conflicts
from station.sync.conflict_service import SyncConflictService
from station.sync.conflicts import list_conflicts
from station.sync.payloads import SHAPES
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from tests.helpers.builders import add_operator
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import count, pending, upstream

pytestmark = pytest.mark.postgres


@pytest.fixture(params=[5000, 1], ids=["one-batch", "one-event-a-batch"])
def two_docks_one_parcel(request, make_station, central, central_sf):
    """Docks 1 and 2 both receive RMA n°1 while offline, then sync (dock 1 first). Pushed one
    event a batch too: the RMA change, the receipt and its units then reach central apart."""
    number = upstream(central_sf, rmas=1)[0]
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        add_operator(db, Role.SUPERVISOR, badge="SUP1")
    docks = [make_station(1), make_station(2)]
    workers = [SyncWorker(d.engine, central, d.station_id, station_no=d.station_no, photos=d.photos,
                          batch_size=request.param) for d in docks]
    for worker in workers:
        assert worker.run_once().ok
    for n, dock in enumerate(docks, start=1):
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, f"CLERK{n}"), number)
    for worker in (*workers, workers[0]):  # dock 1 again: it pulls what dock 2's push caused
        assert worker.run_once().ok
    return number, docks, workers


def test_second_dock_receipt_is_held_back_whole_and_named(two_docks_one_parcel, central):
    number, docks, _workers = two_docks_one_parcel
    with central.connect() as conn:
        rma_id = conn.execute(select(Rma.id).where(Rma.number == number)).scalar_one()
    dock1_units = count(docks[0].engine, Unit.__table__)
    assert dock1_units == 3
    assert count(central, Receipt.__table__, Receipt.rma_id == rma_id) == 1
    assert count(central, Unit.__table__) == dock1_units
    # Nothing dock 2 recorded with its parcel reached central: no receipt, unit or other row.
    for name, shape in SHAPES.items():
        assert count(central, shape.table, shape.table.c.station_id == "DOCK02") == 0, name
    assert pending(docks[1].engine) == 0  # settled by central as a conflict, not stuck in the queue

    [conflict] = list_conflicts(central)
    assert (conflict.pushed_by, conflict.central_by) == ("DOCK02", "DOCK01")
    assert conflict.reason.startswith(f"RMA {number} was received at DOCK01 and again at DOCK02: "
                                      "DOCK01's receipt stands")
    assert conflict.members == 1 + 1 + 3 + 1  # the RMA change, the receipt, its three units, rma.received
    assert count(central, applied_events, (applied_events.c.pushed_by == "DOCK02")
                 & (applied_events.c.outcome == "applied")) == 0

    for dock in docks:
        [seen] = seen_conflicts(dock.engine)
        assert (seen.id, seen.reason) == (conflict.id, conflict.reason)
        assert ", 1 conflict for a supervisor." in read_status(dock.engine).words()


def test_supervisor_settles_it_keeping_central(two_docks_one_parcel, central):
    _number, docks, workers = two_docks_one_parcel
    [conflict] = seen_conflicts(docks[0].engine)
    service = SyncConflictService(docks[0].ctx, central)
    with pytest.raises(PermissionDenied):
        service.resolve(actor_on(docks[0].sf, "CLERK1"), conflict.id, "central")
    assert [c.id for c in list_conflicts(central)] == [conflict.id]

    service.resolve(actor_on(docks[0].sf, "SUP1"), conflict.id, "central", note="one parcel, scanned twice")
    assert list_conflicts(central) == []
    assert seen_conflicts(docks[0].engine) == []
    with docks[0].sf() as db:
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "sync.conflict_resolved")).one()
    assert (audit.operator_badge, audit.entity_id) == ("SUP1", str(conflict.id))
    assert audit.details["keep"] == "central" and audit.details["pushed_by"] == "DOCK02"
    assert count(central, Unit.__table__) == 3
    assert workers[1].run_once().ok
    assert seen_conflicts(docks[1].engine) == []


def test_supervisor_keeping_the_station_version_writes_the_whole_parcel(two_docks_one_parcel, central):
    _number, docks, _workers = two_docks_one_parcel
    [conflict] = seen_conflicts(docks[1].engine)
    SyncConflictService(docks[1].ctx, central).resolve(actor_on(docks[1].sf, "SUP1"), conflict.id, "station",
                                                       note="two parcels after all")
    assert count(central, Receipt.__table__) == 2
    assert count(central, Unit.__table__, Unit.station_id == "DOCK02") == 3
    assert count(central, Unit.__table__) == 6


def test_supervisor_settles_it_from_the_command_line(two_docks_one_parcel, central, central_url, capsys,
                                                     monkeypatch):
    from ui.cli import main

    _number, docks, _workers = two_docks_one_parcel
    [conflict] = list_conflicts(central)
    monkeypatch.setenv("RMA_CENTRAL_URL", central_url)
    from station.core.settings import save_identity

    save_identity(docks[1].station_id, docks[1].station_no)  # this dock's settings.toml
    assert main(["sync", "conflicts", "list", "--db", docks[1].url]) == 0
    out = capsys.readouterr().out
    assert f"#{conflict.id} " in out and "central's version by DOCK01, held back from DOCK02, 6 record(s)" in out
    monkeypatch.setenv("RMA_PIN", "1234")
    base = ["sync", "conflicts", "resolve", str(conflict.id), "--db", docks[1].url]
    assert main([*base, "--keep", "central", "--badge", "CLERK2"]) == 2
    assert "rma-station: " in capsys.readouterr().err
    assert main([*base, "--keep", "central", "--badge", "SUP1", "--note", "scanned twice"]) == 0
    assert f"Conflict #{conflict.id} settled: kept the central version." in capsys.readouterr().out
    assert list_conflicts(central) == []
    with docks[1].sf() as db:
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "sync.conflict_resolved")).one()
    assert (audit.station_id, audit.operator_badge, audit.details["note"]) == ("DOCK02", "SUP1", "scanned twice")
