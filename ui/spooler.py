"""The print spooler: takes due jobs from the persistent queue and hands them to printers.

Plain Python, no Qt: the window runs ``Spooler.run_forever`` on a worker thread and shows
``PrintQueue.list_jobs()``; the CLI and tests call ``run_once``. This module is where labels
(rendering), drivers (printers) and station (the queue) meet, which is why it lives in ui/,
the composition root.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from drivers.printers import Printer, PrinterError, PrinterStatus, open_printer
from labels import Label, LabelSize, render_labels_pdf, render_labels_zpl
from station.supervision.printing import ClaimedJob, PrintQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpoolResult:
    printed: tuple[uuid.UUID, ...] = ()
    retrying: tuple[uuid.UUID, ...] = ()
    refused: tuple[uuid.UUID, ...] = ()


def format_for(printer_uri: str) -> str:
    """ZPL for a Zebra on port 9100, PDF for CUPS and folders unless ``?format=zpl``."""
    parts = urlsplit(printer_uri)
    wanted = parse_qs(parts.query).get("format", [""])[-1]
    if wanted in ("pdf", "zpl"):
        return wanted
    return "zpl" if parts.scheme == "tcp" else "pdf"


class Spooler:
    def __init__(
        self,
        queue: PrintQueue,
        *,
        printer_factory: Callable[[str], Printer] = open_printer,
        batch: int = 10,
    ) -> None:
        self.queue = queue
        self._printer_factory = printer_factory
        self._printers: dict[str, Printer] = {}
        self.batch = batch

    def printer(self, uri: str) -> Printer:
        if uri not in self._printers:
            self._printers[uri] = self._printer_factory(uri)
        return self._printers[uri]

    def submit_labels(
        self, labels: Sequence[Label], *, printer: str, size: str | LabelSize = "4x6in",
        dpi: int = 203, copies: int = 1, kind: str = "", subject: str = "",
    ) -> uuid.UUID:
        """Render ``labels`` for ``printer`` and queue them as one job (rendering errors are
        raised here, at the operator's action, not later in the background)."""
        fmt = format_for(printer)
        if fmt == "zpl":
            payload, job_copies = render_labels_zpl(labels, size, dpi=dpi, copies=copies), 1
        else:
            payload, job_copies = render_labels_pdf(labels, size, dpi=dpi), copies
        name = kind or type(labels[0]).__name__.removesuffix("Label").lower()
        return self.queue.enqueue(kind=name, printer=printer, fmt=fmt, payload=payload,
                                  copies=job_copies, subject=subject)

    def send(self, job: ClaimedJob) -> None:
        """Send one claimed job and record the outcome; never raises a printer error."""
        try:
            printer = self.printer(job.printer)
            if job.format == "zpl":
                reference = printer.print_zpl(job.payload)
            else:
                reference = printer.print_pdf(job.payload, job.copies)
        except PrinterError as exc:
            self.queue.mark_failed(job.id, str(exc), retryable=exc.retryable)
            raise
        self.queue.mark_printed(job.id)
        log.info("job %s printed on %s (%s)", job.id, job.printer, reference)

    def run_once(self) -> SpoolResult:
        """Send every job that is due now; a printer that failed is not tried again in the
        same pass (its other jobs wait for their own back-off)."""
        printed, retrying, refused = [], [], []
        down: set[str] = set()
        for job in self.queue.claim_due(self.batch):
            if job.printer in down:
                self.queue.mark_failed(job.id, f"Printer {job.printer}: offline in this pass.")
                retrying.append(job.id)
                continue
            try:
                self.send(job)
                printed.append(job.id)
            except PrinterError as exc:
                (retrying if exc.retryable else refused).append(job.id)
                if exc.retryable:
                    down.add(job.printer)
        return SpoolResult(tuple(printed), tuple(retrying), tuple(refused))

    def run_forever(self, stop: threading.Event, *, interval: float = 1.0) -> None:
        """Loop until ``stop`` is set (the window's worker thread calls this)."""
        recovered = self.queue.recover_interrupted()
        if recovered:
            log.warning("%d print jobs were interrupted and are queued again", recovered)
        while not stop.is_set():
            try:
                result = self.run_once()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("spooler pass failed")
                result = SpoolResult()
            if not result.printed:
                stop.wait(interval)

    def status(self, uri: str) -> PrinterStatus:
        try:
            return self.printer(uri).status()
        except PrinterError as exc:
            return PrinterStatus(uri, False, exc.reason)
