"""The PySide6 6.12 / Python 3.11 None-refcount bug must not take the window down."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO

SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    if sys.argv[1] == "guarded":
        from ui.qt_runtime import guard_none_refcount
        guard_none_refcount()
    timer = QTimer()
    for _ in range(200_000):   # more void calls than None has references without the guard
        timer.stop()
    print("survived")
""")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_guard_keeps_a_long_session_alive() -> None:
    guarded = subprocess.run([sys.executable, "-c", SCRIPT, "guarded"], cwd=REPO, capture_output=True,
                             text=True, timeout=60)
    assert guarded.stdout.strip() == "survived", guarded.stderr[-500:]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_the_binding_still_needs_the_guard() -> None:
    """When this fails, the binding was fixed: ui/qt_runtime.py can go."""
    bare = subprocess.run([sys.executable, "-c", SCRIPT, "bare"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert bare.returncode != 0 and "deallocating None" in bare.stderr
