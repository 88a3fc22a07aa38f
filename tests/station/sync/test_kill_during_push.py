"""A station process killed (SIGKILL) during a push: after restart nothing is lost or doubled.

The child pushes in batches of 10 and is stopped at one of two moments: inside the central
transaction (rows written, not committed) or right after central committed but before the
station marked its events sent - the lost-reply case the ledger exists for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from station.models import Receipt, Unit
from station.receiving.service import ReceivingService
from station.sync.central_schema import applied_events, conflicts
from station.sync.pull import Puller
from station.sync.push import Pusher
from tests.station.sync.conftest import actor_on
from tests.station.sync.helpers import assert_central_has_station, count, pending, upstream

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent("""
    import pathlib, sys, time
    from station.core.db import make_engine
    from station.sync import push
    from station.sync.connection import make_central_engine

    local_url, central_url, marker, pause_at, station_id = sys.argv[1:6]
    batches = {"n": 0}

    def pause(size):
        batches["n"] += 1
        if batches["n"] == 3:  # two batches through, the third one interrupted
            pathlib.Path(marker).write_text(str(size))
            time.sleep(60)  # the parent kills us here

    if pause_at == "in_central_transaction":
        original = push.apply_batch
        def apply_then_pause(conn, events, pushed_by):
            out = original(conn, events, pushed_by)
            pause(len(events))
            return out
        push.apply_batch = apply_then_pause
    else:
        original = push.mark_sent
        def pause_then_mark(*args, **kwargs):
            pause(len(args[1]))
            return original(*args, **kwargs)
        push.mark_sent = pause_then_mark
    push.Pusher(make_engine(local_url), make_central_engine(central_url), station_id, batch_size=10).push_all()
""")


@pytest.mark.parametrize("pause_at", ["in_central_transaction", "after_central_commit"])
def test_sigkill_during_push_loses_and_doubles_nothing(make_station, central, central_sf, central_url,
                                                       tmp_path, pause_at):
    numbers = upstream(central_sf, rmas=12)
    station = make_station(1)
    Puller(station.engine, central).pull_all()
    clerk = actor_on(station.sf, "CLERK1")
    for number in numbers:
        ReceivingService(station.ctx).receive(clerk, number)
    queued = pending(station.engine)
    assert queued > 30

    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, station.url, central_url, str(marker), pause_at, station.station_id],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert child.poll() is None, "the child ended before reaching the pause"
        assert time.monotonic() < deadline, "the child never reached the pause"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL

    in_flight = count(central, applied_events) - (queued - pending(station.engine))
    expected_in_flight = int(marker.read_text()) if pause_at == "after_central_commit" else 0
    # Two batches of 10 went through, each reading on to the RMA change of a receipt at its
    # end (a batch never ends between a receipt and its RMA's change: Pusher._rma_changes_upto).
    settled = queued - pending(station.engine)
    assert 20 <= settled <= 30
    # PostgreSQL rolls back the killed backend's transaction once it notices the dead socket.
    deadline = time.monotonic() + 10
    while in_flight != expected_in_flight and time.monotonic() < deadline:
        time.sleep(0.1)
        in_flight = count(central, applied_events) - (queued - pending(station.engine))
    assert in_flight == expected_in_flight

    report = Pusher(station.engine, central, station.station_id, batch_size=10).push_all()  # the restart
    assert report.duplicates == expected_in_flight
    assert report.sent + report.duplicates == queued - settled and report.quarantined == 0
    assert pending(station.engine) == 0
    assert count(central, conflicts) == 0
    assert count(central, applied_events) == queued
    assert_central_has_station(central, station.engine, station.station_id)
    assert count(central, Receipt.__table__) == 12
    assert count(central, Unit.__table__) == count(station.engine, Unit.__table__) == 36
