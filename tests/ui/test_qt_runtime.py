"""The Qt binding must not leak references to None.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` for every call of a
``void``-returning Qt method; ``None`` has a few thousand references, so the dock window
aborted with "deallocating None" after minutes of scanning. pyproject.toml pins PySide6
below 6.12; this test fails if an upgrade brings a leaking binding back.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(200_000):   # more void calls than None has references
        timer.stop()
        timer.setObjectName("t")
    print(before - sys.getrefcount(None))
""")


def test_a_long_session_of_void_qt_calls_keeps_none_alive() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    assert abs(int(run.stdout.strip())) < 100
