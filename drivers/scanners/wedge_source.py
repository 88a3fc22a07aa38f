"""The wedge scanner as a ``ScanSource``: the UI's key filter feeds it, it emits scans.

A wedge has no device to open: the keys come through the window system. The Qt filter in
ui/ calls ``feed``/``poll`` and replays the returned keys; scans go out through the
source's queue and callbacks like every other scanner's.
"""

from __future__ import annotations

import logging

from drivers.scanners.source import ScanSource
from drivers.scanners.wedge import WedgeAssembler, WedgeConfig

log = logging.getLogger(__name__)


class WedgeSource(ScanSource):
    def __init__(self, config: WedgeConfig | None = None, *, name: str = "wedge:") -> None:
        super().__init__(name)
        self.assembler = WedgeAssembler(config, source=name)

    def feed(self, key: str, at: float) -> tuple[str, ...]:
        """Feed one key press; returns the keys to hand back to the focused widget."""
        out = self.assembler.feed(key, at)
        for scan in out.scans:
            self._emit(scan)
        return out.typed

    def poll(self, now: float) -> tuple[str, ...]:
        out = self.assembler.poll(now)
        for scan in out.scans:
            self._emit(scan)
        return out.typed

    def next_deadline(self) -> float | None:
        return self.assembler.next_deadline()
