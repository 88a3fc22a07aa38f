"""A station process killed in the middle of a receipt loses nothing and keeps nothing half-done.

A real child process receives a parcel and is stopped with SIGKILL while its transaction is
open (units already flushed, not yet committed). After the "restart" the SQLite file passes
``PRAGMA integrity_check`` and holds the whole receipt or none of it; a later parcel goes
through normally.
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
from sqlalchemy import func, select, text

from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Receipt, Rma, RmaState, Role, Unit
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, time, pathlib
    from station.core.db import make_engine, make_session_factory
    from station.receiving.service import ReceivingService
    from station.core.context import StationContext, Actor
    from station.models import Operator, Role
    from sqlalchemy import select

    url, number, marker, pause_at = sys.argv[1:5]
    sf = make_session_factory(make_engine(url))
    with sf() as db:
        actor = Actor.of(db.scalar(select(Operator).where(Operator.role == Role.CLERK)))

    original = getattr(ReceivingService, pause_at)
    def paused(self, *args, **kwargs):
        out = original(self, *args, **kwargs)
        pathlib.Path(marker).write_text("in transaction")
        time.sleep(60)  # the parent kills us here
        return out
    setattr(ReceivingService, pause_at, paused)
    ReceivingService(StationContext(sf)).receive(actor, number)
""")


@pytest.fixture
def station_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'station.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    sf = make_session_factory(engine)
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, "TS-1")
        first = add_rma(db, [(shirt, 3)]).number
        second = add_rma(db, [(shirt, 1)]).number
    yield dict(url=url, sf=sf, clerk=clerk, first=first, second=second, engine=engine)
    engine.dispose()


@pytest.mark.parametrize("pause_at", ["_create_units", "_parcel_flags"])
def test_sigkill_mid_receipt_leaves_all_or_nothing(station_file, tmp_path, pause_at):
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, station_file["url"], station_file["first"], str(marker), pause_at],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert child.poll() is None, "the child process ended before reaching the pause"
        assert time.monotonic() < deadline, "the child never reached the middle of the receipt"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL

    # "Restart": a fresh engine on the same file.
    engine = make_engine(station_file["url"])
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    sf = make_session_factory(engine)
    with sf() as db:
        assert db.scalar(select(func.count()).select_from(Receipt)) == 0
        assert db.scalar(select(func.count()).select_from(Unit)) == 0
        assert db.scalar(select(Rma.state).where(Rma.number == station_file["first"])) == RmaState.AUTHORISED

    service = ReceivingService(make_context(sf))
    result = service.receive(station_file["clerk"], station_file["first"])
    assert len(result.units) == 3
    engine.dispose()
