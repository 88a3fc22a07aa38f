"""Orders and customers' requests travel between docks and central like the floor's records:
a dock receives against an order another service took, and the same order sent to two
services is one record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import Order, OrderLine, RmaRequest
from station.models.orders import order_id_for
from station.sync.backoff import Backoff
from station.sync.central_schema import conflicts
from station.sync.worker import SyncWorker
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from tests.station.sync.helpers import count, upstream

pytestmark = pytest.mark.postgres


def _worker(station, central):
    return SyncWorker(station.engine, central, station.station_id, photos=station.photos,
                      backoff=Backoff(base=0.01, cap=0.1))


def test_a_request_taken_at_one_dock_is_known_at_the_other(make_station, central, central_sf):
    upstream(central_sf, rmas=1)
    seed_catalogue(central_sf)
    one, two = make_station(1), make_station(2)
    workers = {s.station_id: _worker(s, central) for s in (one, two)}
    for worker in workers.values():
        assert worker.run_once().ok

    intake_one = IntakeService(one.ctx)
    intake_one.submit_order(parse_order(order_payload("SO-77", customer_ref="C-77")), by="shop")
    view = intake_one.request_return(parse_request(request_payload("SO-77", quantity=1)), by="shop")
    assert view.status == "authorised"
    # The shop also sent the same order to the second dock's service.
    IntakeService(two.ctx).submit_order(parse_order(order_payload("SO-77", customer_ref="C-77")), by="shop")

    for name in ("DOCK01", "DOCK02", "DOCK01", "DOCK02"):
        assert workers[name].run_once().ok

    with central_sf() as db:
        orders = db.scalars(select(Order).where(Order.order_number == "SO-77")).all()
        assert [o.id for o in orders] == [order_id_for("SO-77")]
        assert db.scalar(select(RmaRequest.status).where(RmaRequest.number == view.rma_number)) == "authorised"
    assert count(central, OrderLine.__table__) == count(one.engine, OrderLine.__table__)
    assert count(central, conflicts) == 0

    intake_two = IntakeService(two.ctx)
    assert intake_two.get(view.rma_number).status == "authorised"
    tee = next(l for l in intake_two.returnable_lines("SO-77") if l.sku == "TEE-1")
    assert (tee.ordered, tee.remaining) == (3, 2)
    # The second dock's own request for the same order sees what the first took.
    again = intake_two.request_return(parse_request(request_payload("SO-77", quantity=2)), by="shop")
    assert again.status == "authorised" and again.rma_number != view.rma_number
    with pytest.raises(Exception, match="only 0 of 3"):
        intake_two.request_return(parse_request(request_payload("SO-77", quantity=1)), by="shop")
