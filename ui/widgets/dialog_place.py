"""Dialogs open below the banner that explains them.

A banner says why a dialog appears ("a supervisor must sign this off", "say why you reject").
On a kiosk with no window manager nothing places a new window: Qt centres a dialog over its
parent, and a tall dialog then covers the banner it follows, so the clerk reads the question
without its reason. This application event filter moves a dialog of the main window, as it is
shown, to just below the current view's visible banner (centred across the window); where the
screen is too short for that it keeps the dialog's bottom on the screen, covering as little of
the banner as it can.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import QDialog, QWidget

log = logging.getLogger(__name__)

GAP = 8  # pixels between the banner's bottom edge and the dialog


def below_banner(dialog: QRect, banner: QRect, window: QRect, screen: QRect) -> QPoint:
    """Where a dialog of ``dialog``'s size goes (global coordinates): top just under the banner,
    centred across the window, kept on the screen."""
    x = window.center().x() - dialog.width() // 2
    x = max(screen.left(), min(x, screen.right() - dialog.width() + 1))
    y = banner.bottom() + 1 + GAP
    y = max(screen.top(), min(y, screen.bottom() - dialog.height() + 1))
    return QPoint(x, y)


class DialogsBelowBanner(QObject):
    """Installed on the application; ``banner()`` gives the main window's visible banner, if any."""

    def __init__(self, window: QWidget, banner: Callable[[], QWidget | None]) -> None:
        super().__init__(window)
        self.window, self.banner = window, banner

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        parent = obj.parentWidget() if isinstance(obj, QDialog) else None
        if event.type() == QEvent.Type.Show and isinstance(obj, QDialog) and obj.isWindow() \
                and parent is not None and parent.window() is self.window:
            self.place(obj)
            # Again once it is up: a dialog can still grow in its first layout pass after Show.
            QTimer.singleShot(0, obj, lambda: self.place(obj))
        return False

    def place(self, dialog: QDialog) -> None:
        banner = self.banner()
        if banner is None or not banner.isVisible():
            return
        shown = QRect(banner.mapToGlobal(QPoint(0, 0)), banner.size())
        layout = dialog.layout()
        if layout is not None:
            layout.activate()  # the size it will show at, not the size before its layout ran
        frame = dialog.frameGeometry()
        if not frame.intersects(shown) and not dialog.property("belowBanner"):
            return
        screen = (dialog.screen() or self.window.screen()).availableGeometry()
        window = QRect(self.window.mapToGlobal(QPoint(0, 0)), self.window.size())
        dialog.move(below_banner(frame, shown, window, screen))
        dialog.setProperty("belowBanner", True)
        log.debug("dialog %s placed below the banner at %s", dialog.objectName(), dialog.pos())
