"""A refund is paid once: two docks deciding one RMA offline, and what each is told.

Before, the same RMA resolved as proposed at DOCK02 and at DOCK03 while offline left two
refunds and two ``resolution.issued`` events on central after both synced (the shop paid
twice). Now central holds one standing resolution per RMA by a unique index; the second dock's
is refused, voided at its dock with who resolved it first, and its event never leaves.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import InvalidInput
from station.inspection.service import InspectionService
from station.models import AuditEvent, DomainEvent, Operator, Resolution, ResolutionState, Rma, RmaState
from station.receiving.service import ReceivingService
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from station.sync.conflicts import list_conflicts, resolve_conflict
from station.sync.worker import SyncWorker
from tests.helpers.qc import good_answer
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import rows, upstream

pytestmark = pytest.mark.postgres


def _worker(station, central) -> SyncWorker:
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


def _ready_everywhere(make_station, central, central_sf):
    """Dock 1 receives, inspects and disposes one RMA; both docks know it is ready to resolve."""
    [number, *_] = upstream(central_sf, rmas=2)
    dock1, dock2 = make_station(1), make_station(2)
    for dock in (dock1, dock2):
        assert _worker(dock, central).run_once().ok
    inspection = InspectionService(dock1.ctx, photos=dock1.photos)
    inspector = actor_on(dock1.sf, "INSP1")
    for unit in ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), number).units:
        view = inspection.start(inspector, unit.lpn)
        while view.next_question is not None:
            view = inspection.answer(inspector, view.inspection_id, view.next_question.id,
                                     good_answer(view.next_question))
        inspection.finish(inspector, view.inspection_id)
        inspection.dispose(inspector, unit.lpn)
    for dock in (dock1, dock2, dock1):
        assert _worker(dock, central).run_once().ok
    assert ResolutionService(dock2.ctx).propose(number).amount > 0  # dock 2 could resolve it too
    return number, dock1, dock2


def _issued_events(engine, number: str) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(DomainEvent.id).where(DomainEvent.rma_number == number,
                                                             DomainEvent.name == "resolution.issued")).all())


def _states(engine, number: str) -> list[ResolutionState]:
    with engine.connect() as conn:
        return list(conn.execute(select(Resolution.state).join(Rma, Rma.id == Resolution.rma_id)
                                 .where(Rma.number == number)).scalars())


@pytest.mark.parametrize("first", [1, 2])
def test_two_docks_resolve_one_rma_offline_and_the_customer_is_paid_once(make_station, central, central_sf, first):
    number, dock1, dock2 = _ready_everywhere(make_station, central, central_sf)
    docks = {1: dock1, 2: dock2}
    for dock, badge in ((dock1, "INSP1"), (dock2, "INSP2")):  # both offline: each decides alone
        ResolutionService(dock.ctx).issue(actor_on(dock.sf, badge), number)
        assert _states(dock.engine, number) == [ResolutionState.PENDING]
        assert _issued_events(dock.engine, number) == 0  # no notice, no webhook yet

    winner, loser = docks[first], docks[3 - first]
    won = _worker(winner, central).run_once()
    assert won.ok and won.settled.accepted == [number]
    lost = _worker(loser, central).run_once()
    assert lost.ok and [n for n, _ in lost.settled.voided] == [number]

    # Central: one standing resolution, one resolution.issued, whatever order the docks came in.
    for _ in range(2):
        for dock in (winner, loser):
            assert _worker(dock, central).run_once().ok
    assert _states(central, number) == [ResolutionState.EFFECTIVE]
    assert _issued_events(central, number) == 1
    assert _states(winner.engine, number) == [ResolutionState.EFFECTIVE]
    assert _issued_events(winner.engine, number) == 1
    # The loser keeps its void and has pulled the one that stands; it never wrote an event.
    assert sorted(_states(loser.engine, number)) == [ResolutionState.EFFECTIVE, ResolutionState.VOIDED]
    assert _issued_events(loser.engine, number) == 0

    # The losing dock says who resolved it first, in words, and audited it.
    with loser.sf() as db:
        voided = db.scalars(select(Resolution).where(Resolution.state == ResolutionState.VOIDED)).one()
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "resolution.voided")).one()
    with winner.sf() as db:
        first = db.scalars(select(Resolution)).one()
        who = db.get(Operator, first.issued_by).name
    assert voided.void_reason.startswith(f"RMA {number} was already resolved at {winner.station_id} by {who} at ")
    assert "nothing was paid for it" in voided.void_reason
    assert audit.details["reason"] == voided.void_reason
    history = {h.state: h for h in ResolutionQueue(loser.ctx).history()}
    assert history[ResolutionState.VOIDED].void_reason == voided.void_reason
    assert history[ResolutionState.EFFECTIVE].decided_by == who  # the desk shows the one that stands, and by whom

    # A supervisor cannot keep the second resolution at central; keeping central's closes it.
    [refused] = list_conflicts(central)  # the loser's RMA change, its resolution held with it
    assert refused.pushed_by == loser.station_id
    with pytest.raises(InvalidInput, match="holds a second resolution for one RMA"):
        resolve_conflict(central, refused.id, keep="station", by="EMP3001")
    resolve_conflict(central, refused.id, keep="central", by="EMP3001")
    assert _states(central, number) == [ResolutionState.EFFECTIVE]
    assert rows(central, Resolution.__table__)  # the standing one is untouched


def test_online_dock_resolution_takes_effect_at_its_next_round(make_station, central, central_sf):
    number, dock1, _ = _ready_everywhere(make_station, central, central_sf)
    ResolutionService(dock1.ctx).issue(actor_on(dock1.sf, "INSP1"), number)
    [pending] = ResolutionQueue(dock1.ctx).history()
    assert pending.state == ResolutionState.PENDING
    assert _worker(dock1, central).run_once().settled.accepted == [number]
    with dock1.sf() as db:
        assert db.scalar(select(Rma.state).where(Rma.number == number)) == RmaState.CLOSED  # closed on acceptance
    assert _issued_events(dock1.engine, number) == 1
