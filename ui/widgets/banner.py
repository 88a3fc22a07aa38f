"""The coloured banner at the top of each view: what just happened and what to do next.

Calm colours with strong contrast: green for done, blue for information, amber for "look at
this", red for "stop". The headline is big enough to read from a step away; the next step
is always on its own line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.bridge import Level, Message

COLOURS = {
    Level.OK: ("#e6f4ea", "#1e7b34", "#0d3d1a"),
    Level.INFO: ("#e8f0fb", "#2d5fa8", "#142c52"),
    Level.WARNING: ("#fff4d6", "#b27b00", "#4d3500"),
    Level.ERROR: ("#fde8e6", "#c0392b", "#5c130b"),
}


class Banner(QFrame):
    """``compact`` for a desk tab: a smaller headline and margins, so that the longest banner
    leaves the tab's list and its buttons on a 1280 x 800 screen (at the full size a three-line
    banner pushed the dashboard's alert buttons out of the window)."""

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.compact = compact
        self.message: Message | None = None
        self.title = QLabel(self)
        self.title.setObjectName("bannerTitle")
        self.text = QLabel(self)
        self.next_step = QLabel(self)
        self.next_step.setObjectName("bannerNext")
        for label in (self.title, self.text, self.next_step):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*((14, 6, 14, 6) if compact else (20, 14, 20, 14)))
        layout.setSpacing(2 if compact else 4)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.next_step)
        self.setVisible(False)

    def show_message(self, message: Message) -> None:
        self.message = message
        bg, border, fg = COLOURS[message.level]
        self.setStyleSheet(
            f"QFrame#banner {{ background: {bg}; border: 2px solid {border}; border-left: 12px solid {border};"
            f" border-radius: 6px; }} QLabel {{ color: {fg}; background: transparent; }}"
            f" QLabel#bannerTitle {{ font-size: {15 if self.compact else 22}pt; font-weight: 600; }}"
            f" QLabel#bannerNext {{ font-weight: 600; }}"
        )
        self.title.setText(message.title)
        self.text.setText(message.text)
        self.text.setVisible(bool(message.text))
        self.next_step.setText(("→ " + message.next_step) if message.next_step else "")
        self.next_step.setVisible(bool(message.next_step))
        self.setVisible(True)

    def clear(self) -> None:
        self.message = None
        self.setVisible(False)
