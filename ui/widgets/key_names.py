"""A key press as ``ui.keymap`` names it: ``Return`` (keypad Enter too), ``Escape``,
``Shift+F7``, ``Alt+1``, ``P``. The one place a ``QKeyEvent`` becomes a table key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

_SPECIAL = {Qt.Key.Key_Return: "Return", Qt.Key.Key_Enter: "Return", Qt.Key.Key_Escape: "Escape",
            Qt.Key.Key_Backspace: "Backspace"}


def key_name(event: QKeyEvent) -> str:
    key = Qt.Key(event.key())
    name = _SPECIAL.get(key) or QKeySequence(key).toString()
    mods = event.modifiers()
    prefix = ""
    if mods & Qt.KeyboardModifier.AltModifier:
        prefix += "Alt+"
    if mods & Qt.KeyboardModifier.ShiftModifier and not (len(name) == 1 and not name.isalpha()) \
            and key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not name.isalpha():
        prefix += "Shift+"  # Shift+F7; a shifted letter or digit is still the letter
    return prefix + name
