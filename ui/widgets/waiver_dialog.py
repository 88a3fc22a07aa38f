"""Waive a required photo: a supervisor's badge, PIN and the reason (no camera works).

A badge scanned while the dialog is open fills its badge field (``take_scan``); the main
window refuses every other scan, so the unit behind the dialog cannot change.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from station.scanning import ScanKind, ScanMeaning


class WaiverDialog(QDialog):
    def __init__(self, lpn: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waiverDialog")
        self.setWindowTitle(self.tr("Finish %1 without a photo").replace("%1", lpn))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("waiverReason")
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
        form.addRow(QLabel(self.tr("“%1” failed and needs a photo, and no camera works.").replace("%1", question), self))
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(QLabel(self.tr("A supervisor scans their badge and enters their PIN:"), self))
        form.addRow(self.tr("Supervisor badge"), self.badge)
        form.addRow(self.tr("Supervisor PIN"), self.pin)
        form.addRow(buttons)
        self.reason.setFocus()

    def take_scan(self, meaning: ScanMeaning) -> bool:
        if meaning.kind is not ScanKind.BADGE:
            return False
        self.badge.setText(meaning.value)
        self.pin.clear()
        self.pin.setFocus()
        return True

    def supervisor(self) -> tuple[str, str]:
        return self.badge.text().strip(), self.pin.text()
