"""A copy of central, or central restored from an older backup, is recognised by what it
remembers of each dock; the dock says so in one line, sends again what central lost and reads
on from where this central left it. Nothing is lost and nothing is doubled.

The copy keeps central's identity and server (``createdb -T``), so the identity check of
``test_central_identity`` cannot tell it apart: before, a dock that synced once with the copy
never pulled later receipts from the real central.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from station.models import AuditEvent, Receipt, Unit
from station.receiving.service import ReceivingService
from station.sync.central_schema import applied_events
from station.sync.central_apply import apply_batch, prepare_batch
from station.sync.connection import make_central_engine
from station.sync.history import remember_acked
from station.sync.outbox_queue import read_pending
from station.sync.worker import SyncWorker
from tests.helpers.pg import fresh_database
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import assert_central_has_station, count, pending, rows, upstream

pytestmark = pytest.mark.postgres


def _worker(station, central: Engine) -> SyncWorker:
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


@contextmanager
def copy_of(central: Engine, url: str) -> Iterator[Engine]:
    """``createdb -T central copy``: the same identity, rows and server (central must be idle)."""
    central.dispose()
    with fresh_database("rma_copy", template=make_url(url).database) as database:
        engine = make_central_engine(database.url, station_id="test")
        yield engine
        engine.dispose()


def _receipts_once(central: Engine) -> None:
    """Every parcel is one receipt on central, every pushed event applied once."""
    numbers = [r["rma_id"] for r in rows(central, Receipt.__table__).values()]
    assert len(numbers) == len(set(numbers))
    with central.connect() as conn:
        ids = list(conn.execute(select(applied_events.c.event_id)).scalars())
    assert len(ids) == len(set(ids))


def test_dock_that_synced_with_a_copy_of_central_still_gets_every_receipt_from_the_real_one(
        make_station, central, central_sf, central_url):
    numbers = upstream(central_sf, rmas=4)
    dock1, dock2 = make_station(1), make_station(2)
    for dock in (dock1, dock2):
        assert _worker(dock, central).run_once().ok

    with copy_of(central, central_url) as copy:
        # Dock 1 is pointed at the copy for a while: its parcel lands there only.
        ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), numbers[0])
        on_copy = _worker(dock1, copy).run_once()
        assert on_copy.ok and on_copy.history_lost is None  # the copy cannot know yet
        # Meanwhile dock 2 receives at the real central.
        ReceivingService(dock2.ctx).receive(actor_on(dock2.sf, "CLERK2"), numbers[1])
        assert _worker(dock2, central).run_once().ok

        back = _worker(dock1, central).run_once()

    assert back.ok, back.error
    lost = back.history_lost
    assert lost is not None
    assert lost.words().startswith(f"Central database {lost.central_id} is a copy or an older backup: ")
    assert lost.resent > 0
    assert "nothing is lost or doubled" in lost.words()
    # Dock 1's parcel reached the real central, and dock 2's parcel reached dock 1.
    assert_central_has_station(central, dock1.engine, "DOCK01")
    assert count(dock1.engine, Receipt.__table__) == 2
    for table in (Receipt.__table__, Unit.__table__):
        assert rows(dock1.engine, table) == rows(central, table)
    _receipts_once(central)
    # The dock's audit log says what happened, and the next round is an ordinary one.
    with dock1.sf() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.action == "sync.central_history_lost")))
    assert actions == ["sync.central_history_lost"]
    again = _worker(dock1, central).run_once()
    assert again.ok and again.history_lost is None


def test_central_restored_from_an_older_backup_gets_back_what_the_dock_had_sent(
        make_station, central, central_sf, central_url):
    numbers = upstream(central_sf, rmas=3)
    dock = make_station(1)
    assert _worker(dock, central).run_once().ok

    with copy_of(central, central_url) as backup:  # the nightly backup
        for number in numbers[:2]:  # the next day's parcels reach central ...
            ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), number)
        assert _worker(dock, make_central_engine(central_url, station_id="test")).run_once().ok
        assert pending(dock.engine) == 0
        assert count(backup, Receipt.__table__) == 0

        restored = _worker(dock, backup).run_once()  # ... then central is restored from the backup

        assert restored.ok, restored.error
        assert restored.history_lost is not None
        assert restored.history_lost.central_acked < restored.history_lost.station_acked
        assert count(backup, Receipt.__table__) == 2
        assert_central_has_station(backup, dock.engine, "DOCK01")
        _receipts_once(backup)
        assert _worker(dock, backup).run_once().history_lost is None


def test_ordinary_rounds_and_a_lost_reply_are_not_mistaken_for_a_copy(make_station, central, central_sf):
    numbers = upstream(central_sf, rmas=2)
    dock = make_station(1)
    worker = _worker(dock, central)
    assert worker.run_once().history_lost is None
    ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), numbers[0])
    assert worker.run_once().history_lost is None
    # Central committed a batch whose reply never reached the dock: the dock is behind, not ahead.
    ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), numbers[1])
    events, _ = read_pending(dock.engine, 1000)
    with central.begin() as conn:
        apply_batch(conn, prepare_batch(events, dock.station_id), dock.station_id)
        remember_acked(conn, dock.station_id, [e.seq for e in events])
    assert pending(dock.engine) == len(events)
    second = worker.run_once()
    assert second.ok and second.history_lost is None
    assert second.push.duplicates == len(events)
    _receipts_once(central)


@pytest.mark.parametrize("pushed_before_backup", [True, False])
def test_central_restored_between_the_meeting_and_the_push_loses_nothing(
        make_station, central, central_sf, central_url, pushed_before_backup):
    """The round met the old central, then central was restored from a backup, then the round's
    push reached the restored one (the pool reconnects). Before, the push raised central's
    figure over what it had lost, so no later meeting saw the loss and the rows were gone; and
    a backup taken before the dock's first push knew nothing to compare (NULL, now 0)."""
    from station.sync.history import CentralLostHistory
    from station.sync.push import Pusher

    numbers = upstream(central_sf, rmas=3)
    dock = make_station(1)
    assert _worker(dock, central).run_once().ok
    if pushed_before_backup:
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), numbers[2])
        assert _worker(dock, central).run_once().ok

    with copy_of(central, central_url) as backup:
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), numbers[0])
        assert _worker(dock, make_central_engine(central_url, station_id="test")).run_once().ok
        ReceivingService(dock.ctx).receive(actor_on(dock.sf, "CLERK1"), numbers[1])
        waiting = pending(dock.engine)

        with pytest.raises(CentralLostHistory, match="lost changes up to #"):
            Pusher(dock.engine, backup, dock.station_id, photos=dock.photos).push_all()
        assert pending(dock.engine) == waiting  # nothing of the batch was kept
        assert count(backup, Receipt.__table__) == int(pushed_before_backup)

        restored = _worker(dock, backup).run_once()

        assert restored.ok, restored.error
        assert restored.history_lost is not None
        assert count(backup, Receipt.__table__) == 2 + pushed_before_backup
        for table in (Receipt.__table__, Unit.__table__):
            assert rows(dock.engine, table) == rows(backup, table)
        _receipts_once(backup)


def test_a_parcel_lost_with_the_restore_and_received_again_elsewhere_is_void_at_every_dock(
        make_station, central, central_sf, central_url):
    """Dock 1's parcel reached central after the backup and dock 2 pulled it; the restore lost
    it and dock 3 received the same parcel on the restored central. Dock 1's copy is held back
    as a duplicate parcel and settled keeping dock 3's: dock 1 voids its receipt, and dock 2,
    which holds a copy central will never have again, voids that copy too."""
    from station.sync.conflicts import list_conflicts, resolve_conflict
    from station.sync.lost_parcels import VOID_FLAG

    numbers = upstream(central_sf, rmas=2)
    dock1, dock2, dock3 = make_station(1), make_station(2), make_station(3)
    for dock in (dock1, dock2, dock3):
        assert _worker(dock, central).run_once().ok
    ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), numbers[1])
    assert _worker(dock1, central).run_once().ok  # central counts what it holds of dock 1

    with copy_of(central, central_url) as backup:
        after_backup = make_central_engine(central_url, station_id="test")
        mine = ReceivingService(dock1.ctx).receive(actor_on(dock1.sf, "CLERK1"), numbers[0])
        for dock in (dock1, dock2):
            assert _worker(dock, after_backup).run_once().ok
        after_backup.dispose()
        assert count(dock2.engine, Receipt.__table__) == 2  # dock 1's parcel, pulled

        # Central restored from the backup: dock 3 receives the same parcel there first.
        ReceivingService(dock3.ctx).receive(actor_on(dock3.sf, "CLERK3"), numbers[0])
        assert _worker(dock3, backup).run_once().ok
        assert _worker(dock1, backup).run_once().history_lost is not None
        (held,) = list_conflicts(backup)
        resolve_conflict(backup, held.id, keep="central", by="CLERK1")
        for dock in (dock1, dock2, dock3, dock1, dock2):
            assert _worker(dock, backup).run_once().ok

        central_receipts = rows(backup, Receipt.__table__)
        for dock in (dock1, dock2):
            copy = rows(dock.engine, Receipt.__table__)
            voided = {k for k, r in copy.items() if VOID_FLAG in r["flags"]}
            assert voided == {mine.receipt_id}, dock.station_id
            assert {k: r for k, r in copy.items() if k not in voided} == central_receipts
