"""Putting the station together: window, scanners, background runner, print spooler.

``assemble`` is what ``run_window`` calls and what the UI tests call (with synchronous
executors and no spooler thread), so tests drive exactly the window the dock gets.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from drivers.scanners.wedge import WedgeConfig
from station.core.context import StationContext
from station.core.settings import Settings, save_settings
from station.scanning.classify import ScanClassifier
from station.supervision.printing import PrintQueue
from ui.background import Background
from ui.bridge import MessageBridge
from ui.changes import ChangeSignal
from ui.i18n import install_language
from ui.label_output import LabelOutput
from ui.main_window import MainWindow
from ui.scanner_filter import WedgeKeyFilter
from ui.scanners import ScannerHub
from ui.shell import Shell
from ui.sound_board import SoundBoard
from ui.spooler import Spooler
from ui.style import apply_style

log = logging.getLogger(__name__)


def wedge_config(settings: Settings) -> WedgeConfig:
    return WedgeConfig(
        max_gap_s=int(settings.get("scanners.wedge_max_gap_ms")) / 1000.0,
        min_length=int(settings.get("scanners.wedge_min_length")),
        prefix=str(settings.get("scanners.wedge_prefix")),
        suffix=str(settings.get("scanners.wedge_suffix")),
    )


def classifier_for(settings: Settings) -> ScanClassifier:
    """The window's scan classifier: the formats file in settings, else the shipped one."""
    return ScanClassifier.from_file(str(settings.get("scanning.formats_file")) or None)


@dataclass
class Dock:
    app: QApplication
    window: MainWindow
    hub: ScannerHub
    wedge: WedgeKeyFilter
    background: Background
    bridge: MessageBridge
    sounds: SoundBoard
    spooler: Spooler
    settings: Settings
    save: bool
    translators: list[QTranslator] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    sync_worker: Any = None

    def start_spooler(self) -> None:
        thread = threading.Thread(target=self.spooler.run_forever, args=(self._stop,),
                                  name="spooler", daemon=True)
        thread.start()
        self._threads.append(thread)

    def start_sync(self) -> bool:
        """Run the central sync worker on its own thread when a central database is set.

        With none configured the station works alone, which is a supported set-up, not an
        error. The status bar reads the worker's progress from the local database.
        """
        from station.core.errors import ConfigError
        from station.sync.connection import central_url, central_url_refusal, make_central_engine
        from ui.errors import show_error

        ctx = self.window.shell.ctx
        configured = str(self.settings.get("central.db_url")) or None
        try:
            url = central_url(None, configured)
        except ConfigError as exc:
            refused = central_url_refusal(configured)
            if refused:  # a URL was given and refused: say so, sync is off until it is fixed
                log.warning("central sync off: central URL refused: %s", refused)
                show_error(self.bridge, ConfigError(f"Sync: central URL refused: {exc.message}",
                                                    next_step=exc.next_step or "Fix it in the settings (F10)."))
                self.window.status.refresh()
            else:
                log.info("central sync off: %s", exc)
            return False
        from station.sync.worker import SyncWorker  # only a station that syncs pays for the import

        local = ctx.session_factory.kw["bind"]
        self.sync_worker = SyncWorker(local, lambda: make_central_engine(url, station_id=ctx.station_id),
                                      ctx.station_id, station_no=ctx.station_no)
        self.sync_worker.start()
        return True

    def start_scanner_sources(self) -> None:
        """Non-wedge sources from settings (serial, camera) through the drivers registry;
        the keyboard wedge is the Qt key filter. A source that fails shows a banner."""
        from drivers.scanners import open_scanner
        from station.core.errors import DeviceNotFound
        from ui.errors import show_error

        for uri in self.settings.get("scanners.sources"):
            if uri.startswith("wedge:"):
                continue
            try:
                self.hub.attach(open_scanner(uri))
            except Exception as exc:  # noqa: BLE001 - a bad URI or missing backend must not stop the station
                show_error(self.bridge, DeviceNotFound(f"Scanner {uri}: {exc}",
                                                       next_step="Check the scanner in settings."))

    def shutdown(self) -> None:
        if self.window.actor is not None:
            self.window.sign_out()  # its audit write is queued before the executors drain
        self.window.drop_parked()  # work kept over an idle lock: its device threads end too
        self._stop.set()
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=10)
        self.hub.stop()
        self.app.removeEventFilter(self.window.keys)
        self.app.removeEventFilter(self.wedge)
        self.app.removeEventFilter(self.window.idle)
        self.app.removeEventFilter(self.window.dialogs)
        self.translators = install_language(self.app, "en", self.translators)
        for thread in self._threads:
            thread.join(timeout=3)
        self.background.shutdown()
        if self.window.shell.changes is not None:
            self.window.shell.changes.close()


def assemble(ctx: StationContext, settings: Settings, *, background: Background | None = None,
             sounds: SoundBoard | None = None, save: bool = True) -> Dock:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("assemble() needs a QApplication")
    apply_style(app, int(settings.get("ui.font_size")))
    translators = install_language(app, str(settings.get("ui.language")), [])
    background = background or Background()
    bridge = MessageBridge()
    sounds = sounds or SoundBoard(bool(settings.get("ui.sounds")))
    spooler = Spooler(PrintQueue(ctx.session_factory, station_id=ctx.station_id, clock=ctx.clock))
    hub = ScannerHub()
    wedge = WedgeKeyFilter(wedge_config(settings))
    wedge.scanned.connect(hub.deliver)
    changes = ChangeSignal(ctx.session_factory.kw["bind"])
    shell = Shell(ctx, background, bridge, settings, LabelOutput(spooler, settings, ctx.station_id),
                  classifier_for(settings), changes)
    dock_ref: dict[str, Any] = {}

    def on_language(language: str) -> Shell:
        dock: Dock = dock_ref["dock"]
        new_settings = dock.settings.replace(**{"ui.language": language})
        return rebuild(dock, new_settings)

    def on_settings(parent: QWidget) -> Shell | None:
        from station.policy.admin import PolicyAdmin
        from ui.settings_dialog import SettingsDialog

        dock: Dock = dock_ref["dock"]
        dialog = SettingsDialog(dock.settings, parent, policy=PolicyAdmin(ctx), actor=getattr(parent, "actor", None))
        if not dialog.exec():
            return None
        return rebuild(dock, dialog.result_settings())

    def rebuild(dock: Dock, new_settings: Settings) -> Shell:
        dock.settings = new_settings
        if dock.save:
            save_settings(new_settings)
        dock.translators = install_language(app, str(new_settings.get("ui.language")), dock.translators)
        apply_style(app, int(new_settings.get("ui.font_size")))
        dock.sounds.enabled = bool(new_settings.get("ui.sounds"))
        dock.wedge.assembler.config = wedge_config(new_settings)
        return Shell(ctx, background, bridge, new_settings,
                     LabelOutput(spooler, new_settings, ctx.station_id), classifier_for(new_settings), changes)

    window = MainWindow(shell, hub, sounds, on_language=on_language, on_settings=on_settings)
    app.installEventFilter(window.keys)  # before the wedge filter, so the wedge sees keys first
    app.installEventFilter(wedge)
    app.installEventFilter(window.idle)
    app.installEventFilter(window.dialogs)  # dialogs open below the banner that explains them
    dock = Dock(app, window, hub, wedge, background, bridge, sounds, spooler, settings, save, translators)
    dock_ref["dock"] = dock
    return dock
