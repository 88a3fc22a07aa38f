"""Where a scan goes while a dialog is open: the dialog, never the work behind it.

The main window classifies a scan once and asks ``dialog_in_front`` what is in front of
the active view. A dialog that can use a scan (the override dialog takes a supervisor's
badge) implements ``take_scan``; anything it cannot use is refused with a banner and
changes nothing, so the unit, card or RMA behind a dialog stays the one the dialog was
opened for. A dialog without ``take_scan`` (a file dialog) refuses every scan.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QApplication, QWidget

from station.scanning.classify import ScanMeaning


@runtime_checkable
class TakesScans(Protocol):
    def take_scan(self, meaning: ScanMeaning) -> bool:
        """Use the scan and return True, or return False (the window refuses it)."""


class RefusesScans:
    """Stands for a dialog that can use no scan (the photo file dialog) while it is open."""

    def __init__(self, name: str) -> None:
        self.name = name

    def take_scan(self, meaning: ScanMeaning) -> bool:
        return False


def dialog_in_front(view: QWidget) -> TakesScans | None:
    """The dialog in front of ``view``: the one it says it has open, else Qt's modal widget."""
    opened = getattr(view, "open_dialog", None)
    if opened is not None:
        return opened
    modal = QApplication.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal if isinstance(modal, TakesScans) else RefusesScans(modal.windowTitle())
    return None
