"""The parcel scale, read off the UI thread.

``scale.uri`` in settings names the scale (``serial:///dev/ttyUSB0?baud=9600&mode=continuous``;
``mode=request`` for Mettler-Toledo SICS). A ``QThread`` owns a ``ScaleWorker``; every
``read()`` is queued to it, the worker opens the port, waits (bounded by the driver's
timeout) for a stable reading, closes the port and emits the grams. The worker never touches
a widget; the view gets ``weighed``/``failed`` on the UI thread.

Signals (``ScaleReader``): ``weighed(int)`` -- grams; ``failed(str)`` -- why, in words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QObject, QThread, Signal, Slot

from station.core.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScalePort:
    port: str
    baud: int = 9600
    mode: str = "continuous"
    timeout_s: float = 3.0


def parse_scale_uri(uri: str) -> ScalePort:
    """``serial:///dev/ttyUSB0?baud=9600&mode=request&timeout=3`` -> ``ScalePort``."""
    parts = urlsplit(uri)
    if parts.scheme != "serial" or not (parts.path or parts.netloc):
        raise ConfigError(f"Scale {uri!r} is not a serial:///dev/... URI.",
                          next_step="Fix scale.uri in settings, or leave it empty to type weights.")
    opts = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        return ScalePort(parts.path or parts.netloc, int(opts.get("baud", 9600)),
                         opts.get("mode", "continuous"), float(opts.get("timeout", 3.0)))
    except ValueError:
        raise ConfigError(f"Scale {uri!r}: baud and timeout must be numbers.") from None


def grams(value: Decimal, unit: str) -> int:
    factor = {"kg": Decimal(1000), "g": Decimal(1), "lb": Decimal("453.59237"), "oz": Decimal("28.349523125")}
    return int((value * factor[unit]).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class ScaleWorker(QObject):
    """Lives on the scale thread; one stable reading per ``read``."""

    weighed = Signal(int)
    failed = Signal(str)

    def __init__(self, port: ScalePort) -> None:
        super().__init__()
        self.port = port

    @Slot()
    def read(self) -> None:
        from drivers.scales import ScaleError, SerialScale

        try:
            scale = SerialScale(self.port.port, baud=self.port.baud, mode=self.port.mode,
                                timeout_s=self.port.timeout_s)
        except (ScaleError, ValueError, ImportError) as exc:
            self.failed.emit(str(exc))
            return
        try:
            weight = scale.read_stable()
        except ScaleError as exc:
            self.failed.emit(str(exc))
            return
        finally:
            scale.close()
        self.weighed.emit(grams(weight.value, weight.unit))


class ScaleReader(QObject):
    weighed = Signal(int)
    failed = Signal(str)
    _request = Signal()

    def __init__(self, port: ScalePort, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.busy = False
        self._thread = QThread()
        self._thread.setObjectName("scale")
        self._worker = ScaleWorker(port)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.read)
        self._worker.weighed.connect(self._weighed)
        self._worker.failed.connect(self._failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def read(self) -> bool:
        """Ask for a stable reading; False while one is already under way."""
        if self.busy or not self._thread.isRunning():
            return False
        self.busy = True
        self._request.emit()
        return True

    def _weighed(self, value: int) -> None:
        self.busy = False
        self.weighed.emit(value)

    def _failed(self, reason: str) -> None:
        self.busy = False
        log.warning("scale: %s", reason)
        self.failed.emit(reason)

    def stop(self) -> None:
        """Let a reading under way finish (bounded by the driver's timeout), then end the thread."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(10_000)
