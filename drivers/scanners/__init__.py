"""Barcode scanners: every source yields ``Scan`` values; ``open_scanner(uri)`` builds one.

Sources: keyboard wedge (``wedge.WedgeAssembler``, fed by the UI's key filter), serial/CDC
(``serial_scanner``), evdev exclusive grab (``evdev_scanner``, optional extra), camera
(``camera`` + ``frame_decoder``). Still images: ``decoding.decode_image``. Fakes ship with
the drivers: ``wedge_sim``, ``serial_scanner.FakeSerialScanner``, ``fake_camera``.
"""

from drivers.scanners.errors import ScannerBackendMissing, ScannerError, ScannerUnavailable, ScannerURIError
from drivers.scanners.registry import open_scanner
from drivers.scanners.scan import UNKNOWN_SYMBOLOGY, Scan
from drivers.scanners.source import ScanSource

__all__ = [
    "Scan", "ScanSource", "UNKNOWN_SYMBOLOGY", "open_scanner",
    "ScannerError", "ScannerURIError", "ScannerBackendMissing", "ScannerUnavailable",
]
