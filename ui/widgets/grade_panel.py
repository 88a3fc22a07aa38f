"""The outcome of an inspection: grade, why, flags and the recommended disposition."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station.inspection.views import InspectionResult

GRADE_COLOURS = {"A": "#1e7b34", "B": "#2d5fa8", "C": "#b27b00", "D": "#c0392b"}


class GradePanel(QFrame):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.language = language
        self.result: InspectionResult | None = None
        self.grade = QLabel(self)
        self.grade.setObjectName("gradeBig")
        self.because = QLabel(self)
        self.flags = QLabel(self)
        self.disposition = QLabel(self)
        self.disposition.setObjectName("question")
        self.reason = QLabel(self)
        self.keys = QLabel(self)
        self.keys.setObjectName("prompt")
        for label in (self.because, self.flags, self.disposition, self.reason, self.keys):
            label.setWordWrap(True)
        text = QVBoxLayout()
        for label in (self.disposition, self.reason, self.because, self.flags):
            text.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(self.grade)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addLayout(row)
        layout.addWidget(self.keys)
        layout.addStretch(1)

    def show_result(self, result: InspectionResult, keys: str) -> None:
        self.result = result
        zh = self.language.startswith("zh")
        grade = result.grade.value
        self.grade.setText(grade)
        self.grade.setStyleSheet(f"color: {GRADE_COLOURS[grade]}; padding: 0 24px;")
        because = result.grade_because_zh if zh and result.grade_because_zh else result.grade_because
        if result.overridden:
            because = self.tr("Overridden from %1: %2").replace("%1", result.computed_grade.value).replace(
                "%2", result.override_reason)
        self.because.setText(because)
        flags = [(f.zh if zh else f.en) + (f" — {f.detail}" if f.detail else "") for f in result.flags]
        self.flags.setText(self.tr("Flags: %1").replace("%1", "; ".join(flags)) if flags else self.tr("No flags."))
        self.flags.setStyleSheet("color: #b03a2e; font-weight: 600;" if flags else "")
        where = f"  →  {result.bin_class}" if result.bin_class else ""
        self.disposition.setText(disposition_words(self, result.recommended.value) + where)
        self.reason.setText(result.because_zh if zh and result.because_zh else result.because_en)
        self.keys.setText(keys)


def disposition_words(widget: QWidget, kind: str) -> str:
    return {
        "restock": widget.tr("Restock"), "refurbish": widget.tr("Refurbish"),
        "return_to_vendor": widget.tr("Return to vendor"), "scrap": widget.tr("Scrap"),
        "donate": widget.tr("Donate"), "recycle": widget.tr("Recycle"), "quarantine": widget.tr("Quarantine"),
    }.get(kind, kind)
