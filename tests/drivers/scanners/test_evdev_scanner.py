"""evdev exclusive grab: key translation is testable anywhere; the device needs Linux input."""

from __future__ import annotations

import importlib.util
import os

import pytest

from drivers.scanners.evdev_scanner import key_token


def test_scanner_keys_translate_to_wedge_tokens() -> None:
    assert key_token("KEY_A", shift=True, ctrl=False) == "A"
    assert key_token("KEY_1", shift=False, ctrl=False) == "1"
    assert key_token("KEY_MINUS", shift=False, ctrl=False) == "-"
    assert key_token("KEY_KPENTER", shift=False, ctrl=False) == "Enter"
    assert key_token("KEY_RIGHTBRACE", shift=False, ctrl=True) == "\x1d"
    assert key_token("KEY_LEFTMETA", shift=False, ctrl=False) is None


@pytest.mark.skipif(importlib.util.find_spec("evdev") is None, reason="optional extra 'evdev' not installed")
@pytest.mark.skipif(not os.path.isdir("/dev/input"), reason="no /dev/input on this machine (no uinput to fake a device)")
def test_grabbed_device_opens() -> None:  # pragma: no cover - needs real input devices
    from drivers.scanners import ScannerUnavailable, open_scanner

    with pytest.raises(ScannerUnavailable):
        open_scanner("evdev:///dev/input/event999").start()
