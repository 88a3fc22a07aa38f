"""``rma-station`` with no sub-command: open the dock window.

Start-up order: logging (rotating file in the data dir) and faulthandler first, so even a
crash while opening the database leaves a trace; then settings, database (migrated in
place), demo data if asked and the database is empty, and the window. Unexpected
exceptions get a short apology with "Copy report" instead of a silent death.

SQLAlchemy and the models are loaded before PySide6 (``load_station_modules``: Qt's import
hook makes every later import dearer), so nothing here imports them at module level. A
first ``--demo`` start on a brand-new station (no database file yet) starts hashing the demo
PINs at once, shows its progress window, and builds and seeds the database on a worker.
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import importlib
import logging
import logging.handlers
import sys
import time
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from station.core import paths
from station.core.errors import ConfigError
from station.core.settings import Settings, load_settings

if TYPE_CHECKING:
    from station.core.context import StationContext
    from station.core.identity import StationIdentityError

log = logging.getLogger(__name__)
_fault_file: TextIO | None = None


def setup_logging(verbose: bool) -> str:
    """A rotating log in the data dir (5 x 2 MB); returns its path for the crash report."""
    global _fault_file
    log_path = paths.log_dir() / "station.log"
    handler = logging.handlers.RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if _fault_file is None:
        _fault_file = open(paths.log_dir() / "faults.log", "a", encoding="utf-8")  # noqa: SIM115 - lives for the process
        faulthandler.enable(file=_fault_file, all_threads=True)
    return str(log_path)


def install_excepthook(log_path: str) -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report = "".join(traceback.format_exception(kind, exc, tb))
        log.critical("unhandled exception\n%s", report)
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            sys.__excepthook__(kind, exc, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, QApplication.translate("Crash", "Sorry"),
                          QApplication.translate("Crash", "Something went wrong in the station. Work you "
                                                 "confirmed is saved. Copy the report for support."))
        box.setDetailedText(report)
        copy = box.addButton(QApplication.translate("Crash", "Copy report"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is copy:
            QApplication.clipboard().setText(f"{report}\nLog: {log_path}\n")

    sys.excepthook = hook


def open_station(args: argparse.Namespace, settings: Settings) -> tuple[Any, StationContext]:
    """The database and this station's context, or ``StationIdentityError`` saying why the
    station must not start (identity unreadable, or the database belongs to another station),
    or ``ConfigError`` (the database is another program's). The same checks as every command
    (``station.core.opening``)."""
    from station.core.db import is_default_location
    from station.core.opening import open_station as open_checked

    # The first start creates the default database; a named one that is missing is a typo,
    # unless --demo asks for a fresh demo station.
    named = getattr(args, "db", None)
    ctx = open_checked(named, settings, station_id=getattr(args, "station_id", None),
                       create=is_default_location(named) or bool(getattr(args, "demo", False)))
    return ctx.engine, ctx


def is_new_station(args: argparse.Namespace) -> bool:
    """True when the window is to create the station's SQLite file (none there yet)."""
    path = paths.database_file(getattr(args, "db", None))
    return path is not None and not path.exists()


def refuse_to_start(error: StationIdentityError) -> None:
    """A station that does not know who it is must not write: say why, then exit."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    log.error("station not started: %s", error)
    box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("Startup", "The station cannot start"),
                      error.message)
    box.setObjectName("startRefused")
    box.setInformativeText(error.next_step or "")
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()


def load_station_modules() -> None:
    """Import SQLAlchemy and the station's models before PySide6, to start faster.

    Importing PySide6 replaces ``builtins.__import__`` with a hook (for its opt-in
    ``__feature__`` syntax) that inspects every module imported afterwards; SQLAlchemy and
    the models imported after Qt cost about 90 ms more than before it (BENCHMARKS.md, issue
    23). The window needs them anyway, on a first ``--demo`` launch on the seeding thread.
    """
    for name in ("sqlalchemy.orm", "station.models", "station.core.opening"):
        importlib.import_module(name)


def freeze_start_up_objects() -> None:
    """Exempt what start-up built (modules, mappers, the window's widgets) from the cyclic
    garbage collector's full passes.

    They live as long as the process. Left in, every full pass walks them all: at 1,000,000
    RMAs one such pass took 53 ms in the middle of a scan, longer than three frames
    (BENCHMARKS.md, issue 23). ``gc.freeze`` is the standard library's answer; only objects
    made later are examined.
    """
    gc.freeze()


def run_window(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    log_path = setup_logging(bool(getattr(args, "verbose", False)))
    install_excepthook(log_path)
    from ui.display import WAYS_FORWARD, missing_display

    no_screen = missing_display()
    if no_screen is not None:
        raise ConfigError(no_screen, next_step=WAYS_FORWARD)
    demo = bool(getattr(args, "demo", False))
    new_demo = demo and is_new_station(args)
    pin_hashes = None
    if new_demo:
        from station.demo_staff import hash_demo_pins

        pin_hashes = hash_demo_pins()  # on a worker, beside the imports below (scrypt frees the GIL)
    load_station_modules()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("rma-station")
    settings, settings_error = load_settings()
    if new_demo:
        from station.core.settings import save_settings
        from station.demo import with_demo_dock

        demo_settings = with_demo_dock(settings)
        # return labels print on the demo's first run; a station that cannot say who it is is
        # refused by open_station below, with its settings file left as it was
        if demo_settings is not None and not settings.identity_problem:
            save_settings(demo_settings)
            settings = demo_settings
        launch = Launch(None, settings, settings_error, started)
        launch.begin_new_station(lambda: open_station(args, settings), pin_hashes)
    else:
        from station.core.identity import StationIdentityError

        try:
            engine, ctx = open_station(args, settings)
        except StationIdentityError as exc:
            refuse_to_start(exc)
            return 2
        launch = Launch(ctx, settings, settings_error, started, engine=engine)
        launch.begin(demo=demo)
    try:
        code = int(app.exec())
    finally:
        launch.shutdown()
    if launch.open_error is not None:
        if launch.refused:
            return 2
        raise launch.open_error  # as if opened on this thread: cli.main says why, in one line
    return code


class Launch:
    """What start-up puts on screen, in order: at once a window (the dock, or on a first
    ``--demo`` launch a progress window while demo data is seeded on a worker thread), then
    the dock. Logs "window shown after" (first window painted) and "window usable after"
    (the dock takes keys), both from the process start, for bench/bench_first_launch.py.

    ``ctx`` is None for a brand-new station (``begin_new_station``) until the worker has
    opened the database; if that fails, ``open_error`` holds why and the event loop ends."""

    def __init__(self, ctx: StationContext | None, settings: Settings, settings_error: Any, started: float,
                 *, engine: Any = None) -> None:
        self.ctx = ctx
        self.engine = engine
        self.settings = settings
        self.settings_error = settings_error
        self.started = started
        self.dock: Any = None
        self.first_window: Any = None
        self.seeder: Any = None
        self.open_error: Exception | None = None
        self.refused = False

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def begin(self, *, demo: bool) -> None:
        if demo and self.ctx is not None:
            from station.demo import database_is_empty

            if database_is_empty(self.ctx.session_factory):
                from ui.first_launch import DemoSeeder

                self._seed_behind_first_window(DemoSeeder(self.ctx))
                return
        self.open_dock(first=True)

    def begin_new_station(self, open_station: Callable[[], tuple[Any, StationContext]],
                          pin_hashes: Any = None) -> None:
        """A first ``--demo`` start with no database yet: the progress window at once; the
        worker creates and opens the database (``open_station``), then seeds it, with the
        demo PINs' hashes already under way (``pin_hashes``) when given."""
        from ui.first_launch import DemoSeeder

        seeder = DemoSeeder(open_station=open_station, pin_hashes=pin_hashes)
        seeder.opened.connect(self._opened)
        seeder.open_failed.connect(self._open_failed)
        self._seed_behind_first_window(seeder)

    def _seed_behind_first_window(self, seeder: Any) -> None:
        from PySide6.QtCore import QTimer

        from ui.first_launch import FirstLaunchWindow

        self.first_window = FirstLaunchWindow()
        self.first_window.show()
        QTimer.singleShot(0, lambda: log.info("window shown after %.0f ms", self._elapsed_ms()))
        self.seeder = seeder
        seeder.progress.connect(self.first_window.show_progress)
        seeder.finished.connect(self._seeded)
        seeder.failed.connect(self._seed_failed)
        seeder.start()

    def _opened(self, opened: tuple[Any, StationContext]) -> None:
        self.engine, self.ctx = opened

    def _open_failed(self, error: Exception) -> None:
        from PySide6.QtWidgets import QApplication

        from station.core.identity import StationIdentityError

        self.open_error = error
        if isinstance(error, StationIdentityError):
            refuse_to_start(error)
            self.refused = True
        # hide(), not close(): closing the last window would post a quit that outlives this loop.
        self.first_window.hide()
        QApplication.exit(2)

    def _seeded(self, summary: object) -> None:
        if summary is None:
            log.info("demo data not seeded: the database already holds data")
        else:
            log.info("demo data seeded: %s", summary)
        self.open_dock(first=False)

    def _seed_failed(self, message: str) -> None:
        self.first_window.show_failure(message)
        self.open_dock(first=False)

    def open_dock(self, *, first: bool) -> None:
        from PySide6.QtCore import QTimer

        from ui.dock import assemble

        if self.ctx is None:  # pragma: no cover - the dock opens only once the station is open
            raise RuntimeError("open_dock() before the station was opened")
        dock = self.dock = assemble(self.ctx, self.settings)
        dock.start_spooler()
        dock.start_sync()
        dock.start_scanner_sources()
        dock.window.resize(1280, 800)
        dock.window.show()
        if self.first_window is not None:
            self.first_window.close()
        if self.settings_error is not None:
            from ui.errors import show_error

            show_error(dock.bridge, self.settings_error)
        log.info("window ready in %.0f ms", self._elapsed_ms())
        if first:
            QTimer.singleShot(0, lambda: log.info("window shown after %.0f ms", self._elapsed_ms()))
        # The first turn of the event loop: the window has been painted and takes keys.
        QTimer.singleShot(0, lambda: log.info("window usable after %.0f ms", self._elapsed_ms()))
        QTimer.singleShot(0, freeze_start_up_objects)

    def shutdown(self) -> None:
        if self.seeder is not None:
            self.seeder.join(timeout=30)
        if self.dock is not None:
            self.dock.shutdown()
        if self.engine is not None:
            self.engine.dispose()
