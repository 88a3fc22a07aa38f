"""A folder that stands in for a printer (``file:///var/spool/labels``).

Useful at a desk without a printer, for a hot-folder print server, and in tests. Files are
written under a temporary name and renamed, so a watcher never picks up half a job.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from pathlib import Path

from drivers.printers.base import Printer, PrinterStatus
from drivers.printers.errors import PrinterOffline

log = logging.getLogger(__name__)

_counter = itertools.count(1)


class FolderPrinter(Printer):
    def __init__(self, uri: str, folder: Path) -> None:
        super().__init__(uri)
        self.folder = folder

    def _send(self, data: bytes, fmt: str, copies: int) -> str:
        if not self.folder.is_dir():
            raise PrinterOffline(self.uri, f"folder {self.folder} does not exist.")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        suffix = f"-x{copies}" if copies > 1 else ""
        name = f"{stamp}-{os.getpid()}-{next(_counter):04d}{suffix}.{fmt}"
        tmp = self.folder / f".{name}.part"
        try:
            tmp.write_bytes(data)
            tmp.replace(self.folder / name)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise PrinterOffline(self.uri, f"cannot write to {self.folder} ({exc.strerror}).") from None
        log.info("wrote %s (%d bytes)", name, len(data))
        return name

    def status(self) -> PrinterStatus:
        if not self.folder.is_dir():
            return PrinterStatus(self.uri, False, f"folder {self.folder} does not exist")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(self.uri, False, f"folder {self.folder} is not writable")
        return PrinterStatus(self.uri, True, f"writing to {self.folder}")
