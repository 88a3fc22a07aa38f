"""Sync conflicts are settled at the supervisor's desk (issue 15, problem 3): the conflicts
queue lists what the station last pulled and Enter on a row settles it, checked and
audited, against a real central PostgreSQL database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select

from station.core.settings import defaults
from station.models import AuditEvent
from station.sync.central_schema import conflicts
from station.sync.conflict_mirror import pull_conflicts, seen_conflicts
from station.sync.conflicts import list_conflicts
from tests.station.sync.conftest import central, central_template, central_url  # noqa: F401 - fixtures
from tests.ui.conftest import make_station, sign_in

pytestmark = pytest.mark.postgres


@pytest.fixture
def desk_station(qtbot, ui_session_factory, people, central_url):  # noqa: ANN001, F811
    yield from make_station(qtbot, ui_session_factory, defaults().replace(**{"central.db_url": central_url}))


def open_conflict(central, local) -> int:  # noqa: ANN001, F811
    with central.begin() as conn:
        conflict_id = conn.execute(insert(conflicts).values(
            event_id=uuid.uuid4(), pushed_by="DOCK02", entity_type="receipts", entity_id=uuid.uuid4(),
            operation="insert", station_version=1, reason="RMA RMA000000018 was received at DOCK01 and again at DOCK02",
            station_payload={}, central_by="DOCK01").returning(conflicts.c.id)).scalar_one()
    pull_conflicts(local, central)
    return int(conflict_id)


def test_supervisor_settles_a_sync_conflict_from_the_desk(desk_station, central, qtbot) -> None:  # noqa: ANN001, F811
    station = desk_station
    local = station.session_factory.kw["bind"]
    conflict_id = open_conflict(central, local)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F3")
    queues = station.window.views["queues"].inner
    queues.show_queue("sync_conflicts")
    assert queues.view is not None and queues.view.ids == (str(conflict_id),)
    queues.table.setFocus()
    queues.table.selectRow(0)
    queues.table.setCurrentIndex(queues.table.model().index(0, 0))
    queues._activate()
    qtbot.waitUntil(lambda: queues.conflict_dialog is not None)
    dialog = queues.conflict_dialog
    dialog.note.setText("one parcel scanned twice")
    dialog.accept()
    assert station.last.code == "conflict_settled" and station.last.title == f"Conflict #{conflict_id} settled"
    assert list_conflicts(central) == [] and seen_conflicts(local) == []
    assert queues.view.ids == ()
    with station.session_factory() as db:
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "sync.conflict_resolved")).one()
    assert audit.entity_id == str(conflict_id)


def test_the_conflicts_queue_lists_offline_what_was_last_pulled(station, central, qtbot) -> None:  # noqa: ANN001, F811
    conflict_id = open_conflict(central, station.session_factory.kw["bind"])
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F3")
    queues = station.window.views["queues"].inner
    queues.show_queue("sync_conflicts")
    assert queues.view.ids == (str(conflict_id),)
    dialog = queues.settle_conflict(str(conflict_id))
    dialog.accept()
    qtbot.waitUntil(lambda: queues.conflict_dialog is None)
    assert station.last.text == "Settling a sync conflict needs the central database, and none is set up."
