"""The desk's Ctrl keys win over a text field's own editing keys.

A ``QLineEdit`` on X11 takes Ctrl+E (end of line), Ctrl+K (delete to end), Ctrl+D (delete
character) and others for itself, before any ``QShortcut`` of the view sees them: a supervisor
who typed the credited amount and pressed Ctrl+E ("Credited") only moved the cursor, and the
claim was settled once the field had lost focus. Fields under a desk view give these keys up.

And a kiosk without a window manager has no active window, so Qt fires no shortcut at all:
the window's key filter fires the view's own (``fire_shortcut_without_active_window``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


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


def fire_shortcut_without_active_window(view: QWidget, event: QKeyEvent) -> bool:
    """A view's ``QShortcut`` for ``event``, fired by hand when Qt has no active window.

    Qt matches shortcuts only for the active window, and a kiosk without a window manager
    never has one (X gives the keys to the window under the pointer, and Qt ignores that
    focus): every Ctrl key of the desk (Ctrl+M, Ctrl+N, Ctrl+P ...) did nothing there. The
    window's key filter asks here; the shortcut's own context is honoured against the focus
    child the window still remembers. Returns whether a shortcut fired."""
    if QApplication.activeWindow() is not None:
        return False  # Qt's own shortcut map does it
    window = view.window()
    focus = window.focusWidget() or window
    pressed = QKeySequence(event.keyCombination())
    for shortcut in view.findChildren(QShortcut):
        owner = shortcut.parent()
        if not shortcut.isEnabled() or not isinstance(owner, QWidget) or not owner.isVisible():
            continue
        if shortcut.key().matches(pressed) != QKeySequence.SequenceMatch.ExactMatch:
            continue
        context = shortcut.context()
        if context == Qt.ShortcutContext.WidgetShortcut and focus is not owner:
            continue
        if context == Qt.ShortcutContext.WidgetWithChildrenShortcut and not (
                focus is owner or owner.isAncestorOf(focus)):
            continue
        shortcut.activated.emit()
        return True
    return False
