"""Push: outbox events land on central in one transaction, exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.models import OutboxEvent, OutboxState, Receipt, Rma, RmaLine, Role, Unit
from station.receiving.service import ReceivingService
from station.sync.central_apply import apply_batch
from station.sync.central_schema import applied_events, conflicts
from station.sync.outbox_queue import read_pending
from station.sync.push import Pusher
from tests.helpers.builders import add_operator, add_product, add_rma
from tests.station.sync.conftest import count

pytestmark = pytest.mark.postgres

TABLES = (Rma.__table__, RmaLine.__table__, Receipt.__table__, Unit.__table__)


def seed_and_receive(station, parcels: int = 3) -> None:
    with station.sf.begin() as db:
        db.info["station_id"] = station.station_id
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, f"TS-{station.station_id}")
        numbers = [add_rma(db, [(shirt, 2)]).number for _ in range(parcels)]
    service = ReceivingService(station.ctx)
    for number in numbers:
        service.receive(clerk, number)


def rows(engine, table) -> dict:
    with engine.connect() as conn:
        return {r.id: {k: v for k, v in r._mapping.items()} for r in conn.execute(select(table))}


class TestPush:
    def test_central_holds_exactly_what_the_station_wrote(self, make_station, central):
        station = make_station(1)
        seed_and_receive(station)
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert report.quarantined == 0 and report.conflicts == 0
        for table in TABLES:
            assert rows(central, table) == rows(station.engine, table)
        assert len(rows(central, Receipt.__table__)) == 3 and len(rows(central, Unit.__table__)) >= 3
        assert count(station.engine, OutboxEvent.__table__) == report.sent
        with station.sf() as db:
            states = set(db.scalars(select(OutboxEvent.state)))
        assert states == {OutboxState.SENT}
        assert count(central, applied_events) == report.sent

    def test_a_batch_retried_after_a_lost_reply_changes_nothing(self, make_station, central):
        station = make_station(1)
        seed_and_receive(station, parcels=2)
        events, rejected = read_pending(station.engine, 10_000)
        assert rejected == []
        with central.begin() as conn:  # applied on central, but the station never hears back
            first = apply_batch(conn, events, station.station_id)
        assert len(first.applied) == len(events)
        before = {t.name: rows(central, t) for t in TABLES}
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert report.duplicates == len(events) and report.sent == 0
        assert {t.name: rows(central, t) for t in TABLES} == before
        assert count(central, applied_events) == len(events)
        assert count(central, conflicts) == 0
