"""Issue 15, problem 8: a first ``--demo`` launch shows a window at once, not after the seed.

Before, demo data was seeded on the UI thread before any window existed (8 s of nothing).
Now a progress window is up while a worker thread seeds, and the dock replaces it.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from station.models import Rma
from station.settings import defaults
from tests.helpers.builders import make_context
from ui.app import Launch


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
