"""The RMA card: who sent the parcel, why, by when, and what should be inside.

The count column is the only editable part: it starts at what is still expected, and a clerk
who finds fewer items lowers it before confirming (a partial receipt).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.catalog.reasons import ReasonCodes, load_reasons
from station.receiving.views import RmaCard

_loaded: list[ReasonCodes] = []


def _reasons() -> ReasonCodes:
    if not _loaded:
        _loaded.append(load_reasons())
    return _loaded[0]


class RmaCardWidget(QFrame):
    """Signals: ``count_changed(int)`` -- the line number whose "Counted" value the clerk changed."""

    count_changed = Signal(int)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.language = language
        self.card: RmaCard | None = None
        self.spins: dict[int, QSpinBox] = {}
        self.number = QLabel(self)
        self.number.setObjectName("cardNumber")
        self.customer = QLabel(self)
        self.deadline = QLabel(self)
        self.reason = QLabel(self)
        self.resolution = QLabel(self)
        self.order = QLabel(self)
        for label in (self.customer, self.reason, self.resolution, self.deadline, self.order):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.lines = QTableWidget(0, 5, self)
        self.lines.setHorizontalHeaderLabels(
            [self.tr("SKU"), self.tr("Product"), self.tr("Expected"), self.tr("Counted"), self.tr("Checked")])
        self.lines.verticalHeader().setVisible(False)
        # One line of text per row: measured while the card is filled, before the table has
        # its final column widths, wrapping made rows twice as tall in a real window.
        self.lines.setWordWrap(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # A cell widget does not count for ResizeToContents: size the "Counted" column to the
        # spin box (arrows included), or its buttons are cut off on the right.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.photos = QHBoxLayout()

        facts = QGridLayout()
        facts.setHorizontalSpacing(24)
        facts.addWidget(self._caption(self.tr("Customer")), 0, 0)
        facts.addWidget(self.customer, 0, 1)
        facts.addWidget(self._caption(self.tr("Order")), 0, 2)
        facts.addWidget(self.order, 0, 3)
        facts.addWidget(self._caption(self.tr("Reason")), 1, 0)
        facts.addWidget(self.reason, 1, 1)
        facts.addWidget(self._caption(self.tr("Wants")), 1, 2)
        facts.addWidget(self.resolution, 1, 3)
        facts.addWidget(self._caption(self.tr("Deadline")), 2, 0)
        facts.addWidget(self.deadline, 2, 1, 1, 3)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.number)
        layout.addLayout(facts)
        layout.addWidget(self.lines, 1)
        layout.addLayout(self.photos)
        self.setVisible(False)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("caption")
        return label

    def show_card(self, card: RmaCard) -> None:
        self.card = card
        self.number.setText(card.number)
        self.customer.setText(card.customer_name or card.customer_ref)
        self.order.setText(f"{card.order_number}  ·  {card.carrier} {card.tracking_number}".strip())
        # The reason in words, in the UI language (the code is for machines), then the
        # customer's own words.
        words = _reasons().get(card.reason_code).text(self.language) if card.reason_code else ""
        self.reason.setText(" — ".join(p for p in (words, card.reason_text) if p))
        self.resolution.setText({"refund": self.tr("Refund"), "exchange": self.tr("Exchange")}.get(
            card.requested_resolution.value, card.requested_resolution.value))
        deadline = card.deadline.isoformat()
        if card.days_late > 0:
            self.deadline.setText(self.tr("%1 — %2 days late").replace("%1", deadline).replace(
                "%2", str(card.days_late)))
            self.deadline.setStyleSheet("color: #b03a2e; font-weight: 600;")
        else:
            self.deadline.setText(deadline)
            self.deadline.setStyleSheet("")
        for old in self.spins.values():
            old.hide()  # replaced below; hidden now, deleted when the event loop gets to it
        self.spins.clear()
        self.lines.setRowCount(0)
        self.lines.setRowCount(len(card.lines))
        for row, line in enumerate(card.lines):
            first, second = (line.name_zh, line.name_en) if self.language.startswith("zh") else \
                (line.name_en, line.name_zh)
            name = first if not second or second == first else f"{first}  ·  {second}"
            if line.serial:  # first, in full: a long name may be cut, the serial never
                name = f"S/N {line.serial}  ·  {name}"
            for col, text in ((0, line.sku), (1, name), (2, str(line.outstanding))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.lines.setItem(row, col, item)
            self.lines.setItem(row, 4, QTableWidgetItem(""))
            spin = QSpinBox(self.lines)
            spin.setObjectName("countSpin")
            spin.setRange(0, line.outstanding)
            spin.setValue(line.outstanding)
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            spin.setMinimumWidth(spin.sizeHint().width() + 24)
            self.lines.setCellWidget(row, 3, spin)
            self.spins[line.line_no] = spin
            spin.valueChanged.connect(lambda _value, no=line.line_no: self.count_changed.emit(no))
        row_height = self.lines.fontMetrics().height() + 16
        if self.spins:
            spin_hint = next(iter(self.spins.values())).minimumSizeHint()
            width = max(spin_hint.width(), next(iter(self.spins.values())).minimumWidth())
            header = self.lines.horizontalHeader()
            self.lines.setColumnWidth(3, max(width + 12, header.sectionSizeFromContents(3).width()))
            row_height = max(row_height, spin_hint.height() + 6)
        for row in range(self.lines.rowCount()):
            self.lines.setRowHeight(row, row_height)
        self._show_photos(card.customer_photos)
        self.setVisible(True)

    def _show_photos(self, photos: tuple[str, ...]) -> None:
        while self.photos.count():
            item = self.photos.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for path in photos[:4]:
            label = QLabel(self)
            pixmap = QPixmap(path) if Path(path).is_file() else QPixmap()
            if pixmap.isNull():
                label.setText(Path(path).name)
            else:
                label.setPixmap(pixmap.scaledToHeight(96, Qt.TransformationMode.SmoothTransformation))
            self.photos.addWidget(label)
        self.photos.addStretch(1)

    def set_check(self, line_no: int, text: str, good: bool) -> None:
        """The "Checked" cell of a line: what was scanned for it, red when it does not match."""
        if self.card is None:
            return
        rows = [n for n, line in enumerate(self.card.lines) if line.line_no == line_no]
        if not rows:
            return
        item = QTableWidgetItem(text)
        if not good:
            item.setForeground(QColor("#b03a2e"))
        self.lines.setItem(rows[0], 4, item)

    def focus_next_count(self) -> None:
        """Alt+C: the next line's "Counted" box (the first one if none has the focus)."""
        spins = list(self.spins.values())
        if not spins:
            return
        current = next((i for i, s in enumerate(spins) if s.hasFocus()), -1)
        spin = spins[(current + 1) % len(spins)]
        self.lines.scrollToItem(self.lines.item(list(self.spins.values()).index(spin), 0))
        spin.setFocus()
        spin.selectAll()

    def counted_for(self, line_no: int) -> int:
        spin = self.spins.get(line_no)
        return spin.value() if spin is not None else 0

    def counted(self) -> dict[int, int]:
        """Counts per line, only when the clerk changed any (empty: everything outstanding)."""
        if self.card is None:
            return {}
        values = {no: spin.value() for no, spin in self.spins.items()}
        expected = {line.line_no: line.outstanding for line in self.card.lines}
        return {} if values == expected else values

    def clear(self) -> None:
        self.card = None
        self.setVisible(False)
