"""The RTV command line as a supervisor uses it: open a batch, add LPNs (a wrong one refused
with its reason), ship it with the vendor's RA number - the paperwork lands in a folder and
scans back - then record the vendor's acknowledgement and credit."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from station.core.db import make_session_factory
from station.core.settings import save_identity
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.labels.helpers import decoded, pdf_pages, zpl_pages
from tests.station.builders_qc import make_dock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dock(sqlite_engine):
    dock = make_dock(make_session_factory(sqlite_engine))
    save_identity("DOCK01", 1)
    return dock


def test_supervisor_ships_a_batch_and_records_the_credit(dock, sqlite_url, tmp_path, capsys, monkeypatch):
    from ui.cli import main

    with_vendor(dock, rate="50")
    good = [rtv_unit(dock, value="100.00"), rtv_unit(dock, value="300.00")]
    pending = rtv_unit(dock, approve=None)
    monkeypatch.setenv("RMA_PIN", "1234")
    db = ["--db", sqlite_url]
    inspector, supervisor = ["--badge", dock.inspector.badge], ["--badge", dock.supervisor.badge]

    assert main(["rtv", "batch", "open", "--vendor", "SZPT", *inspector, *db]) == 0
    out = capsys.readouterr().out
    assert "Opened RTV-DOCK01-00001 for Shenzhen Power Tech." in out and "2 approved units wait" in out

    assert main(["rtv", "batch", "add", "RTV-DOCK01-00001", *good, pending, *inspector, *db]) == 2
    captured = capsys.readouterr()
    assert f"REFUSED {pending}: Unit {pending}'s return to vendor waits for a supervisor's approval." in captured.out
    assert "RTV-DOCK01-00001: 2 units, claim CNY 200.00." in captured.out
    assert "rma-station: 1 of 3 LPNs were refused" in captured.err
    assert main(["rtv", "batch", "remove", "RTV-DOCK01-00001", good[1].lower(), *inspector, *db]) == 0
    assert f"Removed {good[1]}; RTV-DOCK01-00001: 1 units, claim CNY 50.00." in capsys.readouterr().out
    assert main(["rtv", "batch", "add", "RTV-DOCK01-00001", good[1], *inspector, *db]) == 0
    capsys.readouterr()

    out_dir = tmp_path / "paperwork"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RMA_PIN": "1234"}
    done = subprocess.run([sys.executable, "-m", "ui.cli", "rtv", "batch", "ship", "RTV-DOCK01-00001",
                           "--ra", "RA-2026-118", "--carrier", "SF Express", "--tracking", "SF1000200030",
                           "--out", str(out_dir), *inspector, *db], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "RTV-DOCK01-00001 SZPT shipped RA RA-2026-118: 2 units, claimed CNY 200.00, 0 days open" in done.stdout
    packing = (out_dir / "RTV-DOCK01-00001-packing-list.pdf").read_bytes()
    assert sorted(t for _, t in decoded(pdf_pages(packing, 203)[0])) == sorted([*good, "RA-2026-118"])
    zpl = (out_dir / "RTV-DOCK01-00001-carton.zpl").read_bytes()
    assert [t for _, t in decoded(zpl_pages(zpl, 203)[0])] == ["RA-2026-118", "RTV-DOCK01-00001"]

    assert main(["rtv", "claim", "ack", "RTV-DOCK01-00001", *inspector, *db]) == 2
    assert "may not approve exceptions" in capsys.readouterr().err
    assert main(["rtv", "claim", "credit", "RTV-DOCK01-00001", "--amount", "180", *supervisor, *db]) == 2
    assert "not yet acknowledged by the vendor; it cannot be credited now" in capsys.readouterr().err
    assert main(["rtv", "claim", "ack", "RTV-DOCK01-00001", *supervisor, *db]) == 0
    assert main(["rtv", "batch", "list", "--claims", *db]) == 0
    assert "RTV-DOCK01-00001 SZPT acknowledged RA RA-2026-118" in capsys.readouterr().out
    today = dt.datetime.now(dt.UTC).date().isoformat()  # the command line runs on the real clock
    assert main(["rtv", "claim", "credit", "RTV-DOCK01-00001", "--amount", "180.00", "--on", "2026-11-20",
                 *supervisor, *db]) == 2
    assert "The credit date 2026-11-20 is before the batch shipped" in capsys.readouterr().err
    assert main(["rtv", "claim", "credit", "RTV-DOCK01-00001", "--amount", "180.00", "--on", today,
                 *supervisor, *db]) == 0
    assert f"credited CNY 180.00 on {today}" in capsys.readouterr().out
    assert main(["rtv", "batch", "list", "--claims", *db]) == 0
    assert capsys.readouterr().out.strip() == "0 batches."


def _shipped_state(sqlite_engine) -> tuple:
    """What a second ``ship`` must leave alone: the batches, the audit log, the outbox."""
    from sqlalchemy import func, select

    from station.models import AuditEvent, OutboxEvent, RtvBatch

    with make_session_factory(sqlite_engine)() as db:
        batches = [(b.number, b.state.value, b.ra_number, b.carrier, b.tracking_number, b.shipped_at, b.version)
                   for b in db.scalars(select(RtvBatch))]
        return (batches, db.scalar(select(func.count()).select_from(AuditEvent)),
                db.scalar(select(func.count()).select_from(OutboxEvent)))


def test_ship_killed_after_its_commit_is_rerun_and_points_to_the_paperwork(dock, sqlite_engine, sqlite_url,
                                                                           tmp_path, capsys, monkeypatch):
    """The ship commits, then the process is SIGKILLed before its paperwork is written (the
    crash harness's way: kill as soon as the commit is reported). The batch stays shipped and
    the database whole; a rerun of ``ship`` changes nothing and says, in one line, which
    command writes the paperwork; that command, run as given, writes it."""
    import shlex
    import signal

    from tests.helpers.crash_harness import sqlite_integrity
    from ui.cli import main

    with_vendor(dock)
    lpn = rtv_unit(dock, value="100.00")
    monkeypatch.setenv("RMA_PIN", "1234")
    db, inspector = ["--db", sqlite_url], ["--badge", dock.inspector.badge]
    assert main(["rtv", "batch", "open", "--vendor", "SZPT", *inspector, *db]) == 0
    assert main(["rtv", "batch", "add", "RTV-DOCK01-00001", lpn, *inspector, *db]) == 0
    capsys.readouterr()

    out_dir = tmp_path / "paperwork"
    ship = ["rtv", "batch", "ship", "RTV-DOCK01-00001", "--ra", "RA-2026-118", "--carrier", "SF Express",
            "--tracking", "SF1000200030", "--out", str(out_dir), *inspector, *db]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RMA_PIN": "1234"}
    child = subprocess.Popen([sys.executable, "-m", "ui.cli", *ship], env=env, cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL
    assert first.startswith("RTV-DOCK01-00001 SZPT shipped RA RA-2026-118: 1 units"), child.stderr.read()
    assert sqlite_integrity(Path(sqlite_url.removeprefix("sqlite:///"))) == []
    assert not (out_dir / "RTV-DOCK01-00001-carton.zpl").exists()  # killed before its paperwork
    before = _shipped_state(sqlite_engine)
    assert before[0][0][1] == "shipped"

    rerun = subprocess.run([sys.executable, "-m", "ui.cli", *ship], env=env, cwd=ROOT, text=True,
                           capture_output=True, timeout=120)
    command = shlex.join(["rma-station", "rtv", "batch", "paperwork", "RTV-DOCK01-00001", "--out", str(out_dir),
                          "--db", sqlite_url])
    assert (rerun.returncode, rerun.stdout) == (2, "")
    assert rerun.stderr == (f"rma-station: Batch RTV-DOCK01-00001 is already shipped (RA RA-2026-118, SF Express "
                            f"SF1000200030 on {before[0][0][5]:%Y-%m-%d}). `{command}` writes its paperwork.\n")
    assert _shipped_state(sqlite_engine) == before

    assert main(shlex.split(command)[1:]) == 0
    assert capsys.readouterr().out.count("wrote ") == 3
    zpl = (out_dir / "RTV-DOCK01-00001-carton.zpl").read_bytes()
    assert [t for _, t in decoded(zpl_pages(zpl, 203)[0])] == ["RA-2026-118", "RTV-DOCK01-00001"]
    assert _shipped_state(sqlite_engine) == before


def test_ship_into_a_file_is_refused_before_the_batch_ships(dock, sqlite_engine, sqlite_url, tmp_path, capsys,
                                                           monkeypatch):
    from ui.cli import main

    with_vendor(dock)
    lpn = rtv_unit(dock, value="100.00")
    monkeypatch.setenv("RMA_PIN", "1234")
    db, inspector = ["--db", sqlite_url], ["--badge", dock.inspector.badge]
    assert main(["rtv", "batch", "open", "--vendor", "SZPT", *inspector, *db]) == 0
    assert main(["rtv", "batch", "add", "RTV-DOCK01-00001", lpn, *inspector, *db]) == 0
    capsys.readouterr()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    before = _shipped_state(sqlite_engine)
    assert main(["rtv", "batch", "ship", "RTV-DOCK01-00001", "--ra", "RA-1", "--carrier", "SF", "--tracking", "T1",
                 "--out", str(a_file), *inspector, *db]) == 2
    assert capsys.readouterr().err == f"rma-station: --out {a_file} is a file; give a folder.\n"
    assert _shipped_state(sqlite_engine) == before and before[0][0][1] == "open"
