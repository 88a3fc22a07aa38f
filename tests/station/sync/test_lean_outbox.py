"""The outbox names changed records; a push sends each record's state once, as it is then.

Stories: a parcel received and inspected before the next push travels as one entry per record;
a change made while a push is reading, or between a failed push and its retry, is neither lost
nor turned into a conflict; entries written before the lean outbox still travel as written.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlalchemy import select, update

from station.core.db import make_engine, upgrade
from station.models import OutboxEvent, OutboxFence, OutboxState, Receipt, Rma, Role, Unit
from station.receiving.service import ReceivingService
from station.sync.central_apply import apply_batch
from station.sync.central_schema import conflicts
from station.sync.outbox_queue import read_pending
from station.sync.push import Pusher
from tests.helpers.builders import add_operator, add_product, add_rma
from tests.station.sync.conftest import count
from tests.station.sync.helpers import pending, rows

pytestmark = pytest.mark.postgres


def _seed(station, parcels: int = 2) -> tuple[object, list[str]]:
    with station.sf.begin() as db:
        db.info["station_id"] = station.station_id
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, f"TS-{station.station_id}")
        numbers = [add_rma(db, [(shirt, 2)]).number for _ in range(parcels)]
    return clerk, numbers


def _entries(station) -> Counter[tuple[str, uuid.UUID]]:
    with station.engine.connect() as conn:
        return Counter(conn.execute(select(OutboxEvent.entity_type, OutboxEvent.entity_id)
                                    .where(OutboxEvent.state == OutboxState.PENDING)).all())


def _rename_customer(station, number: str, ref: str) -> None:
    with station.sf.begin() as db:
        db.info["station_id"] = station.station_id
        db.scalar(select(Rma).where(Rma.number == number)).customer_ref = ref


def _central_rma(central, number: str):
    with central.connect() as conn:
        return conn.execute(select(Rma.__table__).where(Rma.__table__.c.number == number)).one()


def test_a_parcel_changed_several_times_before_the_push_waits_as_one_entry_per_record(make_station, central):
    station = make_station(1)
    clerk, numbers = _seed(station)
    receiving = ReceivingService(station.ctx)
    for number in numbers:
        receiving.receive(clerk, number)
    _rename_customer(station, numbers[0], "C-RENAMED")
    _rename_customer(station, numbers[0], "C-RENAMED-AGAIN")

    waiting = _entries(station)
    assert waiting and max(waiting.values()) == 1, "a record with two waiting entries"
    with station.engine.connect() as conn:
        rma_version = conn.scalar(select(Rma.version).where(Rma.number == numbers[0]))
    assert rma_version >= 4  # authorised, received, renamed twice: four versions, one entry

    report = Pusher(station.engine, central, station.station_id).push_all()
    assert report.conflicts == report.quarantined == 0
    assert report.sent == sum(waiting.values())
    on_central = _central_rma(central, numbers[0])
    assert (on_central.customer_ref, on_central.version) == ("C-RENAMED-AGAIN", rma_version)
    for table in (Rma.__table__, Receipt.__table__, Unit.__table__):
        assert rows(central, table) == rows(station.engine, table)


def test_a_change_made_after_a_push_read_the_record_travels_next_time(make_station, central):
    station = make_station(1)
    clerk, numbers = _seed(station, parcels=1)
    ReceivingService(station.ctx).receive(clerk, numbers[0])
    events, rejected = read_pending(station.engine, 10_000)  # the push has read everything...
    assert rejected == []
    _rename_customer(station, numbers[0], "C-WHILE-PUSHING")  # ...and the clerk changes the RMA meanwhile
    assert pending(station.engine) == len(events) + 1, "the change must get an entry of its own"

    with central.begin() as conn:  # the batch read before the change lands
        apply_batch(conn, events, station.station_id)
    report = Pusher(station.engine, central, station.station_id).push_all()  # the reply was lost: all again
    assert report.conflicts == report.quarantined == 0
    assert _central_rma(central, numbers[0]).customer_ref == "C-WHILE-PUSHING"
    assert rows(central, Rma.__table__) == rows(station.engine, Rma.__table__)
    assert count(central, conflicts) == 0


def test_a_push_retried_after_a_change_sends_the_newest_state_without_a_conflict(make_station, central):
    station = make_station(1)
    clerk, numbers = _seed(station, parcels=1)
    ReceivingService(station.ctx).receive(clerk, numbers[0])
    events, _ = read_pending(station.engine, 10_000)  # a push read the batch, then central went away
    _rename_customer(station, numbers[0], "C-AFTER-FAILED-PUSH")  # based on what that push read

    # The retry reads the RMA anew (with the change) in its first batch, the change's own entry in
    # the next: that entry must now start from the version the first batch carried.
    report = Pusher(station.engine, central, station.station_id, batch_size=len(events)).push_all()
    assert report.batches == 2
    assert report.conflicts == report.quarantined == 0
    assert count(central, conflicts) == 0
    assert _central_rma(central, numbers[0]).customer_ref == "C-AFTER-FAILED-PUSH"
    assert rows(central, Rma.__table__) == rows(station.engine, Rma.__table__)
    assert pending(station.engine) == 0


def test_an_entry_that_names_a_record_no_longer_here_is_quarantined_alone(make_station, central):
    station = make_station(1)
    clerk, numbers = _seed(station, parcels=2)
    receiving = ReceivingService(station.ctx)
    for number in numbers:
        receiving.receive(clerk, number)
    with station.engine.begin() as conn:  # someone edits the file by hand
        conn.execute(update(OutboxEvent).where(OutboxEvent.entity_type == "units")
                     .values(entity_id=uuid.uuid4()).execution_options(synchronize_session=False)
                     .where(OutboxEvent.seq == select(OutboxEvent.seq).where(
                         OutboxEvent.entity_type == "units").order_by(OutboxEvent.seq).limit(1).scalar_subquery()))
    report = Pusher(station.engine, central, station.station_id).push_all()
    assert report.quarantined == 1 and report.conflicts == 0
    with station.engine.connect() as conn:
        reason = conn.scalar(select(OutboxEvent.last_error).where(OutboxEvent.state == OutboxState.QUARANTINED))
    assert "units record it names is no longer in this database" in reason
    assert count(central, Receipt.__table__) == 2


def test_upgrading_keeps_the_entries_already_waiting_as_they_were_written(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0016")
    payload = '{"id": "x"}'
    with engine.begin() as conn:
        for n in range(3):
            conn.exec_driver_sql(
                "INSERT INTO outbox (event_id, created_at, station_id, entity_type, entity_id, entity_version, "
                "operation, payload, state, attempts, last_error) VALUES (?, '2026-12-01 10:00:00', 'S1', 'rmas', "
                "?, 1, 'insert', ?, 'pending', 0, '')", (uuid.uuid4().hex, uuid.uuid4().hex, payload))
    upgrade(engine)
    with engine.connect() as conn:
        fence = conn.scalar(select(OutboxFence.seq))
        newest = conn.scalar(select(OutboxEvent.seq).order_by(OutboxEvent.seq.desc()).limit(1))
        kept = conn.scalars(select(OutboxEvent.base_version)).all()
    assert fence == newest == 3, "entries written before the upgrade carry their payload: none is reused"
    assert kept == [None, None, None]
    engine.dispose()


def test_the_push_reads_every_synced_table_exactly_as_the_records_serialise(tmp_path):
    """The push reads SQLite's stored values straight into their JSON form (for speed); every
    column of every synced table of a demo warehouse must come out as ``record_to_dict`` has it."""
    from station.core.db import make_session_factory
    from station.core.serialize import record_to_dict
    from station.demo import seed_demo
    from station.models import SYNCED_MODELS
    from station.sync.outbox_queue import _states

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    upgrade(engine)
    sf = make_session_factory(engine)
    seed_demo(sf, rmas=60, seed=3)
    compared = Counter()
    with sf() as db, engine.connect() as conn:
        for model in SYNCED_MODELS:
            records = db.scalars(select(model)).all()
            read = _states(conn, model.__tablename__, [r.id for r in records])
            for record in records:
                assert read[record.id] == record_to_dict(record), (model.__tablename__, record.id)
                compared[model.__tablename__] += 1
    assert compared["rmas"] >= 60 and compared["units"] and compared["resolutions"] and compared["inspections"]
    assert len(+compared) >= 10, compared
    engine.dispose()


def test_a_record_changed_after_central_took_it_but_before_the_reply_came_is_not_lost(make_station, central):
    """Central applied the batch, the dock never heard back (killed, network), and the clerk went
    on: the entry sent again carries the newer record, and central takes it as an update of the
    version it took the first time, not as a duplicate (the dock would then lose the newer
    answers to a conflict and pull the older record back)."""
    station = make_station(1)
    clerk, numbers = _seed(station, parcels=1)
    ReceivingService(station.ctx).receive(clerk, numbers[0])
    events, _ = read_pending(station.engine, 10_000)
    with central.begin() as conn:  # applied on central; the reply is lost
        apply_batch(conn, events, station.station_id)
    _rename_customer(station, numbers[0], "C-AFTER-LOST-REPLY")

    report = Pusher(station.engine, central, station.station_id, batch_size=len(events)).push_all()
    assert report.conflicts == report.quarantined == 0
    assert count(central, conflicts) == 0
    assert _central_rma(central, numbers[0]).customer_ref == "C-AFTER-LOST-REPLY"
    assert rows(central, Rma.__table__) == rows(station.engine, Rma.__table__)
    assert pending(station.engine) == 0
