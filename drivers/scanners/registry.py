"""Scanner URIs: one string in settings names any scanner.

    wedge:?prefix=%02&suffix=&gap_ms=20&min_length=4&gs=F8&terminators=Return,Enter,Tab
    serial:///dev/ttyACM0?baud=9600&terminator=CR
    camera://0            camera:///var/lib/rma/test.avi        rtsp://cam1/stream
    http://10.0.0.9/video  evdev:///dev/input/event5

Backends are imported only when their URI is opened, so a station without the ``evdev``
extra still starts, and the error names what to install.
"""

from __future__ import annotations

import importlib
import logging
from urllib.parse import parse_qs, unquote, urlsplit

from drivers.scanners.errors import ScannerBackendMissing, ScannerURIError
from drivers.scanners.source import ScanSource

log = logging.getLogger(__name__)

_TERMINATOR_BYTES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "ETX": b"\x03"}
KINDS = ("wedge", "serial", "camera", "rtsp", "http", "https", "evdev")


def _opts(query: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _number(opts: dict[str, str], key: str, default: float, uri: str) -> float:
    try:
        return float(opts.get(key, default))
    except ValueError:
        raise ScannerURIError(f"{key}={opts[key]!r} in {uri} is not a number") from None


def open_scanner(uri: str) -> ScanSource:
    """A (not yet started) scanner source for ``uri``."""
    parts = urlsplit(uri)
    kind = parts.scheme.lower()
    opts = _opts(parts.query)
    if kind == "wedge":
        from drivers.scanners.wedge import WedgeConfig
        from drivers.scanners.wedge_source import WedgeSource

        cfg = WedgeConfig(
            max_gap_s=_number(opts, "gap_ms", 20, uri) / 1000,
            min_length=int(_number(opts, "min_length", 4, uri)),
            prefix=unquote(opts.get("prefix", "")),
            suffix=unquote(opts.get("suffix", "")),
            terminators=frozenset(t for t in opts.get("terminators", "Return,Enter,Tab").split(",") if t),
            require_terminator=opts.get("require_terminator", "1") not in ("0", "false", "no"),
            group_separator=tuple(opts["gs"].split(",")) if opts.get("gs") else ("\x1d",),
        )
        return WedgeSource(cfg, name=uri)
    if kind == "serial":
        module = _backend("drivers.scanners.serial_scanner", "serial", "pyserial")
        port = parts.path or parts.netloc
        if not port:
            raise ScannerURIError(f"{uri} names no port; write serial:///dev/ttyACM0?baud=9600")
        term = opts.get("terminator", "CRLF").upper()
        if term not in _TERMINATOR_BYTES:
            raise ScannerURIError(f"terminator={term} in {uri}; use one of {', '.join(_TERMINATOR_BYTES)}")
        return module.SerialScanner(
            port, baud=int(_number(opts, "baud", 9600, uri)), terminators=_TERMINATOR_BYTES[term],
            prefix=unquote(opts.get("prefix", "")).encode("latin-1"),
            suffix=unquote(opts.get("suffix", "")).encode("latin-1"), name=uri,
        )
    if kind in ("camera", "rtsp", "http", "https"):
        _backend("cv2", "camera", "opencv-python-headless")
        module = _backend("drivers.scanners.camera", "camera", "opencv-python-headless")
        target: int | str
        if kind == "camera":
            target = int(parts.netloc) if parts.netloc.isdigit() else unquote(parts.path)
            if target == "":
                raise ScannerURIError(f"{uri} names no camera; write camera://0 or camera:///path/video.avi")
        else:
            target = uri.split("?")[0] if kind != "rtsp" else uri
        return module.CameraScanner(target, name=uri, hold_off_s=_number(opts, "hold_off", 2.0, uri))
    if kind == "evdev":
        module = _backend("drivers.scanners.evdev_scanner", "evdev", "evdev", extra="evdev")
        _backend("evdev", "evdev", "evdev", extra="evdev")
        if not parts.path:
            raise ScannerURIError(f"{uri} names no device; write evdev:///dev/input/event5")
        return module.EvdevScanner(parts.path, name=uri)
    raise ScannerURIError(f"unknown scanner {uri!r}: it should start with one of {', '.join(k + ':' for k in KINDS)}")


def _backend(module: str, kind: str, package: str, extra: str | None = None):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] == module.split(".")[0] and module.startswith("drivers"):
            raise
        raise ScannerBackendMissing(kind, package, extra) from exc
