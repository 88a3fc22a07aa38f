"""Serial and USB-CDC scanners (pyserial).

A serial scanner sends each code as bytes followed by a terminator (CR, LF or CR LF, set in
the scanner). A reader thread collects bytes with a short timeout, so ``stop`` returns
promptly; a code without terminator is still delivered once the line stays quiet for
``frame_timeout_s`` (some scanners are programmed with no suffix at all).
"""

from __future__ import annotations

import logging
import threading
import time

from drivers.scanners.errors import ScannerBackendMissing, ScannerUnavailable
from drivers.scanners.scan import UNKNOWN_SYMBOLOGY, Scan
from drivers.scanners.source import ScanSource

log = logging.getLogger(__name__)


class SerialScanner(ScanSource):
    """Scans from a serial port; ``port`` is a device path or any pyserial URL."""

    def __init__(
        self,
        port: str,
        *,
        baud: int = 9600,
        terminators: bytes = b"\r\n",
        prefix: bytes = b"",
        suffix: bytes = b"",
        encoding: str = "latin-1",
        frame_timeout_s: float = 0.2,
        max_length: int = 4096,
        name: str | None = None,
    ) -> None:
        super().__init__(name or f"serial://{port}")
        self.port = port
        self.baud = baud
        self.terminators = terminators
        self.prefix = prefix
        self.suffix = suffix
        self.encoding = encoding
        self.frame_timeout_s = frame_timeout_s
        self.max_length = max_length
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def _open(self) -> None:
        try:
            import serial
        except ImportError as exc:  # pragma: no cover - pyserial is a core dependency
            raise ScannerBackendMissing("serial", "pyserial") from exc
        try:
            self._port = serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.05)
        except (serial.SerialException, OSError) as exc:
            raise ScannerUnavailable(f"serial scanner port {self.port} cannot be opened: {exc}") from exc
        self._stop.clear()
        self._thread = threading.Thread(target=self._read_loop, name=self.name, daemon=True)
        self._thread.start()

    def _close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        self._port.close()

    def _read_loop(self) -> None:
        buffer = bytearray()
        last = time.monotonic()
        while not self._stop.is_set():
            try:
                chunk = self._port.read(256)
            except Exception as exc:  # port unplugged: report and stop reading
                log.error("serial scanner %s stopped: %s", self.name, exc)
                return
            now = time.monotonic()
            if chunk:
                last = now
                for byte in chunk:
                    if byte in self.terminators:
                        self._deliver(buffer)
                        buffer.clear()
                    else:
                        buffer.append(byte)
                        if len(buffer) > self.max_length:
                            log.warning("serial scanner %s: %d bytes without terminator dropped", self.name, len(buffer))
                            buffer.clear()
            elif buffer and now - last >= self.frame_timeout_s:
                self._deliver(buffer)
                buffer.clear()

    def _deliver(self, raw: bytearray) -> None:
        data = bytes(raw)
        if self.prefix and data.startswith(self.prefix):
            data = data[len(self.prefix) :]
        if self.suffix and data.endswith(self.suffix):
            data = data[: -len(self.suffix)]
        if not data:
            return  # the LF of a CR LF pair
        self._emit(Scan(data.decode(self.encoding, errors="replace"), UNKNOWN_SYMBOLOGY, self.name, time.time()))


class FakeSerialScanner:
    """The device side of a pseudo-terminal pair: writes codes the way a scanner does.

    ``port`` is the path to give ``SerialScanner``. Bytes go out in small chunks with
    pauses, as a 9600-baud scanner's USB-CDC bridge delivers them.
    """

    def __init__(self, *, terminator: bytes = b"\r\n", prefix: bytes = b"", suffix: bytes = b"") -> None:
        import os
        import tty

        self._master, slave = os.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        self._slave = slave
        self.terminator = terminator
        self.prefix = prefix
        self.suffix = suffix

    def scan(self, text: str, *, chunk: int = 4, pause_s: float = 0.002) -> None:
        import os

        data = self.prefix + text.encode("latin-1") + self.suffix + self.terminator
        for i in range(0, len(data), chunk):
            os.write(self._master, data[i : i + chunk])
            time.sleep(pause_s)

    def write_raw(self, data: bytes) -> None:
        import os

        os.write(self._master, data)

    def close(self) -> None:
        import os

        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
