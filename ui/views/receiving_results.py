"""What receiving shows after acting: receipt outcomes, item-check steps, label reprints.
A mixin of ``ReceivingView`` (it needs ``flow``, ``shell``, ``actor``, ``card``, ``lpns``,
``look_up``)."""

from __future__ import annotations

from typing import Any

from station.receiving.flags import FlagCode
from station.receiving.item_checks import Step, StepKind
from station.receiving.items_seen import ItemSeen
from station.receiving.reprint import Reprint, ReprintService
from station.receiving.views import LineView, ReceiptOutcome, ReceiptResult, failed_checks
from ui.bridge import Level, Message
from ui.errors import show_error


class ResultActions:
    def show_result(self: Any, result: ReceiptResult) -> None:
        level, title, sound = {
            ReceiptOutcome.RECEIVED: (Level.OK, self.tr("Received"), "ok"),
            ReceiptOutcome.PARTIAL: (Level.WARNING, self.tr("Partly received"), "partial"),
            ReceiptOutcome.DUPLICATE: (Level.WARNING, self.tr("Already received"), "duplicate"),
            ReceiptOutcome.AWAITING_APPROVAL: (Level.WARNING, self.tr("Held for a supervisor"), "attention"),
            ReceiptOutcome.QUARANTINED: (Level.ERROR, self.tr("Quarantined"), "unknown"),
        }[result.outcome]
        checks = failed_checks(result)
        if checks:
            level, sound = Level.WARNING, "attention"
            words = {FlagCode.WRONG_ITEM: self.tr("wrong item"), FlagCode.SERIAL_MISMATCH: self.tr("serial mismatch"),
                     FlagCode.LIGHT_PARCEL: self.tr("parcel too light"), FlagCode.LOT_HELD: self.tr("lot on hold"),
                     FlagCode.LOT_MISMATCH: self.tr("lot mismatch")}
            title = self.tr("%1 — check: %2").replace("%1", title).replace(
                "%2", ", ".join(words[f] for f in checks))
        message, next_step = result.words(self.shell.language)
        self.shell.bridge.show(Message(level, title, message, next_step, code=result.outcome.value, sound=sound))
        self.lpns.show_units(result.units)
        self._keep_outcome(result, title)
        if result.outcome == ReceiptOutcome.QUARANTINED:
            self.card.clear()

    def _keep_outcome(self: Any, result: ReceiptResult, title: str) -> None:
        """The last parcel's outcome stays on screen until the next parcel is confirmed: a
        parcel scanned over unsaved work and shown after Enter received the first one put its
        own card and banner up, and the first one's result (its LPNs) was gone from the screen."""
        lpns = ", ".join(u.lpn for u in result.units)
        text = self.tr("Last parcel: %1 — %2").replace("%1", result.rma_number or self.tr("no RMA")).replace(
            "%2", title)
        self.last_parcel.setText(text + (f"   {lpns}" if lpns else ""))
        self.last_parcel.setVisible(True)

    # --- item checks --------------------------------------------------------------------
    def _line_name(self: Any, line: LineView) -> str:
        zh = self.shell.language.startswith("zh")
        return (line.name_zh if zh and line.name_zh else line.name_en) or line.sku

    def _item_scan(self: Any, step: Step) -> None:
        if step.kind is StepKind.NEW_PARCEL:
            self.look_up(step.code)
            return
        checks = self.flow.checks
        if checks is not None:
            for line in checks.card.lines:
                self.card.set_check(line.line_no, *checks.summary(line))
        line = step.line
        name, sku = (self._line_name(line), line.sku) if line is not None else ("", "")
        then = self.tr("Scan the next item, or press Enter to receive.")
        if step.kind is StepKind.MATCHED and not step.ok:
            message = Message(Level.WARNING, self.tr("Lot %1 is not the one shipped").replace("%1", step.lot),
                              self.tr("%1 was shipped from lot %2.").replace("%1", name).replace(
                                  "%2", line.lot if line else ""),
                              self.tr("Put the unit aside for QC; it is flagged when received."),
                              code="lot_mismatch", sound="attention")
        elif step.kind is StepKind.MATCHED:
            message = Message(Level.INFO, self.tr("%1 checked").replace("%1", sku), name, then,
                              code="item_checked", sound="scan")
        elif step.kind is StepKind.SERIAL_ASKED:
            message = Message(Level.INFO, self.tr("Scan the serial number of %1").replace("%1", name), sku,
                              self.tr("Or press Enter to receive without it."), code="serial_asked", sound="scan")
        elif step.kind is StepKind.SERIAL and step.ok:
            message = Message(Level.INFO, self.tr("Serial %1 matches").replace("%1", step.code), name, then,
                              code="serial_ok", sound="scan")
        elif step.kind is StepKind.SERIAL:
            message = Message(Level.WARNING, self.tr("Serial %1 is not the one sold").replace("%1", step.code),
                              self.tr("%1 was sold with serial %2.").replace("%1", name).replace(
                                  "%2", line.serial if line else ""),
                              self.tr("Put the unit aside for QC; it is flagged when received."),
                              code="serial_mismatch", sound="attention")
        elif step.kind is StepKind.WRONG_ITEM:
            self._wrong_item(step.code, f"{name} ({sku})" if name and name != sku else sku)
            return
        elif step.kind is StepKind.NO_ROOM:
            message = Message(Level.WARNING, self.tr("Every counted item is already checked"), step.code,
                              self.tr("Raise the count, or press Enter to receive."), code="no_room", sound="error")
        else:
            message = Message(Level.WARNING, self.tr("Not a product code"), step.code,
                              self.tr("Scan the item's barcode (GTIN) or type its SKU."), code="not_product",
                              sound="error")
        self.shell.bridge.show(message)

    def _wrong_item(self: Any, code: str, sold: str) -> None:
        """Name both products: what came back (from the catalogue) and what was sold."""
        service, zh = self.service, self.shell.language.startswith("zh")

        def show(seen: ItemSeen | None) -> None:
            came = seen.words("zh" if zh else "en") if seen is not None else code
            self.shell.bridge.show(Message(
                Level.WARNING, self.tr("Wrong item: %1").replace("%1", came),
                self.tr("Recorded as a wrong item in place of %1.").replace("%1", sold),
                self.tr("Put it aside for QC; Esc clears all checks."), code="wrong_item", sound="attention"))

        self.shell.background.op(lambda: service.identify_item(code), self).success(show).failure(
            lambda _exc: show(None)).read()

    # --- reprinting LPN labels ----------------------------------------------------------
    def ask_reprint(self: Any) -> None:
        """CMD:REPRINT: the labels of the RMA on the card (or just received), else ask for a scan."""
        code = self.flow.reprint_code()
        if code is not None:
            self.reprint(code)
            return
        self.shell.bridge.show(Message(Level.INFO, self.tr("Reprint labels"), "",
                                       self.tr("Scan the unit's LPN, or the RMA for all its labels."),
                                       code="reprint_asked", sound="scan"))

    def reprint(self: Any, code: str) -> None:
        self.flow.reprint_next = False
        service, actor, labels, now = ReprintService(self.shell.ctx), self.actor, self.shell.labels, self.shell.ctx.now

        def work() -> Reprint:
            done = service.reprint(actor, code)
            labels.print_lpns(done.rma_number, done.units, now())
            return done

        def printed(done: Reprint) -> None:
            lpns = ", ".join(u.lpn for u in done.units)
            self.shell.bridge.show(Message(
                Level.OK, self.tr("1 label reprinted") if len(done.units) == 1 else
                self.tr("%1 labels reprinted").replace("%1", str(len(done.units))), lpns,
                self.tr("Stick each label on its unit."), code="reprinted", sound="ok"))

        self.shell.background.op(work, self).success(printed).failure(
            lambda exc: show_error(self.shell.bridge, exc)).write()

