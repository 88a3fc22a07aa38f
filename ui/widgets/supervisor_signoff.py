"""What the grade-override and photo-waiver dialogs share: a reason, a supervisor's badge and
PIN, OK/Cancel, and the badge scan routed into the badge field.

A badge scanned while such a dialog is open fills its badge field (``take_scan``); the main
window refuses every other scan, so the unit behind the dialog cannot change. The words are
translated in their own context ("SupervisorSignoff"): ``self.tr`` in a base class would be
looked up under the subclass's name at run time and miss.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from station.scanning.classify import ScanKind, ScanMeaning


class SupervisorSignoffDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, reason_name: str) -> None:
        super().__init__(parent)
        self.reason = QLineEdit(self)
        self.reason.setObjectName(reason_name)
        self.reason.setMaxLength(500)
        self.badge = QLineEdit(self)
        self.badge.setObjectName("supervisorBadge")
        self.badge.setMaxLength(64)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("supervisorPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)

    def add_signoff_rows(self, prompt: str) -> None:
        """The reason, the supervisor's prompt, badge and PIN, and the buttons, in that order."""
        self.form.addRow(QCoreApplication.translate("SupervisorSignoff", "Reason"), self.reason)
        self.form.addRow(QLabel(prompt, self))
        self.form.addRow(QCoreApplication.translate("SupervisorSignoff", "Supervisor badge"), self.badge)
        self.form.addRow(QCoreApplication.translate("SupervisorSignoff", "Supervisor PIN"), self.pin)
        self.form.addRow(self.buttons)
        self.reason.setFocus()

    def take_scan(self, meaning: ScanMeaning) -> bool:
        """A supervisor's badge fills the badge field and moves to the PIN; any other scan is
        not for this dialog (the window refuses it)."""
        if meaning.kind is not ScanKind.BADGE:
            return False
        self.badge.setText(meaning.value)
        self.pin.clear()
        self.pin.setFocus()
        return True
