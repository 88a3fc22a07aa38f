"""``rma-station resolution queue`` and ``rma-station resolve`` as a user runs them: a real
SQLite file, the operator's badge with the PIN in ``RMA_PIN``, one run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Resolution, ResolutionKind, Rma, RmaState
from tests.station.resolution.test_queue import build, receive_and_dispose
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]  # what rma-station runs


@pytest.fixture
def station(tmp_path, monkeypatch):
    path = tmp_path / "station.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    s = build(make_session_factory(engine), auto=False)
    for key in ("jeans", "pair", "phone"):
        receive_and_dispose(s, s[key])
    s["db"] = str(path)
    monkeypatch.setenv("RMA_PIN", "1234")
    yield s
    engine.dispose()


def state_of(s, number):
    with s["sf"]() as db:
        return db.scalar(select(Rma.state).where(Rma.number == number))


def test_clerk_lists_the_queue_and_an_inspector_issues_a_refund_in_a_real_process(station):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RMA_PIN": "1234"}
    listed = subprocess.run([*CLI, "--db", station["db"], "resolution", "queue", "--json"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert listed.returncode == 0, listed.stderr
    queue = json.loads(listed.stdout)
    assert queue["total"] == 3
    jeans = next(r for r in queue["rows"] if r["rma"] == station["jeans"])
    assert (jeans["kind"], jeans["amount"], jeans["currency"], jeans["history"]["returns"]) == (
        "refund", "299.00", "CNY", 2)
    done = subprocess.run([*CLI, "--db", station["db"], "resolve", station["jeans"],
                           "--as-proposed", "--badge", station["inspector"].badge],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"RMA {station['jeans']}: refund 299.00 CNY issued by {station['inspector'].name}." in done.stdout
    assert state_of(station, station["jeans"]) == RmaState.CLOSED


def test_supervisor_adjusts_and_rejects_an_inspector_is_refused(station, capsys):
    db, sup, insp = station["db"], station["supervisor"].badge, station["inspector"].badge
    assert main(["resolve", station["pair"], "--kind", "refund", "--amount", "550", "--reason", "scuffed box",
                 "--badge", insp, "--db", db]) == 2
    assert "may not adjust a refund" in capsys.readouterr().err
    assert main(["resolve", station["pair"], "--kind", "refund", "--amount", "550", "--badge", sup, "--db", db]) == 2
    assert "Say why" in capsys.readouterr().err
    assert main(["resolve", station["pair"], "--kind", "refund", "--amount", "550", "--reason", "scuffed box",
                 "--badge", sup, "--db", db]) == 0
    assert "refund 550.00 CNY" in capsys.readouterr().out
    assert main(["resolve", station["phone"], "--kind", "reject", "--reason", "used_or_damaged_by_customer",
                 "--badge", insp, "--db", db]) == 2
    assert "may not approve" in capsys.readouterr().err
    assert main(["resolve", station["phone"], "--kind", "reject", "--reason", "used_or_damaged_by_customer",
                 "--badge", sup, "--db", db]) == 0
    with station["sf"]() as s:
        kinds = dict(s.execute(select(Rma.number, Resolution.kind).join(Resolution, Resolution.rma_id == Rma.id)).all())
    assert kinds == {station["pair"]: ResolutionKind.REFUND, station["phone"]: ResolutionKind.REJECTED}


def test_resolve_auto_prints_what_the_policy_did(station, capsys, monkeypatch):
    from station.core import paths
    from station.core.return_policy import SHIPPED

    config = paths.config_dir()
    config.mkdir(parents=True, exist_ok=True)
    (config / "policy.toml").write_text(SHIPPED.read_text(encoding="utf-8").replace("auto = false", "auto = true"),
                                        encoding="utf-8")
    assert main(["resolve", "--auto", "--badge", station["supervisor"].badge, "--db", station["db"]]) == 0
    out = capsys.readouterr().out
    assert f"ISSUED  {station['jeans']}" in out and f"ISSUED  {station['pair']}" in out
    assert f"LEFT    {station['phone']:<16} 2999.00 CNY is above the 2000.00 limit" in out
    assert "2 issued by the policy, 1 left for a person." in out
    assert main(["resolution", "queue", "--db", station["db"]]) == 0
    assert "1 RMAs ready to resolve" in capsys.readouterr().out
