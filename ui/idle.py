"""Auto-lock: any key or mouse press restarts the countdown; ``idle`` fires when it runs out.

Signals: ``idle()``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self.interval_ms = int(minutes * 60_000)
        self.timer.setInterval(max(1, self.interval_ms))

    def arm(self) -> None:
        if self.interval_ms > 0:
            self.timer.start()

    def disarm(self) -> None:
        self.timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def touch(self) -> None:
        """Activity that is not a key or mouse press (a serial or camera scan)."""
        if self.timer.isActive():
            self.timer.start()
