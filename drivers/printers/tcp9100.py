"""Raw TCP port 9100 ("JetDirect"), how Zebra and compatible label printers take ZPL.

The printer prints whole ``^XA...^XZ`` formats only, so a connection that breaks mid-job
leaves at most whole labels printed, never half a label; the job is then reported as failed
and retried by the queue. Every socket operation has a timeout: a printer that went away
must not hang the spooler.
"""

from __future__ import annotations

import fcntl
import logging
import socket
import struct
import termios
import time

from drivers.printers.base import Printer, PrinterStatus
from drivers.printers.errors import PrinterOffline

log = logging.getLogger(__name__)

DEFAULT_PORT = 9100


class TcpPrinter(Printer):
    formats = ("zpl",)

    def __init__(self, uri: str, host: str, port: int = DEFAULT_PORT, *, timeout: float = 5.0) -> None:
        super().__init__(uri)
        self.host = host
        self.port = port
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise PrinterOffline(self.uri, f"no answer within {self.timeout:g} s.") from None
        except OSError as exc:
            raise PrinterOffline(self.uri, f"cannot connect ({exc.strerror or exc}).") from None

    def _send(self, data: bytes, fmt: str, copies: int) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                self._wait_acknowledged(sock)
            except TimeoutError:
                raise PrinterOffline(self.uri, f"stopped taking data for {self.timeout:g} s.") from None
            except OSError as exc:
                raise PrinterOffline(self.uri, f"connection lost while sending ({exc}).") from None
        log.info("sent %d bytes of %s to %s", len(data), fmt, self.uri)
        return f"{self.host}:{self.port}/{len(data)}B"

    def _wait_acknowledged(self, sock: socket.socket) -> None:
        """Wait until the printer's TCP stack has acknowledged every byte.

        ``sendall`` returning only means the bytes are in our kernel's buffer; a printer that
        vanished right then would lose the job while we record it as printed. Zebras keep the
        connection open after a job, so waiting for them to close is no signal either.
        """
        deadline = time.monotonic() + self.timeout
        while _unacknowledged(sock) > 0:
            if time.monotonic() > deadline:
                raise PrinterOffline(self.uri, f"did not acknowledge the job within {self.timeout:g} s.")
            time.sleep(0.002)

    def status(self) -> PrinterStatus:
        try:
            self._connect().close()
        except PrinterOffline as exc:
            return PrinterStatus(self.uri, False, exc.reason)
        return PrinterStatus(self.uri, True, "accepting connections")


def _unacknowledged(sock: socket.socket) -> int:
    """Bytes sent but not yet acknowledged by the peer (Linux SIOCOUTQ)."""
    try:
        raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
    except OSError:
        return 0
    return int(struct.unpack("i", raw)[0])
