"""The frame every scanning view shares: the prompt and the typed-code field on one row, the
banner below, the same margins, so receiving and inspection read alike at arm's length.
The views pass their own translated words (``tr()`` belongs to the view)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


def scan_view_layout(view: QWidget, prompt: QWidget, code: QWidget, banner: QWidget) -> QVBoxLayout:
    """Lay out the header of ``view`` and return its layout for the view's own content."""
    top = QHBoxLayout()
    top.addWidget(prompt, 1)
    top.addWidget(code, 1)
    layout = QVBoxLayout(view)
    layout.setContentsMargins(24, 18, 24, 12)
    layout.setSpacing(12)
    layout.addLayout(top)
    layout.addWidget(banner)
    return layout


def scan_prompt(view: QWidget, prompt: str, placeholder: str, max_length: int) -> tuple[QLabel, QLineEdit]:
    """The prompt saying what to scan, and the field to type the code in when a label will not scan."""
    label = QLabel(prompt, view)
    label.setObjectName("prompt")
    code = QLineEdit(view)
    code.setObjectName("codeEntry")
    code.setPlaceholderText(placeholder)
    code.setMaxLength(max_length)
    return label, code
