"""Opening the window: a bad setting is named in a banner; an unknown identity stops the start."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station.db import make_engine, make_session_factory
from station.identity import StationIdentity, bind, bound_identity
from ui.app import run_window
from ui.main_window import MainWindow


@pytest.fixture
def window_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    # run_window installs its log file and crash hook for the process: undo both afterwards.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield argparse.Namespace(db=str(tmp_path / "station.sqlite"), station_id=None, demo=False, verbose=False)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def write_settings(home: Path, text: str) -> None:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("schema_version = 1\n" + text, encoding="utf-8")


def answer_refusal(seen: list[str]) -> None:
    """Read and close the refusal dialog once it is up (it is modal: poll the event loop)."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(f"{box.windowTitle()}|{box.text()}|{box.informativeText()}")
        box.close()
        return
    QTimer.singleShot(20, lambda: answer_refusal(seen))


def test_unreadable_station_number_refuses_to_open_the_window(qapp, station_home, window_args) -> None:
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 'five'\n")
    seen: list[str] = []
    QTimer.singleShot(0, lambda: answer_refusal(seen))
    assert run_window(window_args) == 2
    assert seen and seen[0].startswith("The station cannot start|")
    assert "station.number = 'five' cannot be used: station.number must be a whole number" in seen[0]
    assert "does not start under a default id" in seen[0]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_database_of_another_station_refuses_to_open_the_window(qapp, station_home, window_args) -> None:
    engine = make_engine(f"sqlite:///{window_args.db}")
    from station.db import upgrade

    upgrade(engine)
    bind(make_session_factory(engine), StationIdentity("DOCK03", 3))
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n")
    seen: list[str] = []
    QTimer.singleShot(0, lambda: answer_refusal(seen))
    assert run_window(window_args) == 2
    assert "This database belongs to station DOCK03 (number 3), but the settings name station DOCK05 (number 5)" \
        in seen[0]
    engine.dispose()


# The real window plays real sounds: Qt multimedia warns that this machine has no audio.
@pytest.mark.qt_log_level_fail("CRITICAL")
def test_bad_font_size_is_named_in_a_banner_and_the_station_keeps_its_id(qapp, station_home,
                                                                          window_args) -> None:
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n[ui]\nfont_size = 1500\n")
    seen: list[tuple[str, list[str]]] = []

    def look_then_quit() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen.append((window.shell.ctx.station_id, [m.plain for m in window.shell.bridge.history]))
        QApplication.quit()

    QTimer.singleShot(0, look_then_quit)
    assert run_window(window_args) == 0
    station_id, banners = seen[0]
    assert station_id == "DOCK05"
    assert any("ui.font_size = 1500 refused: ui.font_size must be between 9 and 32." in b
               and "The default 15 is used for ui.font_size only." in b for b in banners)
    engine = make_engine(f"sqlite:///{window_args.db}")
    assert bound_identity(make_session_factory(engine)) == StationIdentity("DOCK05", 5)
    engine.dispose()


@pytest.mark.qt_log_level_fail("CRITICAL")
def test_demo_data_carries_this_stations_number_in_its_lpns(qapp, station_home, window_args) -> None:
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n")
    window_args.demo = True
    QTimer.singleShot(0, QApplication.quit)
    assert run_window(window_args) == 0
    from sqlalchemy import select

    from station.models import Unit

    engine = make_engine(f"sqlite:///{window_args.db}")
    with make_session_factory(engine)() as db:
        prefixes = {lpn[:5] for lpn in db.scalars(select(Unit.lpn))}
    engine.dispose()
    assert prefixes == {"LP005"}
