"""Dock window figures: scan -> RMA card painted, cold start, idle memory, key presses.

- ``ui.scan_to_card_p99``: from the last key of a wedge burst (its Return) to the RMA card
  being painted, through the real window, wedge filter, read executor thread and services,
  on the large database of ``bench/bigdb.py`` (1,000,000 RMAs; ``--quick``: 20,000).
- ``ui.cold_start``: ``rma-station`` process start to the first event-loop turn with the
  window shown (offscreen platform), existing database.
- ``ui.idle_rss``: that process's resident memory after it has idled.
- ``ui.keys_normal_parcel`` / ``ui.keys_a_grade_unit``: key presses and scans that the
  stories need, counted while driving the window (general checklist, 6 questions).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import Figure, figure, median, percentile  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


class Keys:
    """Key events with timestamps, into the focused widget (a wedge or a person)."""

    def __init__(self, app, window) -> None:  # noqa: ANN001
        self.app, self.window = app, window
        self.t = time.monotonic() * 1000
        self.count = 0

    def _send(self, key: int, text: str, gap: float) -> None:
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent

        self.t = max(self.t + gap, time.monotonic() * 1000)
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(int(self.t))
        self.app.sendEvent(self.app.focusWidget() or self.window, event)

    def scan(self, text: str) -> None:
        from PySide6.QtCore import Qt

        self.count += 1
        for i, ch in enumerate(text):
            self._send(ord(ch.upper()), ch, 3 if i else 300)
        self._send(Qt.Key.Key_Return, "\r", 3)

    def press(self, key: int, text: str = "") -> None:
        self.count += 1
        self._send(key, text, 150)


def _pump_until(app, done, timeout: float = 5.0) -> None:  # noqa: ANN001
    """Run Qt's event loop until ``done()``, as the station's own loop runs: waiting in Qt
    (the GIL released) between events, checked every millisecond.

    This used to call ``processEvents()`` in a tight Python loop, which held the GIL against
    the look-up thread the card waits for (BENCHMARKS.md, issue 23): the figure measured
    the bench's spinning as much as the station."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    timed_out = False

    def check() -> None:
        nonlocal timed_out
        if done():
            loop.quit()
        elif time.perf_counter() > deadline:
            timed_out = True
            loop.quit()

    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(check)
    ticker.start()
    loop.exec()
    ticker.stop()
    if timed_out:
        raise TimeoutError("window did not get there in time")


def scan_to_card(quick: bool) -> Iterator[Figure]:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from bench.bigdb import build
    from station.core.context import Actor, StationContext
    from station.core.db import make_engine, make_session_factory
    from station.core.settings import defaults
    from station.models import Operator, Rma
    from ui.app import freeze_start_up_objects
    from ui.dock import assemble
    from ui.sound_board import SoundBoard

    n_rmas = 20_000 if quick else 1_000_000
    path, built = build(n_rmas)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    with factory() as db:
        operator = db.scalars(select(Operator)).first()
        ids = db.scalar(select(Rma.number).order_by(Rma.number.desc()).limit(1))
    assert operator is not None and ids is not None
    rng = random.Random(7)
    top = int(ids[3:11])
    from station.core.identifiers import make_rma_number

    numbers = [make_rma_number(rng.randrange(1, top)) for _ in range(60 if quick else 800)]
    app = QApplication.instance() or QApplication([])
    dock = assemble(StationContext(factory), defaults(), sounds=SoundBoard(False, probe_audio=False), save=False)
    window = dock.window
    window.resize(1280, 800)
    window.show()
    _pump_until(app, lambda: app.focusWidget() is not None)
    freeze_start_up_objects()  # as the station does once its window is usable (ui.app)
    # The operator's own role: an actor claiming another role is now signed out by the window
    # at its first look-up (the station refuses the session), as a demoted operator would be.
    window.sign_in_as(Actor.of(operator))
    view = window.views["receiving"]
    painted: dict[str, float] = {}

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: ANN001, ANN202, N802
            if event.type() == QEvent.Type.Paint and view.card.card is not None:
                painted.setdefault(view.card.card.number, time.perf_counter())
            return False

    watch = PaintWatch()
    view.card.number.installEventFilter(watch)
    keys = Keys(app, window)

    def scan_all(batch: list[str], *, clerk_pace: bool) -> list[float]:
        samples = []
        for i, number in enumerate(batch):
            if clerk_pace:  # seconds pass between two parcels: the last one's work is done
                _pump_until(app, lambda: dock.background.busy == 0)
            painted.clear()
            keys.scan(number)  # the Return is the last key: the assembler emits the scan on it
            t0 = time.perf_counter()
            _pump_until(app, lambda n=number: n in painted)
            if i >= 5:  # the first look-ups warm SQLite's page cache and Qt's font cache
                samples.append((painted[number] - t0) * 1000)
        return samples

    half = len(numbers) // 2
    paced = scan_all(numbers[:half], clerk_pace=True)
    burst = scan_all(numbers[half:], clerk_pace=False)
    view.card.number.removeEventFilter(watch)
    gc.unfreeze()  # the process goes on (the suite runs this bench at smoke size)
    dock.shutdown()
    window.close()
    window.deleteLater()
    watch.deleteLater()
    app.processEvents()
    engine.dispose()
    yield figure("ui.scan_to_card_p99", percentile(paced, 99), "ms", rmas=n_rmas, samples=len(paced),
                 median_ms=round(median(paced), 2), db_build_s=round(built, 1),
                 what="a clerk's pace: each parcel scanned once the last one's work is done")
    yield figure("ui.scan_to_card_burst_p99", percentile(burst, 99), "ms", rmas=n_rmas, samples=len(burst),
                 median_ms=round(median(burst), 2),
                 what="back to back: the next scan while the last one's work (a duplicate's receipt) runs")


def keys_for_stories() -> Iterator[Figure]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from station.core.context import StationContext
    from station.core.db import open_database
    from station.core.settings import defaults
    from station.models import Operator, Role
    from station.operators.service import hash_pin
    from tests.helpers.builders import add_product, add_rma
    from ui.background import Background, SyncExecutor
    from ui.dock import assemble
    from ui.sound_board import SoundBoard

    home = tempfile.mkdtemp(prefix="rma-bench-")
    os.environ["RMA_STATION_HOME"] = home
    _engine, factory = open_database(f"sqlite:///{home}/keys.sqlite", create=True)
    with factory.begin() as db:
        admin = Operator(badge="EMP9001", name="Wang Admin", role=Role.ADMIN, pin_hash=hash_pin("9999"), station_id="DOCK01")
        db.add(admin)
        lamp = add_product(db, "LMP-7", category="homeware", name_en="Desk lamp", name_zh="台灯")
        parcel = add_rma(db, [(lamp, 1)], authorised=dt.datetime.now(dt.UTC))
        number = parcel.number
    from station.core.context import Actor

    app = QApplication.instance() or QApplication([])
    ctx = StationContext(factory)
    dock = assemble(ctx, defaults(), background=Background(SyncExecutor(), SyncExecutor()),
                    sounds=SoundBoard(False, probe_audio=False), save=False)
    window = dock.window
    window.show()
    _pump_until(app, lambda: app.focusWidget() is not None)
    window.sign_in_as(Actor(admin.id, "EMP9001", "Wang Admin", Role.ADMIN))
    keys = Keys(app, window)
    receiving = window.views["receiving"]
    keys.scan(number)
    keys.press(Qt.Key.Key_Return, "\r")
    _pump_until(app, lambda: dock.bridge.history[-1].code == "received")
    parcel_keys = keys.count
    lpn = receiving.lpns.item(0).text().split()[0]
    window.show_view("inspection")
    inspection = window.views["inspection"]
    keys.count = 0
    keys.scan(lpn)
    for key, text in [(Qt.Key.Key_P, "p")] * 3 + [(Qt.Key.Key_1, "1"), (Qt.Key.Key_P, "p"),
                                                   (Qt.Key.Key_Return, "\r"), (Qt.Key.Key_Return, "\r")]:
        before = (inspection.pages.currentIndex(), len(dock.bridge.history), inspection.inspection)
        keys.press(key, text)
        _pump_until(app, lambda b=before: (inspection.pages.currentIndex(), len(dock.bridge.history),
                                           inspection.inspection) != b)
    keys.press(Qt.Key.Key_Return, "\r")
    _pump_until(app, lambda: dock.bridge.history[-1].code == "disposed")
    grade = next(m for m in reversed(dock.bridge.history) if m.code.startswith("graded_"))
    dock.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    yield figure("ui.keys_normal_parcel", parcel_keys, "presses", detail="1 scan + 1 Enter")
    yield figure("ui.keys_a_grade_unit", keys.count - 1, "presses", grade=grade.title,
                 detail="LPN scan not counted; 6-question general checklist")


def cold_start_and_rss() -> Iterator[Figure]:
    home = tempfile.mkdtemp(prefix="rma-bench-start-")
    env = {**os.environ, "RMA_STATION_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))"]
    # Run 0 seeds the demo database and warms the OS file cache; runs 1-3 are measured.
    starts, rss = [], 0.0
    for run in range(4):
        log = Path(home) / "data" / "logs" / "station.log"
        seen = log.read_text(encoding="utf-8").count("window usable") if log.exists() else 0
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd + (["--demo"] if run == 0 else []), env=env, cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not (log.exists() and log.read_text(encoding="utf-8").count("window usable") > seen):
            time.sleep(0.005)
            if time.perf_counter() - t0 > 60:
                proc.kill()
                raise TimeoutError("window never became usable")
        elapsed = time.perf_counter() - t0
        if run > 0:
            starts.append(elapsed * 1000)
        if run == 3:
            time.sleep(3)  # idle
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
        proc.terminate()
        proc.wait(timeout=10)
    yield figure("ui.cold_start", median(starts), "ms", runs=len(starts), worst_ms=round(max(starts), 1))
    yield figure("ui.idle_rss", rss, "MiB")


def run(quick: bool) -> Iterator[Figure]:
    yield from cold_start_and_rss()
    yield from keys_for_stories()
    yield from scan_to_card(quick)
