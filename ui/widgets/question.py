"""One checklist question, big, with the keys that answer it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from station.inspection.checklists import ItemKind
from station.inspection.views import QuestionView
from station.receiving.flags import FlagCode


class QuestionPanel(QFrame):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.language = language
        self.question: QuestionView | None = None
        self.progress = QLabel(self)
        self.progress.setObjectName("caption")
        self.text = QLabel(self)
        self.text.setObjectName("question")
        self.text.setWordWrap(True)
        self.other = QLabel(self)
        self.other.setObjectName("caption")
        self.other.setWordWrap(True)
        self.facts = QLabel(self)
        self.facts.setObjectName("facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys = QLabel(self)
        self.keys.setObjectName("prompt")
        self.keys.setWordWrap(True)
        self.entry = QLineEdit(self)
        self.entry.setObjectName("answerEntry")
        self.entry.setMaxLength(500)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        for widget in (self.progress, self.text, self.other, self.facts, self.keys, self.entry):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_question(self, question: QuestionView, number: int, total: int, sold: str = "",
                      received: str = "") -> None:
        """``sold``/``received``: the serials, shown in full beside a serial question."""
        self.question = question
        facts = ""
        if question.flag == FlagCode.SERIAL_MISMATCH:
            facts = self.tr("Ordered serial: %1").replace("%1", sold or self.tr("none on the order"))
            if received:
                facts += "   ·   " + self.tr("scanned at receiving: %1").replace("%1", received)
        self.facts.setText(facts)
        self.facts.setVisible(bool(facts))
        zh = self.language.startswith("zh")
        self.progress.setText(self.tr("Question %1 of %2").replace("%1", str(number)).replace("%2", str(total)))
        self.text.setText(question.zh if zh else question.en)
        self.other.setText(question.en if zh else question.zh)
        self.entry.clear()
        if question.kind == ItemKind.PASS_FAIL:
            keys = self.tr("P or 1: pass   ·   F or 2: fail")
            if question.na_allowed:
                keys += self.tr("   ·   N or 3: not applicable")
            self.keys.setText(keys)
            self.entry.setVisible(False)
        elif question.kind == ItemKind.CHOICE:
            self.keys.setText("   ·   ".join(f"{c.key}: {c.zh if zh else c.en}" for c in question.choices))
            self.entry.setVisible(False)
        elif question.kind == ItemKind.NUMBER:
            self.keys.setText(self.tr("Type the reading in %1, then Enter").replace("%1", question.unit))
            self.entry.setVisible(True)
        elif question.kind == ItemKind.LOT:
            self.keys.setText(self.tr("Type the lot or scan the code with the lot, then Enter (Enter alone skips)"))
            self.entry.setVisible(True)
        else:
            self.keys.setText(self.tr("Type, then Enter") if question.required
                              else self.tr("Type, then Enter (Enter alone skips)"))
            self.entry.setVisible(True)

    @property
    def wants_text(self) -> bool:
        return self.question is not None and self.question.kind in (ItemKind.NUMBER, ItemKind.TEXT, ItemKind.LOT)
