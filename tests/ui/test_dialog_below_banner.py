"""A dialog opens below the banner that explains it (issue 23, problem 9): on a kiosk without a
window manager Qt centres a dialog over the window, and a tall one covered the banner saying
why it appeared. Offscreen, like a bare X server, nothing else places the dialog."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from tests.conftest import REPO
from tests.ui.conftest import Station, sign_in
from tests.ui.test_xvfb import display  # noqa: F401 - the X server fixture
from tests.ui.test_banner_keeps_buttons import LONG
from ui.widgets.dialog_place import below_banner
from ui.widgets.override_dialog import OverrideDialog
from station.models import Grade


def global_rect(widget) -> QRect:  # noqa: ANN001
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_a_supervisor_dialog_leaves_its_banner_readable(station: Station, qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP3001", "3456")
    window = station.window
    window.resize(1280, 800)
    station.dock.bridge.show(LONG["en"])
    QApplication.processEvents()
    banner = window.current_view().banner
    assert banner.isVisible()
    dialog = OverrideDialog("LP00000042", Grade.C, Grade.B, window)
    qtbot.addWidget(dialog)
    dialog.resize(520, 420)  # taller than the gap between the banner and the window's middle
    dialog.show()
    QApplication.processEvents()
    shown, covered = global_rect(banner), dialog.frameGeometry()
    assert not covered.intersects(shown), f"the dialog {covered} covers the banner {shown}"
    assert covered.top() > shown.bottom()
    screen = dialog.screen().availableGeometry()
    assert screen.contains(covered)  # on the screen, centred across the window where the screen allows
    centred = global_rect(window).center().x() - covered.width() // 2
    assert covered.left() == max(screen.left(), min(centred, screen.right() - covered.width() + 1))
    dialog.close()


def test_with_no_banner_the_dialog_stays_where_qt_puts_it(station: Station, qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP3001", "3456")
    window = station.window
    window.current_view().banner.clear()
    dialog = OverrideDialog("LP00000042", Grade.C, Grade.B, window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert abs(dialog.frameGeometry().center().y() - global_rect(window).center().y()) <= 30
    dialog.close()


def test_a_short_screen_keeps_the_dialog_on_it() -> None:
    """Below a tall banner on a short screen the dialog's bottom stays on the screen."""
    at = below_banner(QRect(0, 0, 400, 500), banner=QRect(20, 60, 1240, 300), window=QRect(0, 0, 1280, 800),
                      screen=QRect(0, 0, 1280, 800))
    assert at == QPoint(439, 300)
    assert below_banner(QRect(0, 0, 400, 200), QRect(20, 60, 1240, 150), QRect(0, 0, 1280, 800),
                        QRect(0, 0, 1280, 800)) == QPoint(439, 218)


@pytest.mark.xvfb
@pytest.mark.slow
def test_on_a_bare_x_server_the_dialog_opens_below_the_banner(display: str) -> None:  # noqa: F811
    """The same story on the real xcb platform, an X server with no window manager (a kiosk):
    there Qt centred the override dialog over the banner (it failed before the fix)."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          f"{Path(__file__)}::test_a_supervisor_dialog_leaves_its_banner_readable"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
