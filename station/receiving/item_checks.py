"""Item checks at receiving: what a scan after the RMA card means, and where it goes.

(Moved from ``ui/item_checks.py``: the view asks, this module decides. "Same item" and
"same serial" are ``station.receiving.matching``'s answers, the ones the receiving service and the
inspection flags use too.)

After the card appears the clerk may scan each item's GTIN (or type its SKU) and, for a
serialised line, its serial. ``ItemChecks.take`` decides from the station's scan classifier
whether a scan is a new parcel (RMA, tracking number, or an unknown code that is no SKU or
serial of this RMA) or an item check (GTIN, GS1, a line's SKU), matches it to a line
and records an ``ItemCheck`` per unit, which ``ParcelInput.items`` hands to the receiving
service (it flags ``wrong_item`` and ``serial_mismatch``). No Qt here: the view turns the
returned ``Step`` into a banner.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from station.core.return_policy import ReturnPolicy
from station.receiving.matching import lot_differs, normalise_gtin, same_item, serial_differs
from station.receiving.service import ItemCheck
from station.receiving.views import LineView, RmaCard
from station.scanning.classify import ScanClassifier, ScanKind, ScanMeaning
from station.scanning.lots import LotSeen, lot_of

log = logging.getLogger(__name__)

#: Scans that always start a new parcel, even while a card is open.
PARCEL_KINDS = {ScanKind.RMA, ScanKind.TRACKING}


class StepKind(enum.Enum):
    NEW_PARCEL = "new_parcel"      # look the code up as a parcel
    MATCHED = "matched"            # the item belongs to a line (``ok`` False: its lot is not the order's)
    SERIAL_ASKED = "serial_asked"  # matched a serialised line: its serial comes next
    SERIAL = "serial"              # the serial was recorded (``ok``: equals the one sold)
    WRONG_ITEM = "wrong_item"      # on no line: recorded as a wrong item
    NO_ROOM = "no_room"            # every counted item is already checked
    NOT_PRODUCT = "not_product"    # an LPN, bin, badge or misread: nothing recorded


@dataclass(frozen=True)
class Step:
    kind: StepKind
    code: str = ""
    line: LineView | None = None
    ok: bool = True
    reason: str = ""
    lot: str = ""
    """The lot the item's GS1 code carried, when it had one."""


def slots_for(line: LineView, counted: int, policy: ReturnPolicy) -> int:
    """Checks a line takes: one per unit the receiving service creates for the counted
    items (serialised lines and split categories: one unit per item; else one unit)."""
    return counted if line.serialised or policy.splits(line.category) else min(counted, 1)


class ItemChecks:
    """The checks for one open card. ``counted(line_no)`` is how many items the clerk counts
    on a line now (the card's count cells); ``slots`` follows from it and the policy."""

    def __init__(self, card: RmaCard, counted: Callable[[int], int], policy: ReturnPolicy,
                 classifier: ScanClassifier) -> None:
        self.card = card
        self.counted = counted
        self.policy = policy
        self.classifier = classifier
        self.checks: dict[int, list[ItemCheck]] = {}
        self.awaiting_serial: LineView | None = None

    @property
    def items(self) -> Mapping[int, tuple[ItemCheck, ...]]:
        return {no: tuple(checks) for no, checks in self.checks.items() if checks}

    def slots(self, line: LineView) -> int:
        return slots_for(line, self.counted(line.line_no), self.policy)

    def take(self, scan: str | ScanMeaning) -> Step:
        """What a scan (a text, or a meaning the window already classified) does to the card."""
        meaning = self.classifier.classify(scan) if isinstance(scan, str) else scan
        code = meaning.value or meaning.text
        if meaning.kind is ScanKind.RMA or (meaning.kind is ScanKind.REJECTED and meaning.details.get("expected") == "rma"):
            return Step(StepKind.NEW_PARCEL, meaning.text)
        gtin = self._gtin_of(meaning)
        if self.awaiting_serial is not None and not (gtin and self._line_for(gtin, "")):
            return self._serial(self.awaiting_serial, meaning.text.strip())
        if meaning.kind is ScanKind.TRACKING:
            return Step(StepKind.NEW_PARCEL, meaning.text)
        if meaning.kind in (ScanKind.GTIN, ScanKind.GS1) and gtin:
            step = self._item(gtin, lot_of(meaning))
            serial = meaning.details.get("serial", "")
            if serial and step.kind is StepKind.SERIAL_ASKED and step.line is not None:
                return self._serial(step.line, str(serial))
            return step
        if meaning.kind is ScanKind.UNKNOWN and meaning.text:
            text = meaning.text.strip()
            by_serial = [l for l in self.card.lines if l.serialised and l.serial and not serial_differs(text, l.serial)]
            if by_serial and self._room(by_serial[0]):
                self._record(by_serial[0], ItemCheck("", by_serial[0].serial))
                return Step(StepKind.SERIAL, by_serial[0].serial, by_serial[0])
            if self._line_for("", text.upper()) is not None:
                return self._item(text.upper())
            # Neither a product nor a serial of this RMA: most likely the next parcel's label
            # (tracking numbers of carriers the formats file does not know are UNKNOWN too).
            return Step(StepKind.NEW_PARCEL, text)
        return Step(StepKind.NOT_PRODUCT, code, reason=meaning.reason)

    # --- matching -----------------------------------------------------------------------
    @staticmethod
    def _gtin_of(meaning: ScanMeaning) -> str:
        if meaning.kind is ScanKind.GTIN:
            return meaning.value
        if meaning.kind is ScanKind.GS1:
            return str(meaning.details.get("gtin", ""))
        return ""

    def _line_for(self, gtin: str, sku: str) -> LineView | None:
        for line in self.card.lines:
            if same_item(gtin or sku, line.sku, line.gtin):
                return line
        return None

    def _room(self, line: LineView) -> bool:
        return len(self.checks.get(line.line_no, [])) < self.slots(line)

    def _item(self, code: str, lot: LotSeen | None = None) -> Step:
        """``lot``: what the item's GS1 code said of its production lot, kept on its check."""
        self.awaiting_serial = None
        gtin = normalise_gtin(code)
        line = self._line_for(gtin, "" if gtin else code)
        check = ItemCheck(code, lot=lot.lot, expiry=lot.expiry) if lot else ItemCheck(code)
        if line is not None:
            if not self._room(line):
                return Step(StepKind.NO_ROOM, code, line)
            self._record(line, check)
            if line.serialised:
                self.awaiting_serial = line
                return Step(StepKind.SERIAL_ASKED, code, line, lot=check.lot)
            return Step(StepKind.MATCHED, code, line, ok=not lot_differs(check.lot, line.lot), lot=check.lot)
        target = next((l for l in self.card.lines if self._room(l)), None)
        if target is None:
            return Step(StepKind.NO_ROOM, code)
        self._record(target, check)
        return Step(StepKind.WRONG_ITEM, code, target, ok=False)

    def recount(self, line_no: int) -> None:
        """The clerk lowered a line's count: checks beyond the items now counted are dropped,
        the last ones first (a "✓" for an item no longer in the parcel would be false)."""
        line = next((l for l in self.card.lines if l.line_no == line_no), None)
        if line is None:
            return
        checks = self.checks.get(line_no, [])
        del checks[self.slots(line):]
        if self.awaiting_serial is line and not checks:
            self.awaiting_serial = None

    def _record(self, line: LineView, check: ItemCheck) -> None:
        self.checks.setdefault(line.line_no, []).append(check)

    def _serial(self, line: LineView, serial: str) -> Step:
        self.awaiting_serial = None
        checks = self.checks.setdefault(line.line_no, [])
        if checks and not checks[-1].serial:
            checks[-1] = replace(checks[-1], serial=serial)
        elif self._room(line):
            checks.append(ItemCheck("", serial))
        else:
            return Step(StepKind.NO_ROOM, serial, line)
        return Step(StepKind.SERIAL, serial, line, ok=not serial_differs(serial, line.serial))

    def summary(self, line: LineView) -> tuple[str, bool]:
        """What the card's "Checked" cell shows for a line, and whether it is all good."""
        checks = self.checks.get(line.line_no, [])
        if not checks:
            return "", True
        parts, good = [], True
        for check in checks:
            item_ok = not check.scanned or same_item(check.scanned, line.sku, line.gtin)
            serial_ok = not serial_differs(check.serial, line.serial)
            lot_ok = not lot_differs(check.lot, line.lot)
            good = good and item_ok and serial_ok and lot_ok
            text = "✓" if item_ok else f"✗ {check.scanned}"
            if check.serial:
                text += f" S/N {check.serial}" + ("" if serial_ok else " ✗")
            if check.lot:
                text += f" LOT {check.lot}" + ("" if lot_ok else " ✗")
            parts.append(text)
        return "  ".join(parts), good
