"""The one printer interface every backend implements.

Like python-escpos, the protocol lives here and backends only move bytes: ``print_pdf``
and ``print_zpl`` take rendered bytes (the labels package makes them) and return when the
device or spooler has accepted the whole job, or raise a ``PrinterError``. A call that
returns means "accepted"; the print queue records a job as printed only then.
"""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass

from drivers.printers.errors import PrinterRejected

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrinterStatus:
    """What the operator sees next to a printer: ``online`` and a short human ``detail``."""

    uri: str
    online: bool
    detail: str = ""


class Printer(abc.ABC):
    """A label or sheet printer named by ``uri``."""

    #: Formats this backend can take ("pdf", "zpl").
    formats: tuple[str, ...] = ("pdf", "zpl")

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def print_pdf(self, data: bytes, copies: int = 1) -> str:
        """Send a PDF; returns a job reference (spooler id or file name)."""
        self._check("pdf", data)
        if not 1 <= copies <= 999:
            raise PrinterRejected(self.uri, f"{copies} copies is out of range (1-999).")
        return self._send(data, "pdf", copies)

    def print_zpl(self, data: bytes) -> str:
        """Send ZPL (copies are already in the ZPL); returns a job reference."""
        self._check("zpl", data)
        if b"^XA" not in data[:64].upper():
            raise PrinterRejected(self.uri, "the job is not ZPL (no ^XA at its start).")
        return self._send(data, "zpl", 1)

    def _check(self, fmt: str, data: bytes) -> None:
        if fmt not in self.formats:
            raise PrinterRejected(self.uri, f"takes {' or '.join(self.formats).upper()}, not {fmt.upper()}.")
        if not data:
            raise PrinterRejected(self.uri, "the job is empty.")

    @abc.abstractmethod
    def _send(self, data: bytes, fmt: str, copies: int) -> str:
        """Move the bytes to the device; raise ``PrinterOffline`` if it is not reachable."""

    @abc.abstractmethod
    def status(self) -> PrinterStatus:
        """Is the printer reachable right now (never raises)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.uri}>"
