"""Scanner URIs from settings open the right source, or say what is wrong."""

from __future__ import annotations

import importlib.util

import pytest

from drivers.scanners import ScannerBackendMissing, ScannerURIError, open_scanner
from drivers.scanners.camera import CameraScanner
from drivers.scanners.serial_scanner import SerialScanner
from drivers.scanners.wedge_source import WedgeSource


def test_settings_uris_open_each_scanner_kind() -> None:
    serial = open_scanner("serial:///dev/ttyACM0?baud=19200&terminator=CR")
    assert isinstance(serial, SerialScanner) and serial.port == "/dev/ttyACM0" and serial.baud == 19200
    assert serial.terminators == b"\r"
    assert open_scanner("camera://0").target == 0
    assert open_scanner("camera:///var/lib/rma/test.avi").target == "/var/lib/rma/test.avi"
    assert isinstance(open_scanner("rtsp://cam1/stream"), CameraScanner)
    wedge = open_scanner("wedge:?prefix=%23&suffix=%24&gap_ms=15&gs=F8")
    assert isinstance(wedge, WedgeSource)
    cfg = wedge.assembler.config
    assert (cfg.prefix, cfg.suffix, cfg.max_gap_s, cfg.group_separator) == ("#", "$", 0.015, ("F8",))


def test_wedge_source_emits_scans_and_returns_typing() -> None:
    wedge = open_scanner("wedge:")
    handed_back = [wedge.feed(ch, 1 + i * 0.002) for i, ch in enumerate("EMP12345")]
    handed_back.append(wedge.feed("Return", 1.016))
    assert all(h == () for h in handed_back)
    scan = wedge.read(timeout=0)
    assert scan is not None and scan.text == "EMP12345" and scan.source == "wedge:"


@pytest.mark.parametrize("uri", ["foo://x", "serial://", "serial:///dev/x?terminator=NUL", "serial:///dev/x?baud=fast"])
def test_bad_uri_is_rejected_with_a_message(uri: str) -> None:
    with pytest.raises(ScannerURIError, match=r"\S"):
        open_scanner(uri)


@pytest.mark.skipif(importlib.util.find_spec("evdev") is not None, reason="evdev is installed here")
def test_evdev_without_the_extra_names_what_to_install() -> None:
    with pytest.raises(ScannerBackendMissing, match=r"rma-station\[evdev\]"):
        open_scanner("evdev:///dev/input/event5")
