"""Issue 15 (figures): the dock window opens without loading what only later work needs.

Cold start is mostly imports. Label rendering (reportlab, numpy, zxing-cpp), Alembic, camera
decoding (OpenCV), the web face, analytics and the PostgreSQL dialect are needed when a label
is printed, a schema is upgraded, a camera opens, a report is asked for or a central database
is synced with, not to show the window; the work views are built at the first sign-in. A
fresh process opens a real station database and shows the real dock; then it says what it
loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from station.core.db import make_engine, upgrade

REPO = Path(__file__).resolve().parents[2]

NOT_FOR_THE_FIRST_WINDOW = ("reportlab", "numpy", "zxingcpp", "PIL", "cv2", "alembic", "web", "labels.layout",
                            "labels.pdf", "labels.zpl", "station.analytics", "station.sync.worker",
                            "sqlalchemy.dialects.postgresql", "ui.views.receiving", "ui.views.inspection")

OPEN_THE_DOCK = """
import json, sys
from PySide6.QtWidgets import QApplication
from ui.app import open_station
from ui.cli import parse
from station.core.settings import load_settings

app = QApplication([])
settings, _ = load_settings()
engine, ctx = open_station(parse(["--db", sys.argv[1]]), settings)
from ui.dock import assemble
dock = assemble(ctx, settings)
dock.start_spooler()
dock.start_sync()
dock.start_scanner_sources()
dock.window.show()
app.processEvents()
print(json.dumps(sorted(sys.modules)))
dock.shutdown()
engine.dispose()
"""


def test_the_dock_opens_without_label_rendering_migrations_or_camera_decoding(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    engine.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", OPEN_THE_DOCK, str(db)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert [name for name in loaded if any(name == heavy or name.startswith(f"{heavy}.")
                                           for heavy in NOT_FOR_THE_FIRST_WINDOW)] == []


BEFORE_QT = """
import sys
import ui.app

def probe():
    print("PySide6 loaded:", "PySide6" in sys.modules)
    raise SystemExit(0)

ui.app.load_station_modules = probe
from ui.cli import main
main([])
"""


def test_the_window_loads_sqlalchemy_and_the_models_before_qt(tmp_path: Path) -> None:
    """PySide6 replaces ``__import__`` with a hook that inspects every module imported after
    it (about 90 ms more for SQLAlchemy and the models); the window loads them first."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           "RMA_STATION_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", BEFORE_QT], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PySide6 loaded: False"
