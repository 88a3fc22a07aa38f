"""First launch with ``--demo`` on an empty database: a window at once, demo data behind it.

Seeding the demo warehouse takes seconds; doing it before the window meant eight seconds of
nothing. ``DemoSeeder`` runs ``station.demo.seed_demo`` on a worker thread (its own
sessions; SQLite allows it) and reports progress through Qt signals, which arrive on the UI
thread; ``FirstLaunchWindow`` shows that progress until the dock window replaces it. The UI
thread never waits for the seed.

On a brand-new station (no database file yet) the worker also creates and binds the
database first (built from the models: ``station.core.new_database``). The demo PINs have
been hashing on a thread of their own since the process started (``ui.app.run_window``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from concurrent.futures import Future

    from station.core.context import StationContext

log = logging.getLogger(__name__)


class DemoSeeder(QObject):
    """Seeds demo data on a worker thread; ``progress(done, total)``, then ``finished(summary)``
    or ``failed(message)``, all delivered on the UI thread (queued signal connections).

    Given ``open_station`` instead of a context (a brand-new station), the worker first calls
    it: ``opened((engine, ctx))`` when the database is ready, or ``open_failed(exception)``
    and nothing more. ``finished(None)`` means the database already held data: nothing seeded.
    """

    progress = Signal(int, int)
    opened = Signal(object)
    open_failed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: StationContext | None = None, parent: QObject | None = None, *,
                 open_station: Callable[[], tuple[Any, StationContext]] | None = None,
                 pin_hashes: Sequence[Future[str]] | None = None) -> None:
        super().__init__(parent)
        if (ctx is None) == (open_station is None):
            raise ValueError("DemoSeeder needs a context or a way to open the station, not both")
        self.ctx = ctx
        self._open_station = open_station
        self._pin_hashes = pin_hashes
        self.worker_thread: int | None = None
        self._thread = threading.Thread(target=self._run, name="demo-seed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        self.worker_thread = threading.get_ident()
        ctx, pin_hashes = self.ctx, self._pin_hashes
        if self._open_station is not None:
            try:
                if pin_hashes is None:
                    from station.demo_staff import hash_demo_pins

                    pin_hashes = hash_demo_pins()  # beside building the database, which holds the GIL
                engine, ctx = self._open_station()
            except Exception as exc:  # noqa: BLE001 - the UI thread says why and stops the start
                self.open_failed.emit(exc)
                return
            self.ctx = ctx
            self.opened.emit((engine, ctx))
        if ctx is None:  # the constructor refuses this
            return
        try:
            from station.demo import database_is_empty, seed_demo

            if self._open_station is not None and not database_is_empty(ctx.session_factory):
                self.finished.emit(None)  # someone filled it meanwhile: open the dock on it
                return
            summary = seed_demo(ctx.session_factory, station_id=ctx.station_id, station_no=ctx.station_no,
                                pin_hashes=pin_hashes,
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
