"""The printer drivers' own errors (drivers/ knows nothing of the station's error tree).

Each names the printer, so the operator reads "Printer tcp://10.0.0.5:9100 is offline",
not a socket errno. ``PrinterOffline`` is worth retrying; ``PrinterRejected`` is not (the job
itself is wrong for this printer, e.g. a PDF sent to a ZPL-only device).
"""

from __future__ import annotations


class PrinterError(Exception):
    """A printer could not take a job."""

    retryable = True

    def __init__(self, printer: str, message: str) -> None:
        super().__init__(f"Printer {printer}: {message}")
        self.printer = printer
        self.reason = message


class PrinterOffline(PrinterError):
    """Unreachable, timed out, or the queue is stopped: try again later."""


class PrinterRejected(PrinterError):
    """The printer (or its queue) refused this job; retrying the same bytes will not help."""

    retryable = False


class BadPrinterUri(PrinterError):
    """A printer URI that names no known backend or is malformed."""

    retryable = False
