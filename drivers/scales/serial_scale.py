"""A parcel scale on a serial port, and its fake on a pseudo-terminal.

``SerialScale.read_stable`` is what receiving calls: it waits (bounded) for a stable
reading, in continuous mode by listening, in request mode by asking ``S``. The scale's
port is opened per use by the caller's worker thread; nothing here touches the UI.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import tty
from decimal import Decimal

from drivers.scales.protocol import Weight, parse_weight_line

log = logging.getLogger(__name__)


class ScaleError(Exception):
    """The scale did not answer, or never settled; the message says which."""


class SerialScale:
    def __init__(self, port: str, *, baud: int = 9600, mode: str = "continuous", timeout_s: float = 3.0) -> None:
        if mode not in ("continuous", "request"):
            raise ValueError(f"scale mode must be 'continuous' or 'request', not {mode!r}")
        import serial

        self.mode = mode
        self.timeout_s = timeout_s
        try:
            self._port = serial.serial_for_url(port, baudrate=baud, timeout=0.1)
        except (serial.SerialException, OSError) as exc:
            raise ScaleError(f"scale port {port} cannot be opened: {exc}") from exc
        self._buffer = bytearray()

    def close(self) -> None:
        self._port.close()

    def _line(self, deadline: float) -> str | None:
        while time.monotonic() < deadline:
            if b"\n" in self._buffer:
                line, _, rest = bytes(self._buffer).partition(b"\n")
                self._buffer = bytearray(rest)
                return line.decode("ascii", errors="replace").strip("\r")
            self._buffer += self._port.read(64)
        return None

    def _request(self, command: str) -> Weight | None:
        self._port.reset_input_buffer()
        self._buffer.clear()
        self._port.write(command.encode("ascii") + b"\r\n")
        line = self._line(time.monotonic() + self.timeout_s)
        if line is None:
            raise ScaleError(f"the scale did not answer {command!r} within {self.timeout_s:g} s: check cable and protocol")
        return parse_weight_line(line)

    def read(self) -> Weight:
        """The current reading, stable or not."""
        if self.mode == "request":
            weight = self._request("SI")
        else:
            deadline = time.monotonic() + self.timeout_s
            weight = None
            while weight is None:
                line = self._line(deadline)
                if line is None:
                    raise ScaleError(f"no reading from the scale within {self.timeout_s:g} s: is it switched on?")
                weight = parse_weight_line(line)
        if weight is None:
            raise ScaleError("the scale answered something that is not a weight")
        return weight

    def read_stable(self) -> Weight:
        """The first stable reading, or ``ScaleError`` if the parcel never settles."""
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            weight = self._request("S") if self.mode == "request" else self.read()
            if weight is not None and weight.overload:
                raise ScaleError("the scale is overloaded: the parcel is too heavy for it")
            if weight is not None and weight.stable:
                return weight
        raise ScaleError(f"the weight did not settle within {self.timeout_s:g} s: let the parcel rest on the scale")

    def tare(self) -> None:
        if self.mode != "request":
            raise ScaleError("this scale streams weights; press its TARE key")
        weight = self._request("T")
        if weight is None:
            raise ScaleError("the scale refused the tare")


class FakeScale:
    """A dock scale on a pty: a parcel settles over ``settle_readings`` readings.

    Continuous mode streams ``ST,GS,+ 12.345 kg`` lines every ``interval_s``; request mode
    answers ``S``, ``SI`` and ``T`` like a SICS scale.
    """

    def __init__(self, *, mode: str = "continuous", unit: str = "kg", interval_s: float = 0.02) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        tty.setraw(self._master)
        self.port = os.ttyname(self._slave)
        self.mode = mode
        self.unit = unit
        self.interval_s = interval_s
        self.load = Decimal(0)
        self.tare_value = Decimal(0)
        self.settle_readings = 3
        self._since_change = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-scale", daemon=True)
        self._thread.start()

    def place(self, weight: Decimal | str) -> None:
        self.load = Decimal(weight)
        self._since_change = 0

    def _reading(self) -> tuple[bool, Decimal]:
        self._since_change += 1
        stable = self._since_change > self.settle_readings
        wobble = Decimal(0) if stable else Decimal("0.013") * (self._since_change % 3)
        return stable, self.load - self.tare_value + wobble

    def _run(self) -> None:
        import select

        pending = b""
        while not self._stop.is_set():
            if self.mode == "continuous":
                stable, value = self._reading()
                status = "ST" if stable else "US"
                mode = "NT" if self.tare_value else "GS"
                self._write(f"{status},{mode},{'-' if value < 0 else '+'}{abs(value):9.3f} {self.unit}\r\n")
                time.sleep(self.interval_s)
                continue
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                pending += os.read(self._master, 64)
            except OSError:
                return
            while b"\n" in pending:
                line, _, pending = pending.partition(b"\n")
                command = line.strip().decode("ascii", "replace")
                stable, value = self._reading()
                if command == "T":
                    self.tare_value = self.load
                    self._write(f"T S {self.tare_value:9.3f} {self.unit}\r\n")
                elif command in ("S", "SI"):
                    if command == "S" and not stable:
                        self._write(f"S D {value:9.3f} {self.unit}\r\n")
                    else:
                        self._write(f"S {'S' if stable else 'D'} {value:9.3f} {self.unit}\r\n")
                else:
                    self._write("ES\r\n")

    def _write(self, text: str) -> None:
        try:
            os.write(self._master, text.encode("ascii"))
        except OSError:
            self._stop.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
