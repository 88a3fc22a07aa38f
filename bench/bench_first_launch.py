"""First launch with ``--demo`` on an empty database: when a window appears, when it is usable.

Spawns the real ``rma-station --demo`` (offscreen) in a fresh home, waits for the log's
"window usable after" line, and prints the wall time from spawn to each of "window shown
after" (a window is on screen: the progress window while demo data is seeded) and "window
usable after" (the dock takes keys), plus the in-process figures the log itself states.

    PYTHONPATH=$PWD .venv/bin/python -m bench first_launch
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import Figure, figure, median

REPO = Path(__file__).resolve().parents[1]


def one_launch() -> dict[str, float]:
    home = tempfile.mkdtemp(prefix="rma-bench-first-")
    env = {**os.environ, "RMA_STATION_HOME": home, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    log = Path(home) / "data" / "logs" / "station.log"
    cmd = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))", "--demo"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[str, float] = {}
    try:
        while "usable" not in seen:
            text = log.read_text(encoding="utf-8") if log.exists() else ""
            for what in ("shown", "usable"):
                if what not in seen and f"window {what} after" in text:
                    seen[what] = (time.perf_counter() - t0) * 1000
                    seen[f"{what}_logged"] = float(re.search(rf"window {what} after (\d+) ms", text).group(1))
            if time.perf_counter() - t0 > 120:
                raise TimeoutError("the window never became usable")
            time.sleep(0.005)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return seen


def run(quick: bool) -> Iterator[Figure]:
    runs = [one_launch() for _ in range(1 if quick else 3)]
    for what in ("shown", "usable"):
        yield figure(f"first_launch.window_{what}", median(r[what] for r in runs), "ms",
                     runs=len(runs), worst_ms=round(max(r[what] for r in runs)),
                     logged_ms=[round(r[f"{what}_logged"]) for r in runs],
                     detail="spawn of `rma-station --demo` on an empty database to the log line")
