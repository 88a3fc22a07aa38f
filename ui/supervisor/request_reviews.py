"""Return requests the policy sent to review, at the supervisor desk's approvals.

The list shows each pending request; picking one shows the customer's photos, the order, the
lines with reasons and comments, the policy's words and the customer's other returns. The
supervisor authorises (with an optional note) or refuses with a reason; a customer who reads
Chinese needs the reason in Chinese too (the service checks, the banner says so).

The shop can also withdraw a request (issue 24): the one picked, or an authorised one whose
parcel has not arrived, typed by its number (those are not in the list). Cancelling asks for a
reason, which the customer's notice quotes; ``IntakeService.cancel`` checks the permission and
that nothing was received, and audits it. The approvals view binds its key (``ui.keymap``).

Everything the customer typed is shown as plain text (``QPlainTextEdit``), never as rich text:
a comment with ``<b>`` reads as the characters ``<b>``.

Signals: ``decided(str, bool)`` -- the RMA number and whether it was authorised, once saved;
``cancelled(str)`` -- the RMA number of a request the shop withdrew, once saved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station.core.context import Actor
from station.intake.service import IntakeService
from station.intake.views import RequestView, ReturnableLine
from station.policy.decision import request_value
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.supervisor.common import fill_table, make_table, selected_id

log = logging.getLogger(__name__)

THUMB = 120


@dataclass(frozen=True)
class ReviewCase:
    """What the supervisor weighs, gathered off the UI thread."""

    request: RequestView
    customer: str
    order_lines: tuple[ReturnableLine, ...]
    history: tuple[RequestView, ...]
    photos: tuple[bytes, ...]


def load_case(intake: IntakeService, rma_number: str) -> ReviewCase:
    view = intake.get(rma_number)
    customer, _, _ = intake.order_summary(view.order_number)
    photos = []
    for digest in view.photos:
        try:
            photos.append(intake.photo_bytes(digest))
        except OSError:
            log.warning("customer photo %s of %s is missing from the photo store", digest, rma_number)
    return ReviewCase(view, customer, tuple(intake.returnable_lines(view.order_number)),
                      tuple(intake.customer_history(rma_number)), tuple(photos))


def case_text(case: ReviewCase, reason_words: dict[str, str]) -> str:
    """The case as plain text (the comment is the customer's; it is never interpreted)."""
    r = case.request
    names = {l.sku: l.name_en for l in case.order_lines}
    value = request_value(r.lines)
    out = [f"{r.rma_number}  order {r.order_number}  {case.customer}  "
           f"(reads {'Chinese' if r.customer_language == 'zh' else 'English'})",
           f"Requested {r.requested_at:%Y-%m-%d %H:%M}, wants a {r.resolution}, worth {value:.2f} {r.currency}", "",
           "Why it is here:"]
    out += [f"  - {w.en}" for w in r.decision.reasons]
    out += ["", "Lines:"]
    for line in r.lines:
        out.append(f"  {line.quantity} x {names.get(line.sku, line.sku)} ({line.sku}) at {line.unit_price}: "
                   f"{reason_words.get(line.reason, line.reason)}")
        if line.comment:
            out.append(f"    Customer's comment: {line.comment}")
    out += ["", "The order:"]
    out += [f"  {l.ordered} x {l.name_en} ({l.sku}, {l.category}) at {l.unit_price}, {l.remaining} not yet returned"
            for l in case.order_lines]
    out += ["", f"The customer's other returns: {len(case.history)}"]
    out += [f"  {h.rma_number} {h.requested_at:%Y-%m-%d} {h.status.replace('_', ' ')}: "
            + ", ".join(f"{l.quantity} x {l.sku} ({l.reason})" for l in h.lines) for h in case.history[:10]]
    return "\n".join(out)


class RequestReviewsPanel(QWidget):
    decided = Signal(str, bool)
    cancelled = Signal(str)

    def __init__(self, intake: IntakeService, actor: Actor, background: Background, bridge: MessageBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intake, self.actor, self.background, self.bridge = intake, actor, background, bridge
        self.setObjectName("requestReviews")
        self.table = make_table(self)
        self.table.setObjectName("requestReviewsTable")
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("requestReviewDetails")
        self.details.setReadOnly(True)
        self.photos = QHBoxLayout()
        self.photos.addStretch(1)  # thumbnails pack to the left, before this stretch
        self.photo_labels: list[QLabel] = []
        self.note = QLineEdit(self)
        self.note.setObjectName("requestReviewReason")
        self.note.setPlaceholderText(self.tr("Note, or the reason for a refusal (English)"))
        self.note_zh = QLineEdit(self)
        self.note_zh.setObjectName("requestReviewReasonZh")
        self.note_zh.setPlaceholderText(self.tr("Reason in Chinese (needed when the customer reads Chinese)"))
        self.authorise_button = QPushButton(self.tr("Authorise"), self)
        self.refuse_button = QPushButton(self.tr("Refuse"), self)
        self.cancel_number = QLineEdit(self)
        self.cancel_number.setObjectName("requestCancelNumber")
        self.cancel_number.setPlaceholderText(self.tr("RMA to cancel (else the one picked)"))
        self.cancel_number.setMaximumWidth(220)
        # Clicked through the approvals view's ``do`` (its key and button share one action).
        self.cancel_button = QPushButton(self.tr("Cancel request (Ctrl+Shift+X)"), self)
        self.cancel_button.setObjectName("requestCancelButton")
        self.status = QLabel(self)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.details, 1)
        column.addLayout(self.photos)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 640])  # the list wide enough for its five columns
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.note_zh, 1)
        buttons.addWidget(self.authorise_button)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.cancel_number)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>Return requests for review</b>"), self))
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.authorise_button.clicked.connect(lambda: self.decide(True))
        self.refuse_button.clicked.connect(lambda: self.decide(False))
        self.table.itemSelectionChanged.connect(self._selected)
        self.case: ReviewCase | None = None

    def refresh(self) -> None:
        intake = self.intake
        (self.background.op(intake.pending_reviews, self)
         .success(self._show).failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, pending: list[RequestView]) -> None:
        rows = [(p.rma_number, p.order_number, p.customer_language,
                 f"{request_value(p.lines):.2f} {p.currency}",
                 p.decision.reasons[0].en if p.decision.reasons else p.decision.rule) for p in pending]
        fill_table(self.table, (self.tr("RMA"), self.tr("Order"), self.tr("Language"), self.tr("Value"),
                                self.tr("Why")), rows, [p.rma_number for p in pending], stretch=self.tr("Why"))
        self.status.setText(self.tr("%n request(s) waiting", "", len(pending)))
        if not pending:
            self.case = None
            self.details.setPlainText("")
            self._photos(())

    def _selected(self) -> None:
        number = selected_id(self.table)
        if number is None:
            return
        intake = self.intake
        (self.background.op(lambda: load_case(intake, number), self)
         .success(self._show_case).failure(lambda e: show_error(self.bridge, e)).read())

    def _show_case(self, case: ReviewCase) -> None:
        self.case = case
        words = {r.code: r.en for r in self.intake.reasons.reasons}
        self.details.setPlainText(case_text(case, words))
        self._photos(case.photos)

    def _photos(self, photos: tuple[bytes, ...]) -> None:
        for label in self.photo_labels:
            self.photos.removeWidget(label)
            label.deleteLater()
        self.photo_labels = []
        for data in photos:
            image = QImage.fromData(data)
            label = QLabel(self)
            label.setObjectName("requestPhoto")
            label.setPixmap(QPixmap.fromImage(image).scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            self.photos.insertWidget(len(self.photo_labels), label)
            self.photo_labels.append(label)

    def decide(self, authorise: bool) -> None:
        number = selected_id(self.table)
        if number is None:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"), self.tr("Pick a request first.")))
            return
        intake, actor = self.intake, self.actor
        note, note_zh = self.note.text(), self.note_zh.text()

        def run() -> RequestView:
            if authorise:
                return intake.authorise(actor, number, note)
            return intake.refuse(actor, number, note, note_zh)

        def done(view: RequestView) -> None:
            word = self.tr("Authorised") if authorise else self.tr("Refused")
            self.bridge.show(Message(Level.OK, word, view.rma_number, code="request_decided", sound="ok"))
            self.note.clear()
            self.note_zh.clear()
            self.decided.emit(number, authorise)  # the list follows the commit (ui.changes)

        self.background.op(run, self).success(done).failure(lambda e: show_error(self.bridge, e)).write()

    def cancel(self) -> None:
        """Withdraw the request typed (an authorised one not yet received) or picked, with the
        reason typed; the service refuses one whose parcel arrived, with the next step."""
        number = self.cancel_number.text().strip().upper() or selected_id(self.table)
        if not number:
            self.bridge.show(Message(Level.WARNING, self.tr("Nothing selected"),
                                     self.tr("Pick a request or type its RMA number first.")))
            return
        reason = " / ".join(t for t in (self.note.text().strip(), self.note_zh.text().strip()) if t)
        if not reason:
            self.bridge.show(Message(Level.WARNING, self.tr("Reason needed"),
                                     self.tr("Type why the request is cancelled: the customer reads it.")))
            return
        intake, actor = self.intake, self.actor

        def done(view: RequestView) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Cancelled"), view.rma_number, code="request_cancelled",
                                     sound="ok"))
            self.note.clear()
            self.note_zh.clear()
            self.cancel_number.clear()
            self.cancelled.emit(view.rma_number)  # the list follows the commit (ui.changes)

        (self.background.op(lambda: intake.cancel(actor, number, reason), self)
         .success(done).failure(lambda e: show_error(self.bridge, e)).write())
