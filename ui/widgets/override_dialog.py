"""Grade override: a new grade and a reason; the service checks the operator's role."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from station.models import Grade
from ui.widgets.supervisor_signoff import SupervisorSignoffDialog


class OverrideDialog(SupervisorSignoffDialog):
    def __init__(self, lpn: str, current: Grade, computed: Grade, parent: QWidget | None = None) -> None:
        super().__init__(parent, reason_name="overrideReason")
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("Override grade of %1").replace("%1", lpn))
        self.grade = QComboBox(self)
        for grade in Grade:
            self.grade.addItem(grade.value, grade)
        self.grade.setCurrentIndex(list(Grade).index(current))
        self.form.addRow(QLabel(self.tr("Computed grade: %1. Raising it needs a supervisor.").replace(
            "%1", computed.value), self))
        self.form.addRow(self.tr("New grade"), self.grade)
        self.add_signoff_rows(self.tr("To raise a grade, a supervisor scans their badge and enters their PIN:"))

    def chosen(self) -> tuple[Grade, str]:
        return Grade(self.grade.currentData()), self.reason.text()

    def supervisor(self) -> tuple[str, str] | None:
        """Badge and PIN of a supervisor who approves on the spot, if one was given."""
        badge = self.badge.text().strip()
        return (badge, self.pin.text()) if badge else None
