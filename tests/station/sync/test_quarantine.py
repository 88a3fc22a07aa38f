"""Corrupt or hostile events are set aside with a reason; the rest of the queue drains."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from station.core.serialize import record_to_dict
from station.models import OutboxEvent, OutboxState, Photo, Receipt, Unit
from station.receiving.service import ReceivingService
from station.sync.central_schema import photo_blobs
from station.sync.pull import Puller
from station.sync.push import Pusher
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import assert_central_has_station, count, pending, upstream

pytestmark = pytest.mark.postgres
JPEG = b"\xff\xd8\xff\xe0" + b"picture" * 50


def receive(station, central, central_sf, n: int) -> list:
    numbers = upstream(central_sf, rmas=n)
    Puller(station.engine, central).pull_all()
    clerk = actor_on(station.sf, "CLERK1")
    return [ReceivingService(station.ctx).receive(clerk, number) for number in numbers]


def add_raw_event(station, entity_type: str, entity_id: uuid.UUID, version: int, payload_text: str,
                  operation: str = "insert") -> int:
    """An outbox row written behind the service's back, payload exactly as given."""
    with station.engine.begin() as conn:
        seq = conn.execute(insert(OutboxEvent.__table__).values(
            event_id=uuid.uuid4(), station_id=station.station_id, entity_type=entity_type,
            entity_id=entity_id, entity_version=version, operation=operation, payload={},
            state=OutboxState.PENDING, attempts=0, last_error="")).inserted_primary_key[0]
        conn.execute(text("UPDATE outbox SET payload = :p WHERE seq = :s"), {"p": payload_text, "s": seq})
    return seq


def unit_row(station, lpn: str) -> dict:
    with station.sf() as db:
        return record_to_dict(db.scalars(select(Unit).where(Unit.lpn == lpn)).one())


def test_hostile_events_are_quarantined_with_reasons_and_the_rest_drains(make_station, central, central_sf):
    station = make_station(1)
    results = receive(station, central, central_sf, 3)
    assert Pusher(station.engine, central, station.station_id).push_all().sent > 0
    good = unit_row(station, results[0].units[0].lpn)
    bad: dict[int, str] = {}

    def hostile(change: dict, expect: str, entity_type: str = "units") -> None:
        payload = {**good, "id": str(uuid.uuid4()), "lpn": f"X{len(bad):05d}", "version": 1, **change}
        bad[add_raw_event(station, entity_type, uuid.UUID(payload["id"]), 1, json.dumps(payload))] = expect

    hostile({"lpn": "L" * 500}, "units.lpn is 500 characters long")
    hostile({"state": "shipped-to-attacker"}, "units.state is 'shipped-to-attacker', not one of")
    hostile({"sku_received": "A\u0000B"}, "units.sku_received contains a NUL")
    hostile({"quantity": 2 ** 40}, "units.quantity is out of range")
    hostile({"is_admin": True}, "unknown column 'is_admin'")
    hostile({}, "unknown record type 'users; DROP TABLE rmas'", entity_type="users; DROP TABLE rmas")
    hostile({"created_at": "yesterday"}, "units.created_at is 'yesterday', not an ISO timestamp")
    hostile({"receipt_id": "not-a-uuid"}, "units.receipt_id is 'not-a-uuid', not a UUID")
    bad[add_raw_event(station, "units", uuid.uuid4(), 1, "{this is not json")] = "payload is not valid JSON"
    bad[add_raw_event(station, "units", uuid.UUID(good["id"]), 7, json.dumps(good), "update")] = \
        f"payload version {good['version']} is not the event's version 7"
    # Valid on its face, refused by PostgreSQL (another unit's LPN): found by splitting the batch.
    clash = {**good, "lpn": results[1].units[0].lpn, "version": good["version"] + 1}
    bad[add_raw_event(station, "units", uuid.UUID(good["id"]), clash["version"], json.dumps(clash), "update")] = \
        "central refused it: duplicate key value violates unique constraint"
    receive_more(station, central_sf, central)  # good work queued behind the bad events

    report = Pusher(station.engine, central, station.station_id, batch_size=500).push_all()
    assert (report.quarantined, report.conflicts) == (len(bad), 0)
    with station.engine.connect() as conn:
        got = dict(conn.execute(select(OutboxEvent.seq, OutboxEvent.last_error)
                                .where(OutboxEvent.state == OutboxState.QUARANTINED)).all())
    assert set(got) == set(bad)
    for seq, expect in bad.items():
        assert expect in got[seq], (seq, got[seq])
    assert pending(station.engine) == 0
    assert_central_has_station(central, station.engine, station.station_id)
    assert count(central, Receipt.__table__) == count(station.engine, Receipt.__table__) == 5
    with central.connect() as conn:
        assert conn.execute(select(Unit.lpn).where(Unit.id == uuid.UUID(good["id"]))).scalar_one() == good["lpn"]
        assert conn.execute(text("SELECT count(*) FROM units WHERE lpn LIKE 'X%' OR lpn LIKE 'LLL%'")).scalar() == 0


def receive_more(station, central_sf, central) -> list:
    from tests.helpers.builders import add_product, add_rma

    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        product = add_product(db, "EXTRA-1")
        numbers = [add_rma(db, [(product, 1)]).number for _ in range(2)]
    Puller(station.engine, central).pull_all()
    clerk = actor_on(station.sf, "CLERK1")
    return [ReceivingService(station.ctx).receive(clerk, n) for n in numbers]


def test_photos_travel_once_and_are_verified_on_arrival(make_station, central, central_sf):
    station = make_station(1)
    results = receive(station, central, central_sf, 1)
    unit_id, clerk = uuid.UUID(unit_row(station, results[0].units[0].lpn)["id"]), actor_on(station.sf, "CLERK1")
    digest = station.photos.put(JPEG)
    missing = hashlib.sha256(b"never stored").hexdigest()
    with station.sf.begin() as db:
        for sha in (digest, digest, missing):
            db.add(Photo(unit_id=unit_id, sha256=sha, size_bytes=len(JPEG), taken_at=station.ctx.now(),
                         taken_by=clerk.id, station_id=station.station_id))
    report = Pusher(station.engine, central, station.station_id, photos=station.photos).push_all()
    assert report.quarantined == 1
    assert count(central, Photo.__table__) == 2
    with central.connect() as conn:
        blobs = conn.execute(select(photo_blobs.c.sha256, photo_blobs.c.data)).all()
    assert [(b.sha256, bytes(b.data)) for b in blobs] == [(digest, JPEG)]
    with station.engine.connect() as conn:
        reason = conn.execute(select(OutboxEvent.last_error).where(OutboxEvent.state == OutboxState.QUARANTINED)).scalar()
    assert "missing from the photo store" in reason
    with pytest.raises(IntegrityError, match="content_matches_hash"):
        with central.begin() as conn:  # bytes that are not what their hash says are refused
            conn.execute(insert(photo_blobs).values(sha256=missing, content_type="image/jpeg", size_bytes=3,
                                                    data=b"bad", uploaded_by="x"))
