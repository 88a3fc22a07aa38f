"""The parcel's weight at receiving: the scale named in settings (``scale.uri``), read off
the UI thread; with no scale the clerk types the weight (Alt+W). A mixin of
``ReceivingView`` (it needs ``flow``, ``shell``, ``parcel``, ``scale``)."""

from __future__ import annotations

from typing import Any

from station.core.errors import DeviceError
from ui.bridge import Level, Message
from ui.errors import show_error
from ui.scale import ScaleReader, parse_scale_uri


class ScaleActions:
    scale: ScaleReader | None

    def _open_scale(self: Any, uri: str) -> None:
        if not uri:
            return
        try:
            self.scale = ScaleReader(parse_scale_uri(uri), self)
        except Exception as exc:  # noqa: BLE001 - a bad scale setting must not stop receiving
            show_error(self.shell.bridge, exc)
            return
        self.scale.weighed.connect(self._weighed)
        self.scale.failed.connect(self._scale_failed)

    def weigh(self: Any, *, quiet: bool = False) -> None:
        """Ask the scale for a stable weight (off the UI thread); typed weights need no scale."""
        if self.scale is None:
            if not quiet:
                self.shell.bridge.show(Message(Level.INFO, self.tr("No scale configured"), "",
                                               self.tr("Type the weight in kg (Alt+W)."), code="no_scale"))
            return
        if self.flow.pending_code is not None and self.scale.read():
            self.parcel.scale_state.setText(self.tr("weighing…"))

    def _weighed(self: Any, grams: int) -> None:
        if self.flow.pending_code is not None:
            self.parcel.set_weight_g(grams)
            self.parcel.scale_state.setText(self.tr("from the scale"))

    def _scale_failed(self: Any, reason: str) -> None:
        self.parcel.scale_state.setText(self.tr("scale failed"))
        show_error(self.shell.bridge, DeviceError(f"Scale: {reason}.",
                                                  next_step=self.tr("Type the weight in kg (Alt+W), or press F2.")),
                   title=self.tr("Scale not read"))
