"""After a duplicate parcel: what rides with the held-back receipt, and what the losing dock
sees once a supervisor has settled the conflict.

Two docks receive the same RMA offline; dock 1 syncs first, so dock 2's receipt is held back on
central as one conflict. Everything dock 2 recorded about that receipt must stay with it (an
expired-parcel approval too, which names its receipt without a database link), and once a
supervisor keeps central's version, dock 2's next pull voids its own receipt and units locally,
audited, instead of leaving a second copy of the parcel on the floor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from station.core.errors import IllegalTransition
from station.inspection.service import InspectionService
from station.models import Approval, AuditEvent, Receipt, ReceiptStatus, Role, Unit, UnitState
from station.models.enums import ApprovalKind
from station.receiving.service import ReceivingService
from station.sync.conflict_mirror import seen_conflicts
from station.sync.conflict_service import SyncConflictService
from station.sync.conflicts import list_conflicts
from station.sync.worker import SyncWorker
from tests.helpers.builders import NOW, add_operator, add_product, add_rma
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import count, pending, rows, upstream

pytestmark = pytest.mark.postgres


def _two_docks(make_station, central, central_sf, *, expired: bool = False):
    number = upstream(central_sf, rmas=1)[0]
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        add_operator(db, Role.SUPERVISOR, badge="SUP1")
        if expired:  # authorised 90 days ago with a 30-day window: late at the dock
            shirt = add_product(db, "TS-9")
            number = add_rma(db, [(shirt, 1)], authorised=NOW - dt.timedelta(days=90)).number
    docks = [make_station(1), make_station(2)]
    workers = [SyncWorker(d.engine, central, d.station_id, station_no=d.station_no, photos=d.photos)
               for d in docks]
    for worker in workers:
        assert worker.run_once().ok
    return number, docks, workers


def test_expired_parcel_approval_is_held_back_with_its_receipt(make_station, central, central_sf):
    number, docks, workers = _two_docks(make_station, central, central_sf, expired=True)
    for n, dock in enumerate(docks, start=1):
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, f"CLERK{n}"), number)
    with docks[1].sf() as db:
        approval_id = db.scalars(select(Approval.id).where(Approval.kind == ApprovalKind.EXPIRED_RMA)).one()
    for worker in workers:
        assert worker.run_once().ok

    assert count(central, Approval.__table__, Approval.station_id == "DOCK02") == 0
    assert count(central, Approval.__table__, Approval.station_id == "DOCK01") == 1
    [conflict] = list_conflicts(central)
    assert conflict.pushed_by == "DOCK02"
    assert conflict.members == 1 + 1 + 1 + 1 + 1  # RMA change, receipt, its unit, rma.received, the approval
    assert pending(docks[1].engine) == 0
    SyncConflictService(docks[1].ctx, central).resolve(actor_on(docks[1].sf, "SUP1"), conflict.id, "station",
                                                       note="two parcels after all")
    assert count(central, Approval.__table__, Approval.id == approval_id) == 1


def _received_at_both(make_station, central, central_sf):
    number, docks, workers = _two_docks(make_station, central, central_sf)
    for n, dock in enumerate(docks, start=1):
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, f"CLERK{n}"), number)
    for worker in (*workers, workers[0]):
        assert worker.run_once().ok
    return docks, workers


def test_losing_dock_voids_its_receipt_once_central_is_kept(make_station, central, central_sf):
    docks, workers = _received_at_both(make_station, central, central_sf)
    loser = docks[1]
    [conflict] = seen_conflicts(loser.engine)
    with loser.sf() as db:
        [receipt_id] = db.scalars(select(Receipt.id).where(Receipt.station_id == "DOCK02")).all()
        first_unit = db.scalars(select(Unit).where(Unit.receipt_id == receipt_id).order_by(Unit.lpn)).first()
        inspected_lpn = first_unit.lpn
    # The losing dock inspected one unit before anyone settled the conflict.
    with loser.sf.begin() as db:
        db.info["applying_sync"] = True
        db.get(Unit, first_unit.id).state = UnitState.INSPECTED
    SyncConflictService(docks[0].ctx, central).resolve(actor_on(docks[0].sf, "SUP1"), conflict.id, "central",
                                                       note="one parcel, scanned twice")

    round_ = workers[1].run_once()
    assert round_.ok and round_.voided.receipts == 1 and round_.voided.inspected == [inspected_lpn]
    with loser.sf() as db:
        receipt = db.get(Receipt, receipt_id)
        assert receipt.status == ReceiptStatus.QUARANTINED and "void_duplicate" in receipt.flags
        units = db.scalars(select(Unit).where(Unit.receipt_id == receipt_id)).all()
        assert len(units) == 3 and {u.state for u in units} == {UnitState.QUARANTINED}
        [voided] = db.scalars(select(AuditEvent).where(AuditEvent.action == "sync.receipt_voided")).all()
    assert voided.entity_id == str(receipt_id)
    assert f"Conflict #{conflict.id}" in voided.details["reason"] and "DOCK01's receipt" in voided.details["reason"]
    assert (voided.details["conflict"], voided.details["kept"]) == (conflict.id, "DOCK01")
    assert voided.details["inspected"] == [inspected_lpn]
    assert pending(loser.engine) == 0  # settled locally, nothing pushed up for it
    # Local view agrees with central: DOCK01's receipt and units are the only live ones.
    live = rows(loser.engine, Unit.__table__, Unit.state != UnitState.QUARANTINED)
    assert set(live) == set(rows(central, Unit.__table__))

    # Nobody at the losing dock works on a voided unit by mistake.
    for lpn in (inspected_lpn, units[-1].lpn):
        with pytest.raises(IllegalTransition, match="voided as a duplicate parcel"):
            InspectionService(loser.ctx).start(actor_on(loser.sf, "INSP1"), lpn)

    assert workers[1].run_once().voided.receipts == 0  # once only
    with loser.sf() as db:
        assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "sync.receipt_voided")).all()) == 1
    assert workers[0].run_once().voided.receipts == 0  # the winning dock keeps its receipt
    assert count(docks[0].engine, Receipt.__table__, Receipt.status == ReceiptStatus.QUARANTINED) == 0


def test_keeping_the_station_version_voids_nothing_at_either_dock(make_station, central, central_sf):
    docks, workers = _received_at_both(make_station, central, central_sf)
    [conflict] = seen_conflicts(docks[1].engine)
    SyncConflictService(docks[1].ctx, central).resolve(actor_on(docks[1].sf, "SUP1"), conflict.id, "station",
                                                       note="two parcels after all")
    for worker in workers:
        assert worker.run_once().voided.receipts == 0
    for dock in docks:
        assert count(dock.engine, Receipt.__table__, Receipt.status == ReceiptStatus.QUARANTINED) == 0
