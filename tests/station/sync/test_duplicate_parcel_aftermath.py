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

from station.inspection import InspectionService
from station.models import Approval, AuditEvent, Receipt, ReceiptStatus, Role, Unit, UnitState
from station.models.enums import ApprovalKind
from station.receiving import ReceivingService
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
