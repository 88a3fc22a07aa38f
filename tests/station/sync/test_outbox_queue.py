"""Reading and settling the outbox: read-ahead by seq, mark-sent by range only when exact."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select

from station.models import OutboxEvent, OutboxState
from station.sync.outbox_queue import mark_sent, read_pending


def add_events(station, n: int) -> list[int]:
    with station.engine.begin() as conn:
        for _ in range(n):
            conn.execute(insert(OutboxEvent.__table__).values(
                event_id=uuid.uuid4(), station_id=station.station_id, entity_type="units", entity_id=uuid.uuid4(),
                entity_version=1, operation="insert", payload={"broken": True}, state=OutboxState.PENDING,
                attempts=0, last_error=""))
        return list(conn.execute(select(OutboxEvent.seq).order_by(OutboxEvent.seq)).scalars())


def states(station) -> dict[int, OutboxState]:
    with station.engine.connect() as conn:
        return dict(conn.execute(select(OutboxEvent.seq, OutboxEvent.state)).all())


def test_mark_sent_leaves_a_pending_event_inside_the_range_alone(make_station):
    station = make_station(1)
    seqs = add_events(station, 5)
    mark_sent(station.engine, [seqs[0], seqs[2], seqs[4]], notes={seqs[2]: "conflict: x"})
    assert states(station) == {seqs[0]: OutboxState.SENT, seqs[1]: OutboxState.PENDING, seqs[2]: OutboxState.SENT,
                               seqs[3]: OutboxState.PENDING, seqs[4]: OutboxState.SENT}
    mark_sent(station.engine, [seqs[1], seqs[3]])
    assert set(states(station).values()) == {OutboxState.SENT}


def test_read_ahead_starts_after_the_given_seq(make_station):
    station = make_station(1)
    seqs = add_events(station, 6)
    good, bad = read_pending(station.engine, 3)
    assert good == [] and [r.seq for r in bad] == seqs[:3]  # unknown column: all rejected, with reasons
    assert all("unknown column 'broken'" in r.reason for r in bad)
    _, after = read_pending(station.engine, 10, after=seqs[2])
    assert [r.seq for r in after] == seqs[3:]
