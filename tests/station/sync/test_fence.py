"""Central restored from a backup pays nothing twice: commitments wait for every dock.

Before, a resolution central accepted after the backup (made effective at its dock: the
customer was paid) was lost with the restore, and another dock resolved the same RMA on the
restored central before the first dock sent it again: two refunds, two ``resolution.issued``.
Now the restored central recognises itself (its database OID changed) and fences commitments
until every station has met it and sent again what it lost (``station.sync.fence``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from station.models import OutboxEvent, OutboxState, Resolution, ResolutionState
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from station.sync.central_schema import fence_log
from station.sync.connection import make_central_engine
from station.sync.fence import HELD, current_fence
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import rows
from tests.station.sync.test_central_history import copy_of
from tests.station.sync.test_commitments import _issued_events, _ready_everywhere, _states, _worker
from ui.cli import main

pytestmark = pytest.mark.postgres


def _log(engine) -> list[tuple[str, str | None]]:
    with engine.connect() as conn:
        return [(r.event, r.station_id) for r in conn.execute(select(fence_log).order_by(fence_log.c.id))]


def test_a_refund_lost_with_the_restore_stands_and_the_other_docks_waits_then_is_void(
        make_station, central, central_sf, central_url):
    number, dock1, dock2 = _ready_everywhere(make_station, central, central_sf)
    with copy_of(central, central_url) as backup:  # last night's backup
        # After the backup: dock 1 refunds the customer; central takes it, the customer is paid.
        live = make_central_engine(central_url, station_id="test")
        ResolutionService(dock1.ctx).issue(actor_on(dock1.sf, "INSP1"), number)
        for _ in range(2):
            assert _worker(dock1, live).run_once().ok
        live.dispose()
        assert _states(dock1.engine, number) == [ResolutionState.EFFECTIVE]

        # Central is restored from the backup. Dock 2, which never heard of the refund, resolves
        # the same RMA and meets the restored central first.
        ResolutionService(dock2.ctx).issue(actor_on(dock2.sf, "INSP2"), number)
        first = _worker(dock2, backup).run_once()

        assert first.ok, first.error
        assert first.push.held > 0 and first.settled.accepted == []
        assert first.fence is not None and first.fence.waiting_for == ("DOCK01",)
        assert "restored from a backup" in first.push.words()
        assert _states(dock2.engine, number) == [ResolutionState.PENDING]  # nothing paid, nothing void
        assert _states(backup, number) == []
        with dock2.engine.connect() as conn:
            held = conn.execute(select(OutboxEvent.state, OutboxEvent.last_error)
                                .where(OutboxEvent.entity_type == "resolutions")).all()
        assert {tuple(h) for h in held} == {(OutboxState.PENDING, HELD)}
        (row,) = [h for h in ResolutionQueue(dock2.ctx).history() if h.rma == number]
        assert row.waiting == HELD  # what the desk shows beside "waiting for central to confirm"
        # The database itself refuses a pending resolution while fenced.
        (mine,) = rows(dock2.engine, Resolution.__table__).values()
        with pytest.raises(DBAPIError, match="central was restored from a backup"), backup.begin() as conn:
            conn.execute(Resolution.__table__.insert().values(**mine))

        # Dock 1 meets the restored central: it sends its refund again, which stands; the fence lifts.
        back = _worker(dock1, backup).run_once()
        assert back.ok and back.history_lost is not None
        assert back.fence is None
        with backup.connect() as conn:
            assert current_fence(conn) is None
        assert [e for e, _ in _log(backup)] == ["fenced", "rejoined", "rejoined", "lifted"]

        # Dock 2's resolution goes now, is refused by the one that stands, and is void at its dock.
        late = _worker(dock2, backup).run_once()
        assert late.ok and [n for n, _ in late.settled.voided] == [number]
        for _ in range(2):
            for dock in (dock1, dock2):
                after = _worker(dock, backup).run_once()
                # Central acknowledged dock 2's late events up to its newest sent: not taken for a loss.
                assert after.ok and after.history_lost is None and after.fence is None
        assert _states(backup, number) == [ResolutionState.EFFECTIVE]
        assert _issued_events(backup, number) == 1
        assert sorted(_states(dock2.engine, number)) == [ResolutionState.EFFECTIVE, ResolutionState.VOIDED]
        assert _issued_events(dock2.engine, number) == 0
        with backup.connect() as conn:
            standing = conn.execute(select(Resolution.station_id).where(Resolution.state != "voided")).scalars()
            assert list(standing) == ["DOCK01"]


def test_an_admin_fences_an_in_place_restore_and_releases_a_retired_dock(
        make_station, central, central_sf, central_url, capsys):
    number, dock1, dock2 = _ready_everywhere(make_station, central, central_sf)

    assert main(["central", "restored", "--url", central_url, "--by", "ADMIN1"]) == 0
    assert "waiting for DOCK01, DOCK02" in capsys.readouterr().out
    ResolutionService(dock1.ctx).issue(actor_on(dock1.sf, "INSP1"), number)
    round1 = _worker(dock1, central).run_once()
    assert round1.ok and round1.push.held > 0
    assert round1.fence is not None and round1.fence.waiting_for == ("DOCK02",)

    # Dock 2 was retired with its disk: the admin stops waiting for it, in the log.
    assert main(["central", "unfence", "--url", central_url, "--station", "DOCK02", "--by", "ADMIN1",
                 "--reason", "dock 2 retired"]) == 0
    out = capsys.readouterr().out
    assert "no longer waits for DOCK02" in out and "The fence is lifted" in out
    assert _log(central)[-2:] == [("released", "DOCK02"), ("lifted", None)]
    assert main(["central", "fence", "--url", central_url]) == 0
    assert "not fenced" in capsys.readouterr().out

    again = _worker(dock1, central).run_once()
    assert again.ok and again.settled.accepted == [number]
    assert _states(central, number) == [ResolutionState.PENDING]  # its effective update goes next round


def test_a_pending_resolution_pulled_from_the_lost_central_is_void_at_every_dock(
        make_station, central, central_sf, central_url):
    """Dock 1's resolution reached central after the backup, still pending, and dock 2 pulled
    it; the restore lost it and dock 3's resolution for the RMA stood on the restored central
    first. Dock 1 voids its own, and dock 2 voids its copy: central will never hold it again."""
    from station.sync.push import Pusher

    number, dock1, dock2 = _ready_everywhere(make_station, central, central_sf)
    dock3 = make_station(3)
    assert _worker(dock3, central).run_once().ok
    with copy_of(central, central_url) as backup:
        live = make_central_engine(central_url, station_id="test")
        ResolutionService(dock1.ctx).issue(actor_on(dock1.sf, "INSP1"), number)
        Pusher(dock1.engine, live, dock1.station_id, photos=dock1.photos).push_all()  # killed before it settled
        assert _worker(dock2, live).run_once().ok
        live.dispose()
        assert _states(dock2.engine, number) == [ResolutionState.PENDING]  # dock 1's, pulled

        ResolutionService(dock3.ctx).issue(actor_on(dock3.sf, "INSP2"), number)
        for dock in (dock3, dock1, dock2, dock3):  # the fence lifts when all three have met it
            assert _worker(dock, backup).run_once().ok
        for dock in (dock1, dock2, dock3, dock1, dock2):
            assert _worker(dock, backup).run_once().ok

        with backup.connect() as conn:
            standing = list(conn.execute(select(Resolution.id, Resolution.station_id)
                                         .where(Resolution.state != "voided")).all())
        assert [s for _, s in standing] == ["DOCK03"]
        assert _issued_events(backup, number) == 1
        for dock in (dock1, dock2):
            mine = rows(dock.engine, Resolution.__table__)
            assert sorted((r["station_id"], r["state"]) for r in mine.values()) == [
                ("DOCK01", ResolutionState.VOIDED), ("DOCK03", ResolutionState.EFFECTIVE)]
