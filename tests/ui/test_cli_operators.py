"""``rma-station operators unlock``: a supervisor lifts a wrong-PIN lock from the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.db import open_database
from station.core.errors import AuthenticationFailed
from station.models import AuditEvent, Role
from station.operators.service import AuthService
from tests.helpers.builders import Clock, add_operator, make_context

ROOT = Path(__file__).resolve().parents[2]


def rma_station(tmp_path: Path, *args: str, supervisor_pin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RMA_STATION_HOME": str(tmp_path / "home"),
           "RMA_SUPERVISOR_PIN": supervisor_pin}
    return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())", *args],
                          env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def locked_station(tmp_path):
    """A station file where clerk EMP1001 typed 10 wrong PINs in a row."""
    db = str(tmp_path / "station.sqlite")
    engine, factory = open_database(db, create=True)  # as `db upgrade` makes it
    with factory.begin() as s:
        add_operator(s, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
        add_operator(s, Role.SUPERVISOR, badge="EMP3001", name="Chen Jing", pin="345678")
    clock = Clock()
    auth = AuthService(make_context(factory, clock))
    for _ in range(10):
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in("EMP1001", "0000")
        clock.advance(seconds=getattr(err.value, "retry_after_s", 0))
    engine.dispose()
    return db


def test_supervisor_unlocks_a_locked_badge_from_the_terminal(tmp_path, locked_station):
    listed = rma_station(tmp_path, "operators", "list", "--db", locked_station, supervisor_pin="")
    assert "EMP1001      clerk      locked  Zhang Min" in listed.stdout

    done = rma_station(tmp_path, "operators", "unlock", "EMP1001", "--db", locked_station,
                       "--supervisor-badge", "EMP3001", supervisor_pin="345678")
    assert (done.returncode, done.stdout.strip()) == (
        0, "Unlocked badge EMP1001 (10 wrong PINs forgiven) by EMP3001 Chen Jing.")

    engine, factory = open_database(locked_station)
    try:
        assert AuthService(make_context(factory)).sign_in("EMP1001", "1234").badge == "EMP1001"
        with factory() as s:
            event = s.scalars(select(AuditEvent).where(AuditEvent.action == "auth.unlocked")).one()
        assert (event.operator_badge, event.entity_id, event.details["failures"]) == ("EMP3001", "EMP1001", 10)
    finally:
        engine.dispose()


def test_the_locked_clerk_cannot_unlock_themself(tmp_path, locked_station):
    done = rma_station(tmp_path, "operators", "unlock", "EMP1001", "--db", locked_station,
                       "--supervisor-badge", "EMP1001", supervisor_pin="1234")
    assert done.returncode == 2
    assert done.stderr.strip() == "rma-station: Locked: ask a supervisor. Too many wrong PINs; a supervisor or admin can unlock."
