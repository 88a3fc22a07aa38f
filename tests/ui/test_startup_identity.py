"""Opening the window: a bad setting is named in a banner; an unknown identity stops the start."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station.core.db import make_engine, make_session_factory
from station.core.errors import ConfigError
from station.core.identity import StationIdentity, bind, bound_identity
from ui.app import run_window
from ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def window_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    # run_window installs its log file and crash hook for the process: undo both afterwards.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield argparse.Namespace(db=str(tmp_path / "station.sqlite"), station_id=None, demo=False, verbose=False)
    # A real start leaves its window and dialogs behind (the process would exit): remove them,
    # so the next test's window gets the focus.
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (MainWindow, QMessageBox)):
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
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


def test_unreadable_station_number_refuses_a_brand_new_demo_station_too(qapp, station_home, window_args) -> None:
    # A first --demo start opens the database on the seeding thread, behind the progress
    # window: the refusal is the same, and no dock opens.
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 'five'\n")
    window_args.demo = True
    seen: list[str] = []
    QTimer.singleShot(0, lambda: answer_refusal(seen))
    assert run_window(window_args) == 2
    assert seen and seen[0].startswith("The station cannot start|")
    assert "station.number = 'five' cannot be used: station.number must be a whole number" in seen[0]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_a_brand_new_demo_station_that_cannot_be_created_says_why(qapp, station_home, window_args,
                                                                  tmp_path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    window_args.db = str(tmp_path / "a-file" / "station.sqlite")
    window_args.demo = True
    with pytest.raises(ConfigError, match="Cannot create the folder"):
        run_window(window_args)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_database_of_another_station_refuses_to_open_the_window(qapp, station_home, window_args) -> None:
    engine = make_engine(f"sqlite:///{window_args.db}")
    from station.core.db import upgrade

    upgrade(engine)
    bind(make_session_factory(engine), StationIdentity("DOCK03", 3))
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n")
    seen: list[str] = []
    QTimer.singleShot(0, lambda: answer_refusal(seen))
    assert run_window(window_args) == 2
    assert f"DOCK05 (number 5) in settings, but the database {window_args.db} is bound to DOCK03 (number 3)" \
        in seen[0]
    engine.dispose()


def open_window_in_a_process(home: Path, db: str, *args: str) -> str:
    """Start the real ``rma-station`` window (offscreen) in its own process, wait until it is
    usable, close it, and return its log: a real start changes process-wide Qt state that
    the other window tests must not inherit."""
    env = {**os.environ, "RMA_STATION_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    log_file = home / "data" / "logs" / "station.log"
    process = subprocess.Popen([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))",
                                "--db", db, *args], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if log_file.exists() and "window usable after" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the window did not open: {process.stderr.read() if process.stderr else ''}")
    finally:
        process.terminate()
        process.wait(timeout=30)
    return log_file.read_text(encoding="utf-8")


def test_bad_font_size_is_named_in_a_banner_and_the_station_keeps_its_id(station_home, tmp_path) -> None:
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n[ui]\nfont_size = 1500\n")
    db = str(tmp_path / "station.sqlite")
    from station.core.db import upgrade

    upgrade(make_engine(f"sqlite:///{db}"))  # a named database must exist; only --demo creates one
    log = open_window_in_a_process(station_home, db)
    banner = next(line for line in log.splitlines() if "banner [config_error]" in line)
    assert "ui.font_size = 1500 refused: ui.font_size must be between 9 and 32." in banner
    assert "The default 15 is used for ui.font_size only." in banner
    assert "database bound to station DOCK05 (number 5)" in log
    engine = make_engine(f"sqlite:///{db}")
    assert bound_identity(make_session_factory(engine)) == StationIdentity("DOCK05", 5)
    engine.dispose()


def test_demo_data_carries_this_stations_number_in_its_lpns(station_home, tmp_path) -> None:
    write_settings(station_home, "[station]\nid = 'DOCK05'\nnumber = 5\n")
    db = str(tmp_path / "station.sqlite")
    open_window_in_a_process(station_home, db, "--demo")
    from sqlalchemy import select

    from station.models import Unit

    engine = make_engine(f"sqlite:///{db}")
    with make_session_factory(engine)() as session:
        prefixes = {lpn[:5] for lpn in session.scalars(select(Unit.lpn))}
    engine.dispose()
    assert prefixes == {"LP005"}


def test_another_programs_database_is_refused_before_the_window_opens(qapp, station_home, window_args,
                                                                     tmp_path) -> None:
    import hashlib
    import sqlite3

    from station.core.db import NotAStationDatabase

    notes = tmp_path / "notes.db"
    con = sqlite3.connect(notes)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = hashlib.sha256(notes.read_bytes()).hexdigest()
    window_args.db = str(notes)
    window_args.demo = True  # even a start that may create a database does not take this one over
    with pytest.raises(NotAStationDatabase, match=r"is not a station database: it holds another program's tables"):
        run_window(window_args)
    assert hashlib.sha256(notes.read_bytes()).hexdigest() == before
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
