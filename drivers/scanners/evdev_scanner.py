"""Linux evdev scanners, grabbed exclusively (optional extra ``evdev``).

Grabbing the scanner's event device keeps its keys out of every window, so nothing it
types can land in a text field; the key codes are translated to key tokens and assembled
with the same ``WedgeAssembler`` as a wedge (a grabbed device only ever types scans, so
gaps and terminators still split codes).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from drivers.scanners.errors import ScannerBackendMissing, ScannerUnavailable
from drivers.scanners.source import ScanSource
from drivers.scanners.wedge import ENTER, RETURN, TAB, WedgeAssembler, WedgeConfig

log = logging.getLogger(__name__)

_NAMED = {"KEY_ENTER": RETURN, "KEY_KPENTER": ENTER, "KEY_TAB": TAB}
_SHIFTED = {"1": "!", "2": "@", "3": "#", "4": "$", "5": "%", "6": "^", "7": "&", "8": "*", "9": "(", "0": ")",
            "-": "_", "=": "+", "[": "{", "]": "}", ";": ":", "'": '"', ",": "<", ".": ">", "/": "?", "\\": "|"}
_PLAIN = {"MINUS": "-", "EQUAL": "=", "LEFTBRACE": "[", "RIGHTBRACE": "]", "SEMICOLON": ";",
          "APOSTROPHE": "'", "COMMA": ",", "DOT": ".", "SLASH": "/", "BACKSLASH": "\\", "SPACE": " "}


def key_token(keyname: str, shift: bool, ctrl: bool) -> str | None:
    """The wedge token for an evdev key name (``KEY_A`` with shift -> ``"A"``)."""
    if keyname in _NAMED:
        return _NAMED[keyname]
    name = keyname.removeprefix("KEY_")
    char = _PLAIN.get(name, name.lower() if len(name) == 1 else None)
    if char is None:
        return name if name.startswith("F") and name[1:].isdigit() else None
    if ctrl and char == "]":
        return "\x1d"
    if shift:
        return char.upper() if char.isalpha() else _SHIFTED.get(char, char)
    return char


class EvdevScanner(ScanSource):
    def __init__(self, device: str, *, config: WedgeConfig | None = None, name: str | None = None) -> None:
        super().__init__(name or f"evdev://{device}")
        self.device_path = device
        self.assembler = WedgeAssembler(config or WedgeConfig(require_terminator=False), source=self.name)
        self._stop = threading.Event()

    def _open(self) -> None:
        try:
            import evdev
        except ImportError as exc:
            raise ScannerBackendMissing("evdev", "evdev", extra="evdev") from exc
        try:
            self._device: Any = evdev.InputDevice(self.device_path)
            self._device.grab()
        except OSError as exc:
            raise ScannerUnavailable(
                f"scanner event device {self.device_path} cannot be grabbed ({exc.strerror}); "
                "check the path and that this user may read /dev/input"
            ) from exc
        self._ecodes = evdev.ecodes
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def _close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        try:
            self._device.ungrab()
        finally:
            self._device.close()

    def _loop(self) -> None:  # pragma: no cover - needs /dev/input
        import select

        shift = ctrl = False
        while not self._stop.is_set():
            ready, _, _ = select.select([self._device.fd], [], [], 0.05)
            if not ready:
                for scan in self.assembler.poll(time.time()).scans:
                    self._emit(scan)
                continue
            for event in self._device.read():
                if event.type != self._ecodes.EV_KEY:
                    continue
                name = self._ecodes.KEY.get(event.code, "")
                name = name[0] if isinstance(name, list) else name
                if name in ("KEY_LEFTSHIFT", "KEY_RIGHTSHIFT"):
                    shift = event.value != 0
                elif name in ("KEY_LEFTCTRL", "KEY_RIGHTCTRL"):
                    ctrl = event.value != 0
                elif event.value == 1:
                    token = key_token(name, shift, ctrl)
                    if token is not None:
                        for scan in self.assembler.feed(token, event.timestamp()).scans:
                            self._emit(scan)
