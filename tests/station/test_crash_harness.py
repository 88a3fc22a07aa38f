"""A station killed (SIGKILL) twenty times at random moments while it receives parcels, walks
inspections and syncs with central loses nothing, doubles nothing and leaves nothing half-done.

The harness (``tests.helpers.crash_harness``; 200 kills in ``bench/crash_harness.py``) runs a
real child process on a real SQLite file against a real central PostgreSQL database, kills it
after a random delay, restarts it, and checks every commit the child printed, the file's
integrity, the audit chain, the outbox, and central after a final sync.
"""

from __future__ import annotations

import pytest

from tests.helpers.crash_harness import run
from tests.helpers.pg import fresh_database

pytestmark = pytest.mark.postgres


def test_station_killed_twenty_times_mid_work_loses_doubles_and_half_does_nothing(tmp_path):
    with fresh_database("rma_crash") as central:
        figures = run(central.url, tmp_path / "crash", kills=20, seed=7, max_delay=1.0)
    report = "\n".join(figures.lines() + figures.problems)

    assert figures.kills == 20, report
    # The child did all three kinds of work, so the kills struck real work.
    assert figures.commits["receipt"] >= 10, report
    assert figures.commits["inspection.finish"] >= 1, report
    assert figures.commits["sync"] >= 1, report
    assert figures.audit_events > 0, report
    # lost, doubled, half-done, integrity, audit, child errors, central doubled or missing
    assert figures.failures == 0, report
