"""Issue 15, problem 8: a first ``--demo`` launch shows a window at once, not after the seed.

Before, demo data was seeded on the UI thread before any window existed (8 s of nothing).
Now a progress window is up while a worker thread seeds, and the dock replaces it. On a
brand-new station the window is up even before the database is created and migrated.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from station.core.identity import bound_identity
from station.core.settings import defaults
from station.models import Operator, Rma
from tests.helpers.builders import make_context
from ui.app import Launch, is_new_station, open_station


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_first_demo_launch_shows_progress_while_seeding_in_the_background(
        qtbot, ui_session_factory: sessionmaker[Session]) -> None:  # noqa: ANN001
    ctx = make_context(ui_session_factory)
    launch = Launch(ctx, defaults(), None, time.perf_counter())
    launch.begin(demo=True)
    try:
        assert launch.dock is None  # the UI thread did not wait for the seed
        first = launch.first_window
        assert first is not None and first.isVisible()
        qtbot.waitUntil(lambda: launch.dock is not None, timeout=120_000)
        assert launch.seeder.worker_thread != threading.get_ident()
        assert first.bar.maximum() > 1 and first.bar.value() == first.bar.maximum()
        assert not first.isVisible()
        assert launch.dock.window.isVisible()
        with ui_session_factory() as db:
            assert db.scalar(select(func.count()).select_from(Rma)) == 320
    finally:
        launch.shutdown()
        for window in (launch.first_window, launch.dock.window if launch.dock else None):
            if window is not None:
                window.close()
                window.deleteLater()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_brand_new_demo_station_shows_progress_before_its_database_exists(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    db = tmp_path / "station.sqlite"
    args = argparse.Namespace(db=str(db), demo=True, station_id=None, verbose=False)
    assert is_new_station(args)
    settings = defaults()
    may_open = threading.Event()
    seen_while_waiting: list[object] = []

    def open_when_allowed():  # noqa: ANN202 - what run_window passes, held back by the test
        may_open.wait(60)
        return open_station(args, settings)

    launch = Launch(None, settings, None, time.perf_counter())
    launch.begin_new_station(open_when_allowed)
    try:
        seen_while_waiting += [launch.first_window.isVisible(), db.exists(), launch.dock]
        may_open.set()
        qtbot.waitUntil(lambda: launch.dock is not None, timeout=120_000)
        assert seen_while_waiting == [True, False, None]  # a window, and no database yet
        assert launch.seeder.worker_thread != threading.get_ident()
        assert not launch.first_window.isVisible() and launch.dock.window.isVisible()
        assert bound_identity(launch.ctx.session_factory).id == "DOCK01"
        with launch.ctx.session_factory() as session:
            assert session.scalar(select(func.count()).select_from(Rma)) == 320
            assert session.scalar(select(func.count()).select_from(Operator)) == 6
        assert not is_new_station(args)
    finally:
        may_open.set()
        launch.shutdown()
        for window in (launch.first_window, launch.dock.window if launch.dock else None):
            if window is not None:
                window.close()
                window.deleteLater()
