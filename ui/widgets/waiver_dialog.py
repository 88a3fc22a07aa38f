"""Waive a required photo: a supervisor's badge, PIN and the reason (no camera works)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.widgets.supervisor_signoff import SupervisorSignoffDialog


class WaiverDialog(SupervisorSignoffDialog):
    def __init__(self, lpn: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, reason_name="waiverReason")
        self.setObjectName("waiverDialog")
        self.setWindowTitle(self.tr("Finish %1 without a photo").replace("%1", lpn))
        self.form.addRow(QLabel(self.tr("“%1” failed and needs a photo, and no camera works.").replace("%1", question),
                                self))
        self.add_signoff_rows(self.tr("A supervisor scans their badge and enters their PIN:"))

    def supervisor(self) -> tuple[str, str]:
        return self.badge.text().strip(), self.pin.text()
