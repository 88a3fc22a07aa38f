"""Printers named by URI, resolved to a backend that is imported only when used.

- ``tcp://HOST[:9100][?timeout=5]`` raw ZPL to a Zebra (or compatible) on port 9100
- ``cups://QUEUE[?timeout=30]`` or ``cups://SERVER/QUEUE`` a CUPS queue through ``lp``
- ``file:///PATH/TO/FOLDER`` a folder sink
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from drivers.printers.base import Printer
from drivers.printers.errors import BadPrinterUri

log = logging.getLogger(__name__)

SCHEMES = {
    "tcp": "drivers.printers.tcp9100",
    "cups": "drivers.printers.cups",
    "file": "drivers.printers.folder",
}


def open_printer(uri: str) -> Printer:
    """The printer named by ``uri``; raises ``BadPrinterUri`` naming what is wrong."""
    parts = urlsplit(uri.strip())
    if parts.scheme not in SCHEMES:
        raise BadPrinterUri(uri, f"unknown kind {parts.scheme!r}; use tcp://, cups:// or file://.")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        timeout = float(query["timeout"]) if "timeout" in query else None
    except ValueError:
        raise BadPrinterUri(uri, f"timeout {query['timeout']!r} is not a number.") from None
    module = importlib.import_module(SCHEMES[parts.scheme])
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise BadPrinterUri(uri, "needs a host, e.g. tcp://10.0.0.5:9100.")
        try:
            port = parts.port or module.DEFAULT_PORT
        except ValueError:
            raise BadPrinterUri(uri, "the port is not a number.") from None
        return module.TcpPrinter(uri, parts.hostname, port, timeout=timeout or 5.0)  # type: ignore[no-any-return]
    if parts.scheme == "cups":
        path = unquote(parts.path).strip("/")
        queue, server = (path, parts.netloc) if path else (unquote(parts.netloc), None)
        if not queue:
            raise BadPrinterUri(uri, "needs a queue name, e.g. cups://Zebra_GK420.")
        return module.CupsPrinter(uri, queue, timeout=timeout or 30.0, server=server)  # type: ignore[no-any-return]
    folder = unquote(parts.path)
    if parts.netloc not in ("", "localhost") or not folder:
        raise BadPrinterUri(uri, "needs a local folder, e.g. file:///var/spool/labels.")
    return module.FolderPrinter(uri, Path(folder))  # type: ignore[no-any-return]
