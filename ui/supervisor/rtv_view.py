"""Return to vendor at the desk: batches per vendor, units scanned in, shipped, claims settled.

Top: the vendor picker and "Open batch". Left: every batch, newest first, with its state,
units, claim and - for a claim still waiting for the vendor's money - its days open. Right:
the selected batch's units. A scan (or an LPN typed in the scan field) goes into the selected
open batch; anything that is not an approved RTV unit of that vendor is refused by the service
with its reason, in the banner. Below: ship (RA number, carrier, tracking) and the claim's
next step (acknowledge, credit an amount, dispute with a reason).

Keyboard: F2 brings the tab (again: reloads), Enter in the scan field adds the LPN, Delete on a
unit of an open batch takes it out, Ctrl+N opens a batch, Ctrl+P ships and prints the paperwork, Ctrl+K acknowledges, Ctrl+E credits,
Ctrl+D disputes. The footer line says so. The keys come from ``ui.keymap``, and the command sheet's
``CMD:OPENBATCH``, ``CMD:SHIP``, ``CMD:ACK``, ``CMD:CREDIT`` and ``CMD:DISPUTE`` do the same as
each key (``handle_command``), for a supervisor with a scanner in hand. On a batch that has shipped, Ctrl+P (its button then
says so) prints the paperwork again: a desk closed between the shipment and its print jobs
(killed, a power cut) left none, and the next one offers them at once.

Signals: ``shipped(str)`` -- a batch number after it shipped and its paperwork was queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.models import RtvState
from station.rtv.batches import AlreadyShipped, RtvService
from station.rtv.commitments import note_words
from station.rtv.views import BatchView, VendorView
from ui.background import Background
from ui.bridge import Level, Message, MessageBridge
from ui.errors import show_error
from ui.keymap import action_for_scan, keys_for
from ui.supervisor.common import fill_table, make_table, selected_id
from ui.supervisor.resolution_view import chinese
from ui.widgets.desk_keys import desk_keys_win

log = logging.getLogger(__name__)

Printer = Callable[[BatchView], object]
"""Renders and queues a shipped batch's paperwork (runs on the write worker)."""

BATCH_COLUMNS = ("batch", "vendor", "state", "units", "claimed", "ra_number", "days_open")
ITEM_COLUMNS = ("lpn", "sku", "serial", "defect", "claimed", "rma")
KEYMAP = "Return to vendor"  # the desk's rows in ui.keymap


class RtvView(QWidget):
    #: Kinds of record shown here: a commit writing one refreshes the view (ui.changes); vendors, batches
    #: and the units waiting for one; a credit central confirmed or voided (the sync worker).
    WATCHES = ("vendors", "rtv_batches", "rtv_items", "rtv_credits", "dispositions")

    shipped = Signal(str)

    def __init__(self, service: RtvService, actor: Actor, background: Background, bridge: MessageBridge,
                 printer: Printer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.actor, self.background, self.bridge = service, actor, background, bridge
        self.printer = printer
        self.setObjectName("supervisorRtv")
        self.batches: list[BatchView] = []
        self.vendor = QComboBox(self)
        self.vendor.setObjectName("rtvVendor")
        self.open_button = QPushButton(self.tr("Open batch (Ctrl+N)"), self)
        self.ready = QLabel(self)
        self.batch_table = make_table(self)
        self.batch_table.setObjectName("rtvBatches")
        self.item_table = make_table(self)
        self.item_table.setObjectName("rtvItems")
        self.scan_field = QLineEdit(self)
        self.scan_field.setObjectName("rtvScan")
        self.scan_field.setPlaceholderText(self.tr("Scan or type an LPN, Enter adds it to the selected batch"))
        self.ra = QLineEdit(self)
        self.ra.setPlaceholderText(self.tr("Vendor RA number"))
        self.carrier = QLineEdit(self)
        self.carrier.setPlaceholderText(self.tr("Carrier"))
        self.tracking = QLineEdit(self)
        self.tracking.setPlaceholderText(self.tr("Tracking number"))
        self.ship_button = QPushButton(self.tr("Ship and print (Ctrl+P)"), self)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("Credited amount"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Vendor's reason for a dispute"))
        self.ack_button = QPushButton(self.tr("Acknowledged (Ctrl+K)"), self)
        self.credit_button = QPushButton(self.tr("Credited (Ctrl+E)"), self)
        self.dispute_button = QPushButton(self.tr("Disputed (Ctrl+D)"), self)
        self.detail = QLabel(self)
        self.detail.setObjectName("rtvDetail")
        self.detail.setWordWrap(True)
        self.footer = QLabel(self.tr("F2 return to vendor (again: reload) · Enter add LPN · Ctrl+N open batch · "
                                     "Ctrl+P ship and print · Ctrl+K acknowledged · Ctrl+E credited · Ctrl+D disputed · "
                                     "Delete remove unit"),
                             self)
        self.footer.setObjectName("rtvFooter")
        self.footer.setWordWrap(True)
        self._layout()
        self.scan_field.returnPressed.connect(self._typed)
        self.batch_table.itemSelectionChanged.connect(self._show_selected)
        self.vendor.currentIndexChanged.connect(lambda _i: self._count_ready())
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Delete"), self.item_table, self.remove_selected, context=context)
        # Button, key (from ui.keymap) and command scan all go through ``do``: one action each.
        for button, action in ((self.open_button, "open_batch"), (self.ship_button, "ship"),
                               (self.ack_button, "acknowledge"), (self.credit_button, "credit"),
                               (self.dispute_button, "dispute")):
            button.setProperty("action", action)
            button.clicked.connect(lambda _checked=False, a=action: self.do(a))
        desk_keys = [(key, action) for action in self.desk_actions() for key in keys_for(KEYMAP, action)]
        for key, action in desk_keys:
            QShortcut(QKeySequence(key), self, lambda a=action: self.do(a), context=context)
        desk_keys_win(self, [key for key, _ in desk_keys])
        self.amount.returnPressed.connect(lambda: self.do("credit"))  # the amount typed, Enter credits it too
        self.setFocusProxy(self.scan_field)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Return to vendor</b>"), self))
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Vendor"), self))
        top.addWidget(self.vendor, 1)
        top.addWidget(self.open_button)
        tables = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Batches and claims"), self))
        left.addWidget(self.batch_table, 1)
        right.addWidget(QLabel(self.tr("Units in the batch"), self))
        right.addWidget(self.item_table, 1)
        right.addWidget(self.scan_field)
        tables.addLayout(left, 5)
        tables.addLayout(right, 6)
        form = QGridLayout()
        form.addWidget(self.ra, 0, 0)
        form.addWidget(self.carrier, 0, 1)
        form.addWidget(self.tracking, 0, 2)
        form.addWidget(self.ship_button, 0, 3)
        form.addWidget(self.amount, 1, 0)
        form.addWidget(self.reason, 1, 1)
        claim = QHBoxLayout()
        for button in (self.ack_button, self.credit_button, self.dispute_button):
            claim.addWidget(button)
        form.addLayout(claim, 1, 2, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.ready)
        layout.addLayout(tables, 1)
        layout.addWidget(self.detail)
        layout.addLayout(form)
        layout.addWidget(self.footer)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        service, actor = self.service, self.actor

        def load() -> tuple[list[VendorView], list[BatchView]]:
            return service.vendors(actor), service.batches(actor)

        (self.background.op(load, self).success(self._show)
         .failure(lambda e: show_error(self.bridge, e)).read())

    def _show(self, loaded: tuple[list[VendorView], list[BatchView]]) -> None:
        vendors, batches = loaded
        keep_vendor, keep_batch = self.vendor.currentData(), self.selected_batch()
        self.vendor.blockSignals(True)
        self.vendor.clear()
        for v in vendors:
            self.vendor.addItem(f"{v.code}  {v.name}", v.code)
        if keep_vendor is not None and self.vendor.findData(keep_vendor) >= 0:
            self.vendor.setCurrentIndex(self.vendor.findData(keep_vendor))
        self.vendor.blockSignals(False)
        self.batches = batches
        pending = self.tr(", credit pending")  # this dock's credit waits for central
        rows = [(b.number, b.vendor.code, self._state(b.state) + (pending if b.credit_pending else ""), len(b.items),
                 f"{b.currency} {b.claimed_amount:,.2f}", b.ra_number, "" if b.days_open is None else b.days_open)
                for b in batches]
        fill_table(self.batch_table, BATCH_COLUMNS, rows, [b.number for b in batches], stretch="vendor")
        self.select(keep_batch or (batches[0].number if batches else None))
        self._count_ready()

    def _count_ready(self) -> None:
        code = self.vendor.currentData()
        if code is None:
            self.ready.setText(self.tr("No vendors yet: add one with rma-station rtv vendor add."))
            return
        service, actor = self.service, self.actor
        (self.background.op(lambda: service.ready_units(actor, code), self)
         .success(lambda lpns: self.ready.setText(
             self.tr("%n approved unit(s) of this vendor wait for a batch", "", len(lpns))))
         .failure(lambda e: show_error(self.bridge, e)).read())

    def _state(self, state: RtvState) -> str:
        words = {RtvState.OPEN: self.tr("open"), RtvState.SHIPPED: self.tr("shipped"),
                 RtvState.ACKNOWLEDGED: self.tr("acknowledged"), RtvState.CREDITED: self.tr("credited"),
                 RtvState.DISPUTED: self.tr("disputed")}
        return words[state]

    def _terms(self, vendor: VendorView) -> str:
        if vendor.agreement_rate_pct is None:
            return self.tr("full unit cost")
        return self.tr("%1 % of unit cost").replace("%1", f"{vendor.agreement_rate_pct.normalize():f}")

    def select(self, number: str | None) -> None:
        for row in range(self.batch_table.rowCount()):
            item = self.batch_table.item(row, 0)
            if item is not None and item.text() == number:
                self.batch_table.selectRow(row)
                break
        self._show_selected()

    def selected_batch(self) -> str | None:
        return selected_id(self.batch_table)

    def _current(self) -> BatchView | None:
        number = self.selected_batch()
        return next((b for b in self.batches if b.number == number), None)

    def _show_selected(self) -> None:
        batch = self._current()
        items = batch.items if batch else ()
        self.ship_button.setText(self.tr("Print paperwork again (Ctrl+P)") if batch and batch.state != RtvState.OPEN
                                 else self.tr("Ship and print (Ctrl+P)"))
        rows = [(i.lpn, i.sku, i.serial, i.defect, i.claimed_amount, i.rma_number) for i in items]
        fill_table(self.item_table, ITEM_COLUMNS, rows, [i.lpn for i in items], stretch="defect")
        if batch is None:
            self.detail.setText(self.tr("Open a batch for a vendor, then scan its approved units."))
            return
        at = self.vendor.findData(batch.vendor.code)
        if at >= 0 and at != self.vendor.currentIndex():
            self.vendor.setCurrentIndex(at)  # the vendor picker follows the batch picked
        text = self.tr("%1 for %2 <%3>, credits %4: %5 units, claim %6 %7.").replace("%1", batch.number) \
            .replace("%2", batch.vendor.name).replace("%3", batch.vendor.contact_email or "-") \
            .replace("%4", self._terms(batch.vendor)).replace("%5", str(len(items))).replace("%6", batch.currency) \
            .replace("%7", f"{batch.total:,.2f}")
        if batch.state != RtvState.OPEN:
            text += " " + self.tr("RA %1, %2 %3.").replace("%1", batch.ra_number).replace("%2", batch.carrier) \
                .replace("%3", batch.tracking_number)
        if batch.days_open is not None:
            text += " " + self.tr("Claim open %n day(s).", "", batch.days_open)
        if batch.state == RtvState.CREDITED and batch.credited_amount is not None:
            text += " " + self.tr("Credited %1 on %2.").replace("%1", f"{batch.credited_amount:,.2f}") \
                .replace("%2", str(batch.credited_on))
        if batch.state == RtvState.DISPUTED:
            text += " " + self.tr("Disputed: %1").replace("%1", batch.dispute_reason)
        if batch.credit_note:  # this dock's credit waiting for central, or void
            text += " " + note_words(batch.credit_note, chinese())
        self.detail.setText(text)

    # ------------------------------------------------------------------ actions
    def desk_actions(self) -> dict[str, Callable[[], None]]:
        """The desk's actions by their ``ui.keymap`` names (keys, buttons and command scans)."""
        return {"open_batch": self.open_batch, "ship": self.ship_or_print_again, "acknowledge": self.acknowledge,
                "credit": self.credit, "dispute": self.dispute}

    def do(self, action: str) -> None:
        """Do one of ``desk_actions()``: what a button click, its key and its command scan share."""
        self.desk_actions()[action]()

    def handle_command(self, scan: str) -> bool:
        """A command scan (``CMD:SHIP``) does what its key does; ``False`` when it is not the desk's."""
        action = action_for_scan(KEYMAP, scan)
        if action is None or action not in self.desk_actions():
            return False
        self.do(action)
        return True

    def _need_batch(self) -> str | None:
        number = self.selected_batch()
        if number is None:
            self.bridge.show(Message(Level.WARNING, self.tr("No batch selected"),
                                     self.tr("Open a batch or pick one in the list first."), code="rtv_no_batch"))
        return number

    def open_batch(self) -> None:
        code = self.vendor.currentData()
        if code is None:
            self.bridge.show(Message(Level.WARNING, self.tr("No vendor"), self.tr("Pick a vendor first."),
                                     code="rtv_no_vendor"))
            return
        service, actor = self.service, self.actor

        def done(batch: BatchView) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Batch %1 opened").replace("%1", batch.number),
                                     batch.vendor.name, self.tr("Scan the units into it."), code="rtv_opened",
                                     sound="ok"))
            self.batches.insert(0, batch)
            self.refresh_then_select(batch.number)

        (self.background.op(lambda: service.open_batch(actor, code), self).success(done)
         .failure(lambda e: show_error(self.bridge, e)).write())

    def refresh_then_select(self, number: str) -> None:
        service, actor = self.service, self.actor
        def shown(loaded: tuple[list[VendorView], list[BatchView]]) -> None:
            self._show(loaded)
            self.select(number)

        (self.background.op(lambda: (service.vendors(actor), service.batches(actor)), self).success(shown)
         .failure(lambda e: show_error(self.bridge, e)).read())

    def handle_scan(self, scan: Scan) -> None:
        """A scan goes into the selected batch, unless one of the shipment's fields has the focus:
        then it fills that field (the vendor's RA barcode, the carrier's tracking label), as the
        service's "type or scan the tracking number" promises."""
        field = QApplication.focusWidget()
        if isinstance(field, QLineEdit) and field in (self.ra, self.carrier, self.tracking):
            field.setText(scan.text.strip())
            self.bridge.show(Message(Level.INFO, self.tr("Scanned into “%1”").replace("%1", field.placeholderText()),
                                     scan.text.strip(), code="rtv_field_scanned", sound="scan"))
            return
        self.add(scan.text, scan.symbology)

    def _typed(self) -> None:
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if text:
            self.add(text, "keyboard")

    def add(self, text: str, symbology: str = "unknown") -> None:
        number = self._need_batch()
        if number is None:
            return
        service, actor = self.service, self.actor

        def done(item: object) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Added %1").replace("%1", item.lpn),  # type: ignore[attr-defined]
                                     f"{item.sku}: {item.defect}", code="rtv_added", sound="ok"))  # type: ignore[attr-defined]
            self.refresh_then_select(number)

        (self.background.op(lambda: service.scan_into(actor, number, text, symbology), self).success(done)
         .failure(lambda e: show_error(self.bridge, e)).write())

    def remove_selected(self) -> None:
        """Delete on a unit of an open batch takes it out (scanned into the wrong batch)."""
        number, lpn = self.selected_batch(), selected_id(self.item_table)
        if number is None or lpn is None:
            return
        service, actor = self.service, self.actor

        def done(_none: object) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Removed %1").replace("%1", lpn), "", code="rtv_removed",
                                     sound="ok"))
            self.refresh_then_select(number)

        (self.background.op(lambda: service.remove(actor, number, lpn), self).success(done)
         .failure(lambda e: show_error(self.bridge, e)).write())

    def ship_or_print_again(self) -> None:
        """Ctrl+P: ship the selected open batch; on one that has shipped, print its paperwork."""
        batch = self._current()
        if batch is not None and batch.state != RtvState.OPEN:
            self.print_again()
        else:
            self.ship()

    def print_again(self) -> None:
        number = self._need_batch()
        if number is None:
            return
        service, actor, printer = self.service, self.actor, self.printer

        def work() -> BatchView:
            batch = service.batch(actor, number)
            printer(batch)
            return batch

        def done(batch: BatchView) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Paperwork of %1 printed again").replace("%1", batch.number),
                                     self.tr("Packing list and carton label sent to the printers."),
                                     code="rtv_paperwork", sound="ok"))

        (self.background.op(work, self).success(done).failure(lambda e: show_error(self.bridge, e)).write())

    def _already_shipped(self, error: BaseException) -> None:
        if not isinstance(error, AlreadyShipped):
            show_error(self.bridge, error)
            return
        self.bridge.show(Message(Level.WARNING, self.tr("Batch %1 is already shipped").replace("%1", error.batch_number),
                                 error.message, self.tr("Press Ctrl+P to print its paperwork again."),
                                 code=error.code, sound="attention"))
        self.refresh_then_select(error.batch_number)

    def ship(self) -> None:
        number = self._need_batch()
        if number is None:
            return
        service, actor, printer = self.service, self.actor, self.printer
        ra, carrier, tracking = self.ra.text(), self.carrier.text(), self.tracking.text()

        def work() -> BatchView:
            batch = service.ship(actor, number, ra_number=ra, carrier=carrier, tracking=tracking)
            printer(batch)
            return batch

        def done(batch: BatchView) -> None:
            self.bridge.show(Message(Level.OK, self.tr("Batch %1 shipped").replace("%1", batch.number),
                                     self.tr("Packing list and carton label sent to the printers."),
                                     code="rtv_shipped", sound="ok"))
            for field in (self.ra, self.carrier, self.tracking):
                field.clear()
            self.shipped.emit(batch.number)
            self.refresh_then_select(batch.number)

        (self.background.op(work, self).success(done).failure(self._already_shipped).write())

    def _claim(self, call: Callable[[str], BatchView], title: str, used: QLineEdit | None = None,
               pending_title: str = "") -> None:
        number = self._need_batch()
        if number is None:
            return

        def done(batch: BatchView) -> None:
            if pending_title and batch.credit_pending:  # recorded; it takes effect when central took it
                self.bridge.show(Message(Level.INFO, pending_title.replace("%1", batch.number),
                                         note_words(batch.credit_note, chinese()),
                                         code="rtv_credit_pending", sound="ok"))
            else:
                self.bridge.show(Message(Level.OK, title.replace("%1", batch.number), "", code="rtv_claim",
                                         sound="ok"))
            if used is not None:
                used.clear()
            self.refresh_then_select(batch.number)

        (self.background.op(lambda: call(number), self).success(done)
         .failure(lambda e: show_error(self.bridge, e)).write())

    def acknowledge(self) -> None:
        service, actor = self.service, self.actor
        self._claim(lambda n: service.acknowledge(actor, n), self.tr("Claim %1 acknowledged"))

    def credit(self) -> None:
        service, actor, amount = self.service, self.actor, self.amount.text().strip()
        if not amount:
            self.bridge.show(Message(Level.WARNING, self.tr("No amount"),
                                     self.tr("Type the amount the vendor credited, then Ctrl+E."), code="rtv_no_amount"))
            return
        self._claim(lambda n: service.credit(actor, n, amount), self.tr("Claim %1 credited"), self.amount,
                    self.tr("Credit of claim %1 recorded: waits for central"))

    def dispute(self) -> None:
        service, actor, reason = self.service, self.actor, self.reason.text()
        self._claim(lambda n: service.dispute(actor, n, reason), self.tr("Claim %1 disputed"), self.reason)

