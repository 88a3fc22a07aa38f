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
