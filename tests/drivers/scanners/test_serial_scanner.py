"""Serial/CDC scanners, through a real pseudo-terminal pair."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from drivers.scanners import ScannerUnavailable, open_scanner
from drivers.scanners.serial_scanner import FakeSerialScanner, SerialScanner


@pytest.fixture
def fake() -> Iterator[FakeSerialScanner]:
    device = FakeSerialScanner()
    yield device
    device.close()


def test_codes_written_on_the_port_arrive_as_scans(fake: FakeSerialScanner) -> None:
    with open_scanner(f"serial://{fake.port}?baud=9600") as scanner:
        fake.scan("RMA000012344")
        fake.scan("0109501101530003\x1d10AB12")
        scans = [scanner.read(timeout=2), scanner.read(timeout=2)]
    assert [s.text for s in scans if s] == ["RMA000012344", "0109501101530003\x1d10AB12"]
    assert all(s is not None and s.source.startswith("serial://") for s in scans)


def test_scanner_without_suffix_is_delivered_after_a_quiet_line(fake: FakeSerialScanner) -> None:
    scanner = SerialScanner(fake.port, frame_timeout_s=0.1)
    with scanner:
        fake.write_raw(b"EMP12345")
        scan = scanner.read(timeout=2)
    assert scan is not None and scan.text == "EMP12345"


def test_prefix_and_suffix_are_stripped_and_callbacks_fire() -> None:
    device = FakeSerialScanner(prefix=b"\x02", suffix=b"\x03", terminator=b"\r")
    seen: list[str] = []
    try:
        scanner = SerialScanner(device.port, prefix=b"\x02", suffix=b"\x03", terminators=b"\r")
        scanner.on_scan(lambda s: seen.append(s.text))
        with scanner:
            device.scan("LP001000000420")
            assert scanner.read(timeout=2) is not None
    finally:
        device.close()
    assert seen == ["LP001000000420"]


def test_stop_returns_promptly(fake: FakeSerialScanner) -> None:
    scanner = SerialScanner(fake.port)
    scanner.start()
    start = time.monotonic()
    scanner.stop()
    assert time.monotonic() - start < 1.0


def test_missing_port_says_which_port() -> None:
    with pytest.raises(ScannerUnavailable, match="/dev/ttyNOPE"):
        SerialScanner("/dev/ttyNOPE").start()
