"""First launch with ``--demo`` on an empty database: a window at once, demo data behind it.

Seeding the demo warehouse takes seconds; doing it before the window meant eight seconds of
nothing. ``DemoSeeder`` runs ``station.demo.seed_demo`` on a worker thread (its own
sessions; SQLite allows it) and reports progress through Qt signals, which arrive on the UI
thread; ``FirstLaunchWindow`` shows that progress until the dock window replaces it. The UI
thread never waits for the seed.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from station.context import StationContext

log = logging.getLogger(__name__)


class DemoSeeder(QObject):
    """Seeds demo data on a worker thread; ``progress(done, total)``, then ``finished(summary)``
    or ``failed(message)``, all delivered on the UI thread (queued signal connections)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: StationContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker_thread: int | None = None
        self._thread = threading.Thread(target=self._run, name="demo-seed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        from station.demo import seed_demo

        self.worker_thread = threading.get_ident()
        try:
            summary = seed_demo(self.ctx.session_factory, station_id=self.ctx.station_id,
                                station_no=self.ctx.station_no,
                                progress=lambda done, total, step: self.progress.emit(done, total))
        except Exception as exc:  # noqa: BLE001 - reported to the window, never lost
            log.exception("demo data not seeded")
            self.failed.emit(str(exc))
            return
        self.finished.emit(summary)


class FirstLaunchWindow(QWidget):
    """Says what the station is doing while demo data is prepared."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("firstLaunch")
        self.setWindowTitle(self.tr("RMA station"))
        layout = QVBoxLayout(self)
        self.message = QLabel(self.tr("Preparing demo data: a warehouse of returns to try the dock with…"))
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first figure arrives
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        self.resize(480, 120)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, False)

    def show_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def show_failure(self, message: str) -> None:
        self.bar.setRange(0, 1)
        self.message.setText(self.tr("Demo data could not be prepared: %1").replace("%1", message))
