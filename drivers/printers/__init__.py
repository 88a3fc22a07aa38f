"""Printers behind one small interface: ``print_pdf(bytes, copies)``, ``print_zpl(bytes)``,
``status()``. Backends: CUPS (``cups://QUEUE``), raw TCP 9100 for ZPL (``tcp://host:9100``),
a folder sink (``file:///dir``), and ``FakeZebra``, a real TCP listener for tests and demos.
"""

from drivers.printers.base import Printer, PrinterStatus
from drivers.printers.errors import BadPrinterUri, PrinterError, PrinterOffline, PrinterRejected
from drivers.printers.fake import FakeZebra, free_port
from drivers.printers.registry import open_printer

__all__ = [
    "BadPrinterUri", "FakeZebra", "Printer", "PrinterError", "PrinterOffline", "PrinterRejected",
    "PrinterStatus", "free_port", "open_printer",
]
