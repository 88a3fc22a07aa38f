"""A vendor's credit is booked once: two docks crediting one RTV batch offline, and what each
is told.

Before, DOCK01 and DOCK02 holding the same synced batch could each record the vendor's credit
offline; both were pushed and ``rtv.credited`` left twice. Now a credit is pending at a dock
that syncs, central holds one credit per batch by a unique index, and the second dock's is
voided there with who credited the batch first; its event never leaves.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from station.core.errors import IllegalTransition, InvalidInput
from station.core.settings import save_identity
from station.models import (
    AuditEvent,
    DomainEvent,
    OutboxEvent,
    OutboxState,
    Role,
    RtvBatch,
    RtvCredit,
    RtvCreditState,
    RtvState,
)
from station.rtv.batches import RtvService
from station.rtv.commitments import note_words
from station.sync.conflicts import list_conflicts, resolve_conflict
from station.sync.push import Pusher
from station.sync.worker import SyncWorker
from tests.helpers.builders import add_operator
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.station.builders_qc import make_dock
from tests.station.sync.conftest import actor_on

pytestmark = pytest.mark.postgres


def _worker(station, central) -> SyncWorker:
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


def _acknowledged_everywhere(make_station, central):
    """DOCK01 ships a batch of one unit and the vendor acknowledges it; DOCK02 has pulled it and
    has a supervisor of its own. Returns the batch number, each dock with its service and the
    supervisor who credits there."""
    dock1 = make_station(1)
    assert _worker(dock1, central).run_once().ok
    qc = make_dock(dock1.sf, photos=dock1.photos)
    lpn = rtv_unit(qc, value="500.00")
    rtv1 = with_vendor(qc)
    number = rtv1.open_batch(qc.supervisor, "SZPT").number
    rtv1.add(qc.supervisor, number, lpn)
    rtv1.ship(qc.supervisor, number, ra_number="RA-9", carrier="SF", tracking="SF9")
    rtv1.acknowledge(qc.supervisor, number)
    assert _worker(dock1, central).run_once().ok
    dock2 = make_station(2)
    with dock2.sf.begin() as db:
        add_operator(db, Role.SUPERVISOR, badge="SUP2", name="Wang Fang")
    assert _worker(dock2, central).run_once().ok
    rtv2 = RtvService(dock2.ctx)
    wang = actor_on(dock2.sf, "SUP2")
    assert rtv2.batch(wang, number).state == RtvState.ACKNOWLEDGED  # DOCK02 could credit it too
    return number, (dock1, rtv1, qc.supervisor, "Chen Jing"), (dock2, rtv2, wang, "Wang Fang")


def _credited_events(engine, number: str) -> list[DomainEvent]:
    with engine.connect() as conn:
        return list(conn.execute(select(DomainEvent).where(DomainEvent.name == "rtv.credited",
                                                           DomainEvent.payload["batch"].as_string() == number)))


def _credits(engine) -> list[tuple[str, RtvCreditState, Decimal]]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(RtvCredit.station_id, RtvCredit.state, RtvCredit.amount)).all())


def _batch(engine, number: str):
    with engine.connect() as conn:
        return conn.execute(select(RtvBatch).where(RtvBatch.number == number)).one()


@pytest.mark.parametrize("first", [1, 2])
def test_two_docks_credit_one_batch_offline_and_the_money_is_booked_once(make_station, central, central_url, first,
                                                                         capsys, monkeypatch):
    from ui.cli import main

    number, one, two = _acknowledged_everywhere(make_station, central)
    amounts = {1: "450.00", 2: "480.00"}
    for n, (dock, rtv, boss, _) in ((1, one), (2, two)):  # both offline: each records the credit alone
        view = rtv.credit(boss, number, amounts[n])
        assert view.state == RtvState.ACKNOWLEDGED and view.credit_pending  # the desk answers at once
        assert view.credit_note.startswith(f"Credit of {amounts[n]} CNY (")
        assert "waits for central to confirm" in view.credit_note
        assert f"到账 {amounts[n]} CNY" in note_words(view.credit_note, zh=True) and \
            "等待中央确认" in note_words(view.credit_note, zh=True)
        assert _credited_events(dock.engine, number) == []  # nothing booked, no webhook yet
        with pytest.raises(IllegalTransition, match="already has a credit of .* waiting for central"):
            rtv.credit(boss, number, amounts[n])  # nor a second one at the same dock

    docks = {1: one, 2: two}
    (winner, _, _, who), (loser, loser_rtv, loser_boss, _) = docks[first], docks[3 - first]
    won = _worker(winner, central).run_once()
    assert won.ok and won.credits.accepted == [number]
    monkeypatch.setenv("RMA_CENTRAL_URL", central_url)  # the losing dock's `sync --once` says what happened
    save_identity(loser.station_id, loser.station_no)
    capsys.readouterr()
    assert main(["--station-id", loser.station_id, "sync", "--once", "--db", loser.url]) == 0
    said = capsys.readouterr().out
    assert f"Credit of {number} void: Batch {number} was already credited at {winner.station_id} by {who} at " in said

    for _ in range(2):
        for dock in (winner, loser):
            assert _worker(dock, central).run_once().ok
    # Central: one credit, the winner's amount on the batch, one rtv.credited in its event feed.
    assert _credits(central) == [(winner.station_id, RtvCreditState.EFFECTIVE, Decimal(amounts[first]))]
    batch = _batch(central, number)
    assert (batch.state, batch.credited_amount) == (RtvState.CREDITED, Decimal(amounts[first]))
    [event] = _credited_events(central, number)
    assert event.payload["credited_amount"] == amounts[first]
    # The loser keeps its void, has pulled the credit that stands, and never wrote an event.
    assert _credits(loser.engine) == sorted([(winner.station_id, RtvCreditState.EFFECTIVE, Decimal(amounts[first])),
                                             (loser.station_id, RtvCreditState.VOIDED, Decimal(amounts[3 - first]))])
    assert _batch(loser.engine, number).credited_amount == Decimal(amounts[first])
    assert _credited_events(loser.engine, number) == []

    # The losing dock says in words who credited the batch first, and audited the void.
    with loser.sf() as db:
        voided = db.scalars(select(RtvCredit).where(RtvCredit.state == RtvCreditState.VOIDED)).one()
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "rtv.credit_voided")).one()
    assert voided.void_reason.startswith(f"Batch {number} was already credited at {winner.station_id} by {who} at ")
    assert voided.void_reason.endswith(f" UTC ({amounts[first]} CNY); this credit is void and was not booked.")
    assert audit.details["reason"] == voided.void_reason
    view = loser_rtv.batch(loser_boss, number)
    assert view.state == RtvState.CREDITED and not view.credit_pending
    assert view.credit_note == f"VOID: {voided.void_reason}"
    capsys.readouterr()
    assert main(["rtv", "batch", "list", "--db", loser.url]) == 0
    assert f"credited CNY {amounts[first]}" in (listed := capsys.readouterr().out)
    assert f"\n  VOID: {voided.void_reason}" in listed
    assert note_words(view.credit_note, zh=True).startswith(  # a Chinese desk says the same
        f"作废：批次 {number} 已于 ") and f"由 {who} 在 {winner.station_id} 记录到账（{amounts[first]} CNY）" in \
        note_words(view.credit_note, zh=True)
    with pytest.raises(IllegalTransition, match=f"already credited at {winner.station_id} by {who} at "):
        loser_rtv.credit(loser_boss, number, "1.00")

    # A supervisor cannot keep the second credit at central; keeping central's closes it.
    [refused] = list_conflicts(central)
    assert (refused.entity_type, refused.pushed_by) == ("rtv_credits", loser.station_id)
    assert refused.reason == voided.void_reason
    with pytest.raises(InvalidInput, match="holds a second credit for one RTV batch"):
        resolve_conflict(central, refused.id, keep="station", by="EMP3001")
    resolve_conflict(central, refused.id, keep="central", by="EMP3001")
    assert _credits(central) == [(winner.station_id, RtvCreditState.EFFECTIVE, Decimal(amounts[first]))]


def test_online_a_credit_takes_effect_in_one_round(make_station, central, capsys, monkeypatch):
    from ui.cli import main

    number, (dock1, rtv, boss, _), _ = _acknowledged_everywhere(make_station, central)
    save_identity(dock1.station_id, dock1.station_no)
    monkeypatch.setenv("RMA_PIN", "1234")
    assert main(["rtv", "claim", "credit", number, "--amount", "450.00", "--badge", boss.badge,
                 "--db", dock1.url]) == 0
    said = capsys.readouterr().out  # the supervisor is answered at once, and told what it waits for
    assert f"{number} SZPT acknowledged RA RA-9: 1 units, claimed CNY 500.00" in said
    assert "\n  Credit of 450.00 CNY (" in said and "waits for central to confirm" in said
    assert rtv.batch(boss, number).credit_pending
    assert _worker(dock1, central).run_once().credits.accepted == [number]
    view = rtv.batch(boss, number)
    assert (view.state, view.credited_amount, view.credit_pending, view.credit_note) == \
        (RtvState.CREDITED, Decimal("450.00"), False, "")
    assert len(_credited_events(dock1.engine, number)) == 1
    assert _worker(dock1, central).run_once().ok
    assert len(_credited_events(central, number)) == 1


def test_a_dock_killed_after_centrals_commit_settles_at_its_next_round(make_station, central):
    number, (dock1, rtv, boss, _), _ = _acknowledged_everywhere(make_station, central)
    rtv.credit(boss, number, "450.00")
    Pusher(dock1.engine, central, dock1.station_id, photos=dock1.photos).push_all()  # central committed ...
    with dock1.engine.begin() as conn:  # ... and the dock died before it heard: its events look unsent
        conn.execute(update(OutboxEvent).where(OutboxEvent.entity_type == "rtv_credits")
                     .values(state=OutboxState.PENDING))
    assert rtv.batch(boss, number).credit_pending
    assert _credits(central) == [(dock1.station_id, RtvCreditState.PENDING, Decimal("450.00"))]

    assert _worker(dock1, central).run_once().credits.accepted == [number]  # central is asked
    assert rtv.batch(boss, number).state == RtvState.CREDITED
    assert _worker(dock1, central).run_once().ok
    assert _credits(central) == [(dock1.station_id, RtvCreditState.EFFECTIVE, Decimal("450.00"))]
    assert len(_credited_events(central, number)) == 1
    assert list_conflicts(central) == []
