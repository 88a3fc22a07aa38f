"""All scanner sources arrive as one Qt signal: ``ScannerHub.scanned(Scan)``.

The keyboard wedge comes through ``WedgeKeyFilter`` (already on the UI thread); serial and
camera sources from ``drivers.scanners`` call back on their own threads and are marshalled
here through a queued signal. Workers never touch widgets: they only emit.

Signals: ``scanned(Scan)``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from drivers.scanners.scan import Scan

log = logging.getLogger(__name__)


class ScannerHub(QObject):
    scanned = Signal(object)
    _incoming = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sources: list[Any] = []
        self._incoming.connect(self.scanned.emit, Qt.ConnectionType.QueuedConnection)

    def deliver(self, scan: Scan) -> None:
        """From the UI thread (wedge filter, tests)."""
        self.scanned.emit(scan)

    def deliver_from_thread(self, scan: Scan) -> None:
        """From a device thread: queued to the UI thread."""
        self._incoming.emit(scan)

    def attach(self, source: Any) -> None:
        """Start a ``drivers.scanners`` source and forward its scans."""
        source.on_scan(self.deliver_from_thread)
        source.start()
        self._sources.append(source)

    def stop(self) -> None:
        for source in self._sources:
            try:
                source.stop()
            except Exception:  # noqa: BLE001
                log.exception("scanner %s did not stop cleanly", getattr(source, "name", source))
        self._sources.clear()
