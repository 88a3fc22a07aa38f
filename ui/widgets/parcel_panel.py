"""The parcel row under the RMA card: weight and outer condition, both optional.

The weight is typed in kilograms (``1.25``) or filled in from the scale; the condition is a
list the keyboard reaches with Alt+1..4 (intact, damaged, opened, wet). A normal parcel needs
neither: Enter receives it as intact and unweighed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from station.core.errors import InvalidInput
from station.models import ParcelCondition

CONDITIONS = (ParcelCondition.INTACT, ParcelCondition.DAMAGED, ParcelCondition.OPENED, ParcelCondition.WET)


class ParcelPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parcelPanel")
        self.weight = QLineEdit(self)
        self.weight.setObjectName("weightEntry")
        self.weight.setPlaceholderText(self.tr("kg"))
        self.weight.setMaxLength(8)
        self.weight.setFixedWidth(130)
        self.weight.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Kilograms only, refused key by key: "abc" never reaches the field to fail at Enter.
        self.weight.setValidator(QRegularExpressionValidator(QRegularExpression(
            r"^\d{0,3}([.,]\d{0,3})?\s?(kg|KG|Kg)?$"), self.weight))
        self.scale_state = QLabel(self)
        self.scale_state.setObjectName("caption")
        self.condition = QComboBox(self)
        self.condition.setObjectName("conditionBox")
        words = {ParcelCondition.INTACT: self.tr("Intact"), ParcelCondition.DAMAGED: self.tr("Damaged"),
                 ParcelCondition.OPENED: self.tr("Opened"), ParcelCondition.WET: self.tr("Wet")}
        for n, condition in enumerate(CONDITIONS, start=1):
            self.condition.addItem(f"{n}  {words[condition]}", condition)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._caption(self.tr("Weight (Alt+W)")))
        layout.addWidget(self.weight)
        layout.addWidget(self.scale_state)
        layout.addSpacing(24)
        layout.addWidget(self._caption(self.tr("Parcel (Alt+1..4)")))
        layout.addWidget(self.condition)
        layout.addStretch(1)
        self.setVisible(False)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("caption")
        return label

    def weight_g(self) -> int | None:
        """Grams from the typed kilograms; ``None`` when empty. ``InvalidInput`` if unreadable."""
        text = self.weight.text().strip().replace(",", ".").lower().removesuffix("kg").strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"{self.weight.text()!r} is not a weight in kg.",
                               next_step="Type it like 1.25, or leave it empty.") from None
        return int((value * 1000).to_integral_value())

    def set_weight_g(self, grams: int) -> None:
        self.weight.setText(f"{Decimal(grams) / 1000:.3f}")

    def condition_value(self) -> ParcelCondition:
        return ParcelCondition(self.condition.currentData())

    def pick_condition(self, number: int) -> None:
        if 1 <= number <= len(CONDITIONS):
            self.condition.setCurrentIndex(number - 1)

    def reset(self) -> None:
        self.weight.clear()
        self.scale_state.clear()
        self.condition.setCurrentIndex(0)
