"""Late parcels awaiting a supervisor, at the receiving desk (approvers only).

A short list of the receipts held for approval (Alt+A focuses it, Enter opens one) and the
reason line for the one on the card. The receiving view does the work; this only shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from station.supervision.desk import QueueView


class ApprovalPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.title = QLabel(self)
        self.title.setObjectName("caption")
        self.list = QListWidget(self)
        self.list.setObjectName("awaitingList")
        self.reason_label = QLabel(self.tr("Reason for accepting the late parcel, then Enter"), self)
        self.reason_label.setObjectName("caption")
        self.reason_label.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approvalReason")
        self.reason.setMaxLength(500)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        self.setFixedWidth(300)
        self.show_reason(False)
        self.setVisible(False)

    def show_queue(self, view: QueueView) -> None:
        """Rows of the ``expired_rmas`` queue: rma, customer, deadline, received_at, code."""
        self.list.clear()
        column = {name: i for i, name in enumerate(view.columns)}
        for row, receipt_id in zip(view.rows, view.ids):
            rma, customer = row[column["rma"]], row[column["customer"]]
            item = QListWidgetItem(f"{rma}   {customer}")
            item.setData(Qt.ItemDataRole.UserRole, (str(receipt_id), str(rma)))
            self.list.addItem(item)
        self.title.setText(self.tr("Awaiting approval (%1)  ·  Alt+A").replace("%1", str(len(view.rows))))
        if self.list.count():
            self.list.setCurrentRow(0)
        self.setVisible(bool(view.rows) or not self.reason.isHidden())

    def selected(self) -> tuple[str, str] | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_reason(self, visible: bool) -> None:
        self.reason_label.setVisible(visible)
        self.reason.setVisible(visible)
        if visible:
            self.setVisible(True)
            self.reason.clear()
            self.reason.setFocus()
