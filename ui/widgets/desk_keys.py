"""The desk's Ctrl keys win over a text field's own editing keys.

A ``QLineEdit`` on X11 takes Ctrl+E (end of line), Ctrl+K (delete to end), Ctrl+D (delete
character) and others for itself, before any ``QShortcut`` of the view sees them: a supervisor
who typed the credited amount and pressed Ctrl+E ("Credited") only moved the cursor, and the
claim was settled once the field had lost focus. Fields under a desk view give these keys up.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget


class _YieldKeys(QObject):
    def __init__(self, keys: list[QKeySequence], parent: QObject) -> None:
        super().__init__(parent)
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch for key in self.keys):
                event.ignore()  # not taken by the field: the view's shortcut gets the key
                return True
        return False


def desk_keys_win(view: QWidget, keys: list[str]) -> None:
    """Every text field under ``view`` leaves ``keys`` (e.g. ``"Ctrl+E"``) to the view's shortcuts."""
    sequences = [QKeySequence(k) for k in keys]
    guard = _YieldKeys(sequences, view)
    for field in view.findChildren(QLineEdit):
        field.installEventFilter(guard)
