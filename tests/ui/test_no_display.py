"""A dock PC reached over SSH, or a server: no screen. The window says so in one line and what
to do, instead of Qt's "Reinstalling the application may fix this problem"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from ui.display import missing_display


def _without_screen(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, "RMA_STATION_HOME": str(home), "PYTHONPATH": str(REPO), **extra}


@pytest.mark.parametrize("extra", [{}, {"DISPLAY": ":87"}, {"QT_QPA_PLATFORM": "xcb"}])
def test_the_window_without_a_screen_says_what_to_do_in_one_line(tmp_path: Path, extra: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "ui.cli", "--demo"], cwd=REPO, env=_without_screen(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "xvfb-run rma-station" in lines[0] and "rma-station serve" in lines[0]
    assert "Reinstalling" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "station.sqlite").exists(), "nothing is created for a window that cannot open"


@pytest.mark.parametrize(("env", "problem"), [
    ({}, "DISPLAY is not set"),
    ({"DISPLAY": ":87"}, "DISPLAY=:87 names no running X server"),
    ({"QT_QPA_PLATFORM": "offscreen"}, None),
    ({"WAYLAND_DISPLAY": "wayland-0"}, None),
    ({"DISPLAY": "dockpc:0"}, None),  # a remote X display: only Qt can tell
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":87"}, "no running X server"),
])
def test_which_environments_have_a_screen(env: dict[str, str], problem: str | None) -> None:
    found = missing_display(env, "linux")
    assert (found is None) if problem is None else (problem in (found or ""))


def test_other_systems_are_left_to_qt() -> None:
    assert missing_display({}, "win32") is None and missing_display({}, "darwin") is None
