"""What the inspection desk asks the station instead of the database: the technician's bench
(units to refurbish, not yet refurbished) and the RMA a disposition label names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import PermissionDenied
from station.inspection.refurbishment import RefurbishService
from station.models import DispositionKind, Unit
from tests.station.builders_qc import make_dock, receive_unit
from tests.station.supervision_desk import inspect


@pytest.fixture
def dock(session_factory):
    return make_dock(session_factory)


def test_the_bench_lists_units_to_refurbish_until_each_is_done(dock):
    lpns = []
    for _ in range(2):
        lpn = receive_unit(dock, "small_appliances", reason="defective")
        inspect(dock, lpn)
        dock.qc.dispose(dock.inspector, lpn, DispositionKind.REFURBISH, reason="loose hinge")
        lpns.append(lpn)
    bench = RefurbishService(dock.qc.ctx)
    assert bench.waiting(dock.inspector) == sorted(lpns)
    bench.finish(dock.inspector, lpns[0], "20.00", "new hinge", "B")
    assert bench.waiting(dock.inspector) == [lpns[1]]
    with pytest.raises(PermissionDenied):
        bench.waiting(dock.clerk)


def test_a_disposition_label_names_the_rma_the_unit_came_back_under(dock):
    lpn = receive_unit(dock, "apparel")
    with dock.sf() as db:
        number = db.scalars(select(Unit).where(Unit.lpn == lpn)).one().receipt.rma.number
    assert dock.qc.rma_number(dock.inspector, lpn.lower()) == number
    assert dock.qc.rma_number(dock.inspector, "LP999999999999") == ""
    with pytest.raises(PermissionDenied):
        dock.qc.rma_number(dock.clerk, lpn)
