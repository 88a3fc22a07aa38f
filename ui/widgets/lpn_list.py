"""The LPNs a receipt created, one line a unit (LPN, SKU, name, quantity), under the card
at receiving; hidden until a receipt has units."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QWidget

from station.receiving.views import UnitView


class LpnList(QListWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.setObjectName("lpnList")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVisible(False)

    def show_units(self, units: Sequence[UnitView]) -> None:
        self.clear()
        for unit in units:
            name = unit.name_zh if self.language.startswith("zh") and unit.name_zh else unit.name_en
            self.addItem(f"{unit.lpn}   {unit.sku}   {name}   ×{unit.quantity}")
        self.setVisible(bool(units))
