"""Settle one sync conflict at the desk: keep central's version or this station's, with a note.

Keyboard-complete: C keeps central's version, S the station's; the note is optional; Enter
settles, Esc leaves it open. The station service (``SyncConflictService.resolve``) checks
the supervisor's role, audits, and changes central.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)


class ConflictDialog(QDialog):
    def __init__(self, conflict_id: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Settle sync conflict #%1").replace("%1", conflict_id))
        about = QLabel(reason, self)
        about.setWordWrap(True)
        self.central = QRadioButton(self.tr("&Central's version (what the other station wrote)"), self)
        self.station = QRadioButton(self.tr("&Station's version (what was held back)"), self)
        self.central.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.central)
        group.addButton(self.station)
        self.note = QLineEdit(self)
        self.note.setObjectName("conflictNote")
        self.note.setMaxLength(500)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(about)
        form.addRow(self.tr("Keep"), self.central)
        form.addRow("", self.station)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(buttons)
        self.note.setFocus()

    def keep(self) -> str:
        return "station" if self.station.isChecked() else "central"
