"""A lot held at one dock is held at every dock (issue 26): ``lot_holds`` travels through central
(its feed triggers are central migration c010) and the other dock's receiving flags the lot."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.models import LotHold, Role
from station.receiving.service import ItemCheck, ParcelInput, ReceivingService
from station.supervision.lot_holds import LotHoldService
from station.sync.worker import SyncWorker
from tests.helpers.builders import add_operator, add_product, add_rma
from tests.station.sync.conftest import actor_on

pytestmark = pytest.mark.postgres


def worker(station, central) -> SyncWorker:  # noqa: ANN001
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


def test_a_hold_put_at_one_dock_holds_the_lot_at_the_other(make_station, central) -> None:  # noqa: ANN001
    dock1, dock2 = make_station(1), make_station(2)
    with dock1.sf.begin() as db:
        boss = add_operator(db, Role.SUPERVISOR, badge="EMP7001")
        add_operator(db, Role.CLERK, badge="EMP7002")
        lipstick = add_product(db, "LS-01", category="cosmetics", gtin="6900000000014")
        number = add_rma(db, [(lipstick, 1)], reason="defective").number
    LotHoldService(dock1.ctx).hold(boss, "LS-01", "L2", "Caps crack")
    for _ in range(2):
        assert worker(dock1, central).run_once().ok
    assert worker(dock2, central).run_once().ok
    with dock2.sf() as db:
        assert [(h.sku, h.lot, h.reason) for h in db.scalars(select(LotHold))] == [("LS-01", "L2", "Caps crack")]
    result = ReceivingService(dock2.ctx).receive(actor_on(dock2.sf, "EMP7002"), number,
                                                 ParcelInput(items={1: (ItemCheck("6900000000014", lot="L2"),)}))
    assert "lot_held" in result.units[0].flags
    assert "on hold (Caps crack)" in result.message
