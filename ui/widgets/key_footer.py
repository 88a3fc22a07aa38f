"""The line of key hints under a view, made from the one table of bindings (``ui.keymap``)
that also makes docs/ui.md's keys table, so the footer never says a key the view ignores."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.keymap import footer


class KeyFooter(QLabel):
    def __init__(self, where: str, chinese: bool, parent: QWidget | None = None) -> None:
        super().__init__(footer(where, chinese), parent)
        self.where, self.chinese = where, chinese
        self.setObjectName("keys")
        self.setWordWrap(True)

    def show_page(self, page: str) -> None:
        """Only the keys that work on ``page`` (a view with pages; ``""``: all of them)."""
        self.setText(footer(self.where, self.chinese, page))
