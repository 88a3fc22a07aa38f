"""System printers through CUPS, with the ``lp`` and ``lpstat`` commands.

``lp`` rather than pycups: no compiled dependency, and it is what an administrator would
type to check a queue by hand. A PDF goes to the queue's driver; ZPL goes with ``-o raw``
to a queue whose device is the label printer. ``lp`` returning "request id is Q-12" means
CUPS has spooled the whole file; printing then continues in CUPS, which retries on its own.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

from drivers.printers.base import Printer, PrinterStatus
from drivers.printers.errors import PrinterOffline, PrinterRejected

log = logging.getLogger(__name__)

_REQUEST = re.compile(r"request id is (\S+)")


class CupsPrinter(Printer):
    def __init__(self, uri: str, queue: str, *, timeout: float = 30.0, server: str | None = None) -> None:
        super().__init__(uri)
        self.queue = queue
        self.timeout = timeout
        self.server = server

    def _run(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        if shutil.which(args[0]) is None:
            raise PrinterOffline(self.uri, f"the {args[0]!r} command is missing (install cups-client).")
        if self.server:
            args = [args[0], "-h", self.server, *args[1:]]
        try:
            return subprocess.run(args, input=data, capture_output=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PrinterOffline(self.uri, f"{args[0]} did not answer within {self.timeout:g} s.") from None

    def _send(self, data: bytes, fmt: str, copies: int) -> str:
        args = ["lp", "-d", self.queue, "-n", str(copies), "-t", f"rma-station {fmt}"]
        if fmt == "zpl":
            args += ["-o", "raw"]
        done = self._run(args + ["-"], data)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        match = _REQUEST.search(out)
        if done.returncode != 0 or not match:
            text = out.strip() or f"lp exited with {done.returncode}"
            if "does not exist" in text or "Unknown destination" in text:
                raise PrinterRejected(self.uri, f"no CUPS queue {self.queue!r} ({text}).")
            raise PrinterOffline(self.uri, text)
        log.info("CUPS accepted %s job %s", fmt, match.group(1))
        return match.group(1)

    def status(self) -> PrinterStatus:
        try:
            done = self._run(["lpstat", "-p", self.queue])
        except PrinterOffline as exc:
            return PrinterStatus(self.uri, False, exc.reason)
        text = (done.stdout + done.stderr).decode(errors="replace").strip()
        if done.returncode != 0 or "disabled" in text:
            return PrinterStatus(self.uri, False, text or "CUPS did not answer")
        return PrinterStatus(self.uri, True, text.splitlines()[0] if text else "enabled")
