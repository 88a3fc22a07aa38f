"""The CLI in a shell pipeline: a count must be a count, and ``| head`` is not a crash."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy.orm import Session

from station.audit import chain as audit
from tests.conftest import REPO
from ui.cli import main


def _audit_events(engine, n: int) -> None:  # noqa: ANN001
    with Session(engine) as db:
        for i in range(n):
            audit.append(db, station_id="DOCK01", actor=None, action="test.event", entity_type="tests",
                         entity_id=str(i), details={"note": "x" * 200})
        db.commit()


def test_audit_tail_refuses_a_negative_count(sqlite_engine, sqlite_url, capsys) -> None:  # noqa: ANN001
    _audit_events(sqlite_engine, 3)
    assert main(["audit", "tail", "-n", "-1", "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "-n" in err and "must be at least 1, not -1" in err
    assert main(["audit", "tail", "-n", "2", "--db", sqlite_url]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_audit_tail_piped_into_head_stops_quietly(sqlite_engine, sqlite_url, station_home) -> None:  # noqa: ANN001
    _audit_events(sqlite_engine, 1500)  # ~400 KB of JSON lines: far more than a pipe holds
    sqlite_engine.dispose()
    child = subprocess.Popen([sys.executable, "-m", "ui.cli", "audit", "tail", "-n", "1500", "--db", sqlite_url],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # what `head -1` does after its line
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141
    assert b'"action": "test.event"' in first
    assert err == ""  # no "internal error: BrokenPipeError" line, no traceback
