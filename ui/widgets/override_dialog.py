"""Grade override: a new grade and a reason; the service checks the operator's role."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from station.models import Grade
from station.scanning import ScanKind, ScanMeaning


class OverrideDialog(QDialog):
    def __init__(self, lpn: str, current: Grade, computed: Grade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("Override grade of %1").replace("%1", lpn))
        self.grade = QComboBox(self)
        for grade in Grade:
            self.grade.addItem(grade.value, grade)
        self.grade.setCurrentIndex(list(Grade).index(current))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("overrideReason")
        self.reason.setMaxLength(500)
        self.badge = QLineEdit(self)
        self.badge.setObjectName("supervisorBadge")
        self.badge.setMaxLength(64)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("supervisorPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Computed grade: %1. Raising it needs a supervisor.").replace(
            "%1", computed.value), self))
        form.addRow(self.tr("New grade"), self.grade)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(QLabel(self.tr("To raise a grade, a supervisor scans their badge and enters their PIN:"), self))
        form.addRow(self.tr("Supervisor badge"), self.badge)
        form.addRow(self.tr("Supervisor PIN"), self.pin)
        form.addRow(buttons)
        self.reason.setFocus()

    def take_scan(self, meaning: ScanMeaning) -> bool:
        """A supervisor's badge scanned while the dialog is open fills the badge field and
        moves to the PIN; any other scan is not for this dialog (the window refuses it)."""
        if meaning.kind is not ScanKind.BADGE:
            return False
        self.badge.setText(meaning.value)
        self.pin.clear()
        self.pin.setFocus()
        return True

    def chosen(self) -> tuple[Grade, str]:
        return Grade(self.grade.currentData()), self.reason.text()

    def supervisor(self) -> tuple[str, str] | None:
        """Badge and PIN of a supervisor who approves on the spot, if one was given."""
        badge = self.badge.text().strip()
        return (badge, self.pin.text()) if badge else None
