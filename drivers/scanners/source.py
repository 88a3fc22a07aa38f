"""The one interface every scanner source offers.

A source is started and stopped; its reads arrive either through callbacks (called on the
source's own thread: the UI marshals them to its thread) or by iterating ``scans()``. The
base keeps a queue so a burst of reads is never dropped while nobody is listening.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator

from drivers.scanners.scan import Scan

log = logging.getLogger(__name__)

ScanCallback = Callable[[Scan], None]


class ScanSource:
    """Base of every scanner source: ``start``, ``stop``, ``on_scan`` and ``scans``.

    Subclasses call ``_emit(scan)`` from whatever thread reads the device and override
    ``_open``/``_close`` for the device work.
    """

    def __init__(self, name: str, *, max_queue: int = 1000) -> None:
        self.name = name
        self._queue: queue.Queue[Scan] = queue.Queue(maxsize=max_queue)
        self._callbacks: list[ScanCallback] = []
        self._lock = threading.Lock()
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def on_scan(self, callback: ScanCallback) -> None:
        """Call ``callback(scan)`` for every read, on the source's thread."""
        with self._lock:
            self._callbacks.append(callback)

    def start(self) -> None:
        if self._running:
            return
        self._open()
        self._running = True
        log.info("scanner %s started", self.name)

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._close()
        log.info("scanner %s stopped", self.name)

    def read(self, timeout: float | None = None) -> Scan | None:
        """The next scan, waiting up to ``timeout`` seconds; ``None`` when none came."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def scans(self, timeout: float | None = None) -> Iterator[Scan]:
        """Yield scans until ``timeout`` seconds pass without one (forever if ``None``)."""
        while True:
            scan = self.read(timeout)
            if scan is None:
                return
            yield scan

    def __enter__(self) -> "ScanSource":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _emit(self, scan: Scan) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        try:
            self._queue.put_nowait(scan)
        except queue.Full:
            # Nobody drains the queue (callback-only use): drop the oldest, never the new read.
            try:
                self._queue.get_nowait()
            except queue.Empty:
                pass
            self._queue.put_nowait(scan)
        for callback in callbacks:
            try:
                callback(scan)
            except Exception:  # a UI callback bug must not kill the device thread
                log.exception("scan callback failed for %s", self.name)

    def _open(self) -> None:  # pragma: no cover - overridden
        pass

    def _close(self) -> None:  # pragma: no cover - overridden
        pass
