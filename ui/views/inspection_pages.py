"""The middle of the inspection view, one page at a time in the order of
``ui.inspection_flow.Page``: nothing yet (scan an LPN), the open question, the summary
before finishing (what still blocks it, or the provisional grade), the grade and disposition."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from station.inspection.views import InspectionView as InspectionState
from ui.widgets.grade_panel import GradePanel
from ui.widgets.question import QuestionPanel


class InspectionPages(QStackedWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = QuestionPanel(language, self)
        self.summary = QLabel(self)
        self.summary.setObjectName("question")
        self.summary.setWordWrap(True)
        self.grade = GradePanel(language, self)
        for page in (QWidget(self), self.question, self.summary, self.grade):
            self.addWidget(page)

    def show_summary(self, view: InspectionState, waivable: bool) -> None:
        """``waivable``: a photo is missing and no camera works, so W (a supervisor's waiver) is offered."""
        if view.blockers:
            keys = self.tr("F7: add a photo   ·   Backspace: back")
            if waivable:
                keys += self.tr("   ·   W: no camera, a supervisor waives the photo")
            text = self.tr("Cannot finish yet:") + "\n• " + "\n• ".join(view.blockers) + "\n" + keys
        else:
            text = self.tr("All answered. Provisional grade %1.").replace("%1", view.provisional_grade.value) + \
                "\n" + self.tr("Enter or CMD:FINISH: finish   ·   Backspace: back")
        self.summary.setText(text)
