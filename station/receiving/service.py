"""Receiving: the clerk scans a parcel, sees its RMA, confirms, and gets one LPN per unit.

The exceptions the dock meets every day are outcomes here, not crashes:
unknown parcel (quarantine record), expired RMA (held for a supervisor), duplicate scan
(nothing written; says when and by whom), partial parcel, wrong item / serial mismatch and a
parcel far lighter than its contents should weigh (flagged for QC).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from station.core.context import Actor
from station.core.errors import IllegalTransition, InvalidInput, NotFound, ScanRejected
from station.core.events import received_event
from station.core.identifiers import LPN_PATTERN, is_valid_rma_number, looks_like_rma_number, make_lpn
from station.core.lifecycle_events import matched_event, quarantined_event
from station.core.permissions import Permission, can
from station.core.return_policy import ReturnPolicy
from station.core.services import Service
from station.core.workflow import move_rma, move_unit
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    Operator,
    Order,
    ParcelCondition,
    Receipt,
    ReceiptStatus,
    Rma,
    RmaLine,
    RmaRequest,
    RmaState,
    Unit,
    UnitState,
)
from station.policy.decision import DockLine, Words, dock_hold
from station.receiving.flags import FlagCode, receipt_checks
from station.receiving.items_seen import ItemSeen, identify_item
from station.receiving.lot_holds import held_words, hold_units
from station.receiving.lookup import load_card
from station.receiving.matching import lot_differs, same_item, serial_differs
from station.receiving.rules import expected_weight_g, is_late, is_light_parcel
from station.receiving.views import (
    WHY_ZH,
    ReceiptOutcome,
    ReceiptResult,
    RmaCard,
    UnitView,
    card_of,
    not_receivable,
    unit_view,
)
from station.scanning.lots import normalise_lot

log = logging.getLogger(__name__)

MAX_CODE_LENGTH = 64
_CHECK_WARNINGS = {
    FlagCode.SERIAL_MISMATCH: Words("a serial number differs from the one sold", "有序列号与售出的不一致"),
    FlagCode.LOT_MISMATCH: Words("a production lot differs from the one the order shipped", "有生产批号与订单发货的批号不一致"),
    FlagCode.LIGHT_PARCEL: Words("the parcel is much lighter than its contents should be", "包裹比应有的重量轻很多"),
}
MAX_WEIGHT_G = 100_000
FINISHED_STATES = {RmaState.RECEIVED, RmaState.INSPECTED, RmaState.RESOLVED, RmaState.CLOSED}


@dataclass(frozen=True)
class MatchedParcel:
    """A parcel without RMA, matched and received: the RMA and the units to label."""

    rma_number: str
    units: tuple[UnitView, ...]


@dataclass(frozen=True)
class ItemCheck:
    """What the clerk found for one unit of a line: the item's scanned SKU/GTIN and serial."""

    scanned: str = ""
    serial: str = ""
    lot: str = ""
    """The production lot read from the item's GS1 code (AI 10) or typed; empty when unknown."""
    expiry: dt.date | None = None


@dataclass(frozen=True)
class ParcelInput:
    """The clerk's confirmation of a parcel. Empty ``quantities`` means "everything outstanding"."""

    weight_g: int | None = None
    condition: ParcelCondition = ParcelCondition.INTACT
    quantities: Mapping[int, int] = field(default_factory=dict)
    items: Mapping[int, Sequence[ItemCheck]] = field(default_factory=dict)
    notes: str = ""
    accept_reason: str = ""
    """A supervisor receiving a late (or policy-held) parcel accepts it at once, and must say why:
    the reason goes on an approval row decided by them, as if a clerk had asked."""


class AcceptReasonNeeded(InvalidInput):
    """A supervisor receives a parcel a clerk could only hold for approval: the reason is missing."""

    code = "accept_reason_needed"


def normalise_code(code: str) -> str:
    """Strip what scanners add (control characters, spaces) and bound the length."""
    cleaned = "".join(ch for ch in code if ch.isprintable()).strip().upper()
    if not cleaned:
        raise ScanRejected("The scan was empty.", next_step="Scan the parcel's RMA or tracking barcode.")
    if len(cleaned) > MAX_CODE_LENGTH:
        raise ScanRejected(
            f"The scan is {len(cleaned)} characters long; no RMA or tracking number is longer "
            f"than {MAX_CODE_LENGTH}.",
            next_step="Scan the RMA or tracking barcode, not another code on the parcel.",
        )
    return cleaned


class ReceivingService(Service):
    # ----------------------------------------------------------------- look-up
    def identify_item(self, code: str) -> ItemSeen:
        """What a product code scanned over a card names, for the banner of a wrong item."""
        with self.reading() as db:
            return identify_item(db, code)

    def find(self, code: str) -> RmaCard:
        """The RMA card for an RMA number or a carrier tracking number (the dock's hot path)."""
        code = normalise_code(code)
        with self.read_connection() as conn:
            if looks_like_rma_number(code):
                _check_rma_digit(code)
                card = load_card(conn, number=code, today=self.ctx.today())
            else:
                card = load_card(conn, tracking=code, today=self.ctx.today())
        if card is None:
            raise NotFound(
                f"No RMA found for {code}.",
                next_step="Check the label; if the parcel has no RMA, quarantine it.",
            )
        return card

    def _find_rma(self, db: Session, code: str) -> Rma | None:
        loaders = (
            selectinload(Rma.lines).selectinload(RmaLine.product),
            selectinload(Rma.receipts).selectinload(Receipt.units),
        )
        if looks_like_rma_number(code):
            _check_rma_digit(code)
            return db.scalar(select(Rma).where(Rma.number == code).options(*loaders))
        return db.scalars(
            select(Rma)
            .where(Rma.tracking_number == code)
            .order_by(Rma.authorised_at.desc())
            .limit(1)
            .options(*loaders)
        ).first()

    def _names(self, db: Session, rma: Rma) -> dict:
        ids = {r.received_by for r in rma.receipts}
        if not ids:
            return {}
        return {op.id: op.name for op in db.scalars(select(Operator).where(Operator.id.in_(ids)))}

    # ----------------------------------------------------------------- receive
    def receive(self, actor: Actor, code: str, parcel: ParcelInput | None = None) -> ReceiptResult:
        """Record a parcel against its RMA and create its units (one transaction)."""
        self.require(actor, Permission.RECEIVE)
        parcel = parcel or ParcelInput()
        code = normalise_code(code)
        _check_parcel(parcel)
        with self.transaction() as db:
            rma = self._find_rma(db, code)
            if rma is None:
                raise NotFound(
                    f"No RMA found for {code}.",
                    next_step="Check the label; if the parcel has no RMA, quarantine it.",
                )
            why = not_receivable(rma.state, bool(rma.receipts))
            if why:
                raise IllegalTransition(
                    f"RMA {rma.number} was {why}.", next_step="Quarantine the parcel for a supervisor (F9)."
                )
            if rma.state in FINISHED_STATES:
                return self._duplicate(db, rma)
            card = card_of(rma, self.ctx.today(), self._names(db, rma))
            return self._receive(db, actor, rma, card, code, parcel)

    def _duplicate(self, db: Session, rma: Rma) -> ReceiptResult:
        first = rma.receipts[0]
        who = db.get(Operator, first.received_by)
        when = first.received_at.astimezone().strftime("%Y-%m-%d %H:%M")
        lpns = [u for r in rma.receipts for u in r.units]
        return ReceiptResult(
            outcome=ReceiptOutcome.DUPLICATE,
            receipt_id=first.id,
            rma_number=rma.number,
            units=tuple(unit_view(u) for u in lpns),
            flags=(),
            message=f"RMA {rma.number} was already received on {when} by "
            f"{who.name if who else 'another station'}.",
            next_step="Nothing was recorded again. Put the parcel with its units.",
            message_zh=f"RMA {rma.number} 已于 {when} 由{who.name if who else '另一工作站'}收货。",
            next_step_zh="没有重复记录。请把包裹和它的商品放在一起。",
        )

    def _receive(
        self, db: Session, actor: Actor, rma: Rma, card: RmaCard, code: str, parcel: ParcelInput
    ) -> ReceiptResult:
        quantities = _quantities(card, parcel)
        now = self.ctx.now()
        policy_hold = _policy_hold(db, self.ctx.policy, rma, quantities, now)
        expired = is_late(card, self.ctx.policy)
        if expired and policy_hold is not None and policy_hold[0] != "returnable.non_returnable":
            policy_hold = None  # the RMA's own deadline already says why, in the dock's words
        exception = expired or policy_hold is not None
        held = exception and not can(actor, Permission.APPROVE)
        accepted_now = exception and not held
        if accepted_now and not parcel.accept_reason.strip():
            raise AcceptReasonNeeded(
                f"RMA {rma.number} is {card.days_late} days past its deadline: say why you accept it."
                if expired else f"RMA {rma.number} is held by the return policy: say why you accept it.",
                next_step="Type the reason, then Enter. Nothing was received yet.",
                zh=(f"RMA {rma.number} 已超过期限 {card.days_late} 天：请说明接受原因。" if expired
                    else f"RMA {rma.number} 被退货政策暂扣：请说明接受原因。",
                    "输入原因，然后按回车。尚未收货。"))
        complete = all(quantities.get(l.line_no, 0) == l.outstanding for l in card.lines)
        receipt = Receipt(
            rma_id=rma.id,
            scanned_code=code,
            received_at=now,
            received_by=actor.id,
            parcel_condition=parcel.condition,
            weight_g=parcel.weight_g,
            status=ReceiptStatus.AWAITING_APPROVAL if held else (
                ReceiptStatus.RECEIVED if complete else ReceiptStatus.PARTIAL
            ),
            notes=parcel.notes.strip()[:2000],
        )
        db.add(receipt)
        db.flush()
        units = self._create_units(db, rma, receipt, quantities, parcel, held)
        lot_held = self._hold_lots(db, actor, units)
        flags = self._parcel_flags(units, parcel, expired, complete)
        if policy_hold is not None:
            flags.add("policy_hold")
        receipt.flags = sorted(flags)
        _move_rma_after_receipt(rma, complete)
        received_event(db, rma, receipt, units)
        self.audit(db, actor, "parcel.received", "receipts", receipt.id, {
            "rma": rma.number, "code": code, "lpns": [u.lpn for u in units],
            "status": receipt.status.value, "flags": receipt.flags, "weight_g": parcel.weight_g,
        })
        if held:
            db.add(Approval(
                kind=ApprovalKind.EXPIRED_RMA, entity_type="receipts", entity_id=receipt.id,
                summary=_hold_summary(rma, card, policy_hold),
                requested_by=actor.id, requested_at=now,
            ))
            self.audit(db, actor, "approval.requested", "receipts", receipt.id,
                       {"kind": ApprovalKind.EXPIRED_RMA.value, "rma": rma.number,
                        "rule": policy_hold[0] if policy_hold else "deadline"})
        if accepted_now:
            reason = parcel.accept_reason.strip()[:2000]
            db.add(Approval(
                kind=ApprovalKind.EXPIRED_RMA, entity_type="receipts", entity_id=receipt.id,
                summary=_hold_summary(rma, card, policy_hold), state=ApprovalState.APPROVED,
                requested_by=actor.id, requested_at=now, decided_by=actor.id, decided_at=now,
                decision_reason=reason))
            self.audit(db, actor, "approval.expired_accepted", "receipts", receipt.id,
                       {"rma": rma.number, "reason": reason, "at_receipt": True,
                        "rule": policy_hold[0] if policy_hold else "deadline"})
        return _result(rma, receipt, units, flags, held, complete, card,
                       policy_hold[1] if policy_hold is not None else None, lot_held)

    def _create_units(
        self, db: Session, rma: Rma, receipt: Receipt, quantities: Mapping[int, int],
        parcel: ParcelInput, held: bool,
    ) -> list[Unit]:
        next_seq = self._next_lpn_sequence(db)
        units: list[Unit] = []
        for line in rma.lines:
            qty = quantities.get(line.line_no, 0)
            if qty == 0:
                continue
            product = line.product
            split = product.serialised or self.ctx.policy.splits(product.category)
            batches = [1] * qty if split else [qty]
            checks = list(parcel.items.get(line.line_no, ()))
            for index, batch in enumerate(batches):
                check = checks[index] if index < len(checks) else ItemCheck()
                seen = identify_item(db, check.scanned) if check.scanned.strip() else None
                unit = Unit(
                    lpn=make_lpn(self.ctx.station_no, next_seq),
                    receipt_id=receipt.id, rma_line_id=line.id, product_id=product.id,
                    sku_received=seen.sku if seen else "", gtin_received=seen.gtin if seen else "",
                    serial_received=check.serial.strip()[:100],
                    lot=normalise_lot(check.lot), expiry=check.expiry,
                    quantity=batch,
                    state=UnitState.QUARANTINED if held else UnitState.RECEIVED,
                    flags=sorted(item_flags(product.sku, product.gtin, line.serial, check, line.lot)),
                )
                next_seq += 1
                db.add(unit)
                units.append(unit)
        db.flush()
        for unit in units:  # the views read unit.product
            db.refresh(unit, ["product"])
        return units

    def _hold_lots(self, db: Session, actor: Actor, units: Sequence[Unit]) -> dict[str, Words]:
        """Units of a lot a supervisor put on hold are flagged for QC, each audited; {LPN: why}."""
        held = hold_units(db, units)
        for lpn, hold in held.items():
            unit = next(u for u in units if u.lpn == lpn)
            self.audit(db, actor, "unit.lot_held", "units", unit.id,
                       {"lpn": lpn, "sku": hold.sku, "lot": hold.lot, "hold": str(hold.id), "reason": hold.reason})
        return {lpn: held_words(lpn, hold) for lpn, hold in held.items()}

    def _next_lpn_sequence(self, db: Session) -> int:
        prefix = make_lpn(self.ctx.station_no, 0)[:5]
        last = db.scalar(
            select(func.max(Unit.lpn)).where(Unit.lpn >= prefix, Unit.lpn < prefix + "A")
        )
        if last is None:
            return 1
        match = LPN_PATTERN.match(last)
        return int(match.group(2)) + 1 if match else 1

    def _parcel_flags(self, units: Sequence[Unit], parcel: ParcelInput, expired: bool, complete: bool) -> set[str]:
        flags: set[str] = set()
        if not complete:
            flags.add("partial")
        if expired:
            flags.add("expired")
        if parcel.condition != ParcelCondition.INTACT:
            flags.add(f"parcel_{parcel.condition.value}")
        if is_light_parcel(parcel.weight_g, expected_weight_g(units), self.ctx.policy):
            flags.add(FlagCode.LIGHT_PARCEL)
        return flags

    # ----------------------------------------------------------------- unknown parcels
    def quarantine_unknown(
        self, actor: Actor, code: str, *, weight_g: int | None = None, notes: str = ""
    ) -> ReceiptResult:
        """Record a parcel nobody can match to an RMA, so it is findable and a supervisor decides."""
        self.require(actor, Permission.QUARANTINE)
        code = normalise_code(code)
        _check_parcel(ParcelInput(weight_g=weight_g))
        with self.transaction() as db:
            try:
                rma = self._find_rma(db, code)
            except ScanRejected:
                rma = None  # a misread RMA-shaped label: recorded as it was read
            if rma is not None:
                return self._quarantine_for_rma(db, actor, rma, code, weight_g, notes)
            existing = db.scalar(
                select(Receipt).where(Receipt.scanned_code == code, Receipt.rma_id.is_(None))
            )
            if existing is not None:
                return ReceiptResult(
                    outcome=ReceiptOutcome.DUPLICATE, receipt_id=existing.id, rma_number="",
                    units=(), flags=("unknown_parcel",),
                    message=f"Parcel {code} is already in quarantine since "
                    f"{existing.received_at.astimezone().strftime('%Y-%m-%d %H:%M')}.",
                    next_step="Put it on the quarantine shelf.",
                    message_zh=f"包裹 {code} 自 {existing.received_at.astimezone().strftime('%Y-%m-%d %H:%M')} "
                    "起已在隔离区。",
                    next_step_zh="请放到隔离货架上。",
                )
            receipt = Receipt(
                rma_id=None, scanned_code=code, received_at=self.ctx.now(), received_by=actor.id,
                weight_g=weight_g, status=ReceiptStatus.QUARANTINED, flags=["unknown_parcel"],
                notes=notes.strip()[:2000],
            )
            db.add(receipt)
            db.flush()
            db.add(Approval(
                kind=ApprovalKind.UNKNOWN_PARCEL, entity_type="receipts", entity_id=receipt.id,
                summary=f"Parcel {code} has no RMA.", requested_by=actor.id,
                requested_at=self.ctx.now(),
            ))
            self.audit(db, actor, "parcel.quarantined", "receipts", receipt.id, {"code": code})
            quarantined_event(db, receipt, code)
            return ReceiptResult(
                outcome=ReceiptOutcome.QUARANTINED, receipt_id=receipt.id, rma_number="", units=(),
                flags=("unknown_parcel",), message=f"Parcel {code} has no RMA: recorded in quarantine.",
                next_step="Put it on the quarantine shelf for a supervisor.",
                message_zh=f"包裹 {code} 没有 RMA：已记录到隔离区。", next_step_zh="请放到隔离货架上，等待主管处理。",
            )

    def match_unknown(self, actor: Actor, receipt_id: object, rma_code: str, reason: str) -> MatchedParcel:
        """A supervisor found the RMA of a quarantined parcel: in one transaction the parcel's
        approval is closed as matched (audited, a ``parcel.matched`` event), the quarantined
        receipt is attached to that RMA and its units are created as at a normal receipt
        (everything still expected on the RMA; audited ``parcel.received``), so the parcel
        leaves quarantine for inspection. Returns the RMA and the units, whose LPN labels the
        caller prints: a matched parcel without labels could not be found at inspection."""
        self.require(actor, Permission.APPROVE)
        why = (reason or "").strip()
        if not why:
            raise InvalidInput("Say how the parcel was matched.", next_step="e.g. the invoice in the box.")
        code = normalise_code(rma_code)
        with self.transaction() as db:
            receipt = db.get(Receipt, receipt_id)
            if receipt is None:
                raise NotFound("No quarantined parcel under that id.")
            pending = db.scalars(select(Approval).where(
                Approval.kind == ApprovalKind.UNKNOWN_PARCEL, Approval.entity_id == receipt.id,
                Approval.state == ApprovalState.PENDING)).first()
            if pending is None:
                raise IllegalTransition(f"Parcel {receipt.scanned_code} was already decided.")
            if receipt.rma_id is not None or receipt.status != ReceiptStatus.QUARANTINED:
                raise NotFound("No quarantined parcel under that id.")
            rma = self._find_rma(db, code)
            if rma is None:
                raise NotFound(f"No RMA found for {code}.", next_step="Check the number on the paperwork.")
            cannot = not_receivable(rma.state, bool(rma.receipts))
            if cannot or rma.state in FINISHED_STATES:
                raise IllegalTransition(
                    f"RMA {rma.number} was {cannot or 'already received'}: the parcel cannot be received into it.",
                    next_step="Search again, or leave the parcel in quarantine.")
            now = self.ctx.now()
            pending.state, pending.decided_by, pending.decided_at = ApprovalState.APPROVED, actor.id, now
            pending.decision_reason = f"matched to {rma.number}: {why}"[:500]
            receipt.notes = (f"{receipt.notes}\nmatched to {rma.number}" if receipt.notes
                             else f"matched to {rma.number}")[:2000]
            self.audit(db, actor, "parcel.matched", "receipts", receipt.id,
                       {"code": receipt.scanned_code, "rma": rma.number, "reason": why})
            matched_event(db, receipt, rma, now)
            units = self._receive_matched(db, actor, rma, receipt)
            return MatchedParcel(rma.number, tuple(unit_view(u) for u in units))

    def _receive_matched(self, db: Session, actor: Actor, rma: Rma, receipt: Receipt) -> list[Unit]:
        """Receive a matched parcel into its RMA: all still expected, released (the supervisor
        who matched it is the approval)."""
        card = card_of(rma, self.ctx.today(), self._names(db, rma))
        parcel = ParcelInput(weight_g=receipt.weight_g)
        quantities = _quantities(card, parcel)
        receipt.rma_id = rma.id
        receipt.status = ReceiptStatus.RECEIVED
        db.flush()
        units = self._create_units(db, rma, receipt, quantities, parcel, held=False)
        self._hold_lots(db, actor, units)
        flags = {*(receipt.flags or []), "matched"}
        if is_light_parcel(receipt.weight_g, expected_weight_g(units), self.ctx.policy):
            flags.add(FlagCode.LIGHT_PARCEL)  # weighed at quarantine, judged now its contents are known
        receipt.flags = sorted(flags)
        _move_rma_after_receipt(rma, complete=True)
        received_event(db, rma, receipt, units)
        self.audit(db, actor, "parcel.received", "receipts", receipt.id, {
            "rma": rma.number, "code": receipt.scanned_code, "lpns": [u.lpn for u in units],
            "status": receipt.status.value, "flags": receipt.flags, "weight_g": receipt.weight_g,
            "matched": True,
        })
        return units

    def _quarantine_for_rma(self, db: Session, actor: Actor, rma: Rma, code: str, weight_g: int | None,
                            notes: str) -> ReceiptResult:
        """A parcel for an RMA that cannot take it (cancelled, closed unreceived)."""
        why = not_receivable(rma.state, any(r.status != ReceiptStatus.QUARANTINED for r in rma.receipts))
        if not why:
            raise InvalidInput(f"RMA {rma.number} can be received.", next_step="Press Enter to receive it.")
        flag = f"rma_{why}"
        existing = next((r for r in rma.receipts if r.status == ReceiptStatus.QUARANTINED), None)
        if existing is not None:
            return ReceiptResult(
                outcome=ReceiptOutcome.DUPLICATE, receipt_id=existing.id, rma_number=rma.number, units=(),
                flags=(flag,), message=f"The parcel for {why} RMA {rma.number} is already in quarantine since "
                f"{existing.received_at.astimezone().strftime('%Y-%m-%d %H:%M')}.",
                next_step="Put it on the quarantine shelf.",
                message_zh=f"{WHY_ZH.get(why, why)}的 RMA {rma.number} 的包裹自 "
                f"{existing.received_at.astimezone().strftime('%Y-%m-%d %H:%M')} 起已在隔离区。",
                next_step_zh="请放到隔离货架上。")
        receipt = Receipt(
            rma_id=rma.id, scanned_code=code, received_at=self.ctx.now(), received_by=actor.id,
            weight_g=weight_g, status=ReceiptStatus.QUARANTINED, flags=[flag], notes=notes.strip()[:2000],
        )
        db.add(receipt)
        db.flush()
        db.add(Approval(
            kind=ApprovalKind.UNKNOWN_PARCEL, entity_type="receipts", entity_id=receipt.id,
            summary=f"Parcel for {why} RMA {rma.number}.", requested_by=actor.id, requested_at=self.ctx.now(),
        ))
        self.audit(db, actor, "parcel.quarantined", "receipts", receipt.id,
                   {"code": code, "rma": rma.number, "reason": flag})
        return ReceiptResult(
            outcome=ReceiptOutcome.QUARANTINED, receipt_id=receipt.id, rma_number=rma.number, units=(),
            flags=(flag,), message=f"RMA {rma.number} was {why}: parcel recorded in quarantine.",
            next_step="Put it on the quarantine shelf for a supervisor.",
            message_zh=f"RMA {rma.number} {WHY_ZH.get(why, why)}：包裹已记录到隔离区。",
            next_step_zh="请放到隔离货架上，等待主管处理。",
        )

    # ----------------------------------------------------------------- approvals
    def approve_expired(self, actor: Actor, receipt_id: object, reason: str) -> ReceiptResult:
        """A supervisor accepts a late parcel: its units are released for inspection."""
        self.require(actor, Permission.APPROVE)
        if not reason.strip():
            raise InvalidInput("Give a reason for accepting the late parcel.")
        with self.transaction() as db:
            receipt = db.get(Receipt, receipt_id)
            if receipt is None or receipt.status != ReceiptStatus.AWAITING_APPROVAL:
                raise NotFound("No late parcel is waiting for approval under that receipt.")
            approval = db.scalar(select(Approval).where(
                Approval.entity_id == receipt.id, Approval.kind == ApprovalKind.EXPIRED_RMA))
            if approval is not None:
                approval.state = ApprovalState.APPROVED
                approval.decided_by = actor.id
                approval.decided_at = self.ctx.now()
                approval.decision_reason = reason.strip()
            for unit in receipt.units:
                move_unit(unit, UnitState.RECEIVED)
            receipt.status = ReceiptStatus.PARTIAL if "partial" in receipt.flags else ReceiptStatus.RECEIVED
            self.audit(db, actor, "approval.expired_accepted", "receipts", receipt.id,
                       {"reason": reason.strip()})
            rma = receipt.rma
            return ReceiptResult(
                outcome=ReceiptOutcome.RECEIVED, receipt_id=receipt.id,
                rma_number=rma.number if rma else "", units=tuple(unit_view(u) for u in receipt.units),
                flags=tuple(receipt.flags), message="Late parcel accepted; its units can be inspected.",
                next_step="", message_zh="已接受迟到的包裹；其商品可以质检。",
            )


def _check_rma_digit(code: str) -> None:
    if not is_valid_rma_number(code):
        raise ScanRejected(
            f"{code} fails its check digit: a misread or a mistyped RMA number.",
            next_step="Scan it again.",
        )


def _check_parcel(parcel: ParcelInput) -> None:
    if parcel.weight_g is not None and not 0 <= parcel.weight_g <= MAX_WEIGHT_G:
        raise InvalidInput(f"A parcel weight of {parcel.weight_g} g is not plausible.",
                           next_step="Weigh the parcel again.")
    for line_no, qty in parcel.quantities.items():
        if qty < 0:
            raise InvalidInput(f"Line {line_no}: a quantity cannot be negative.")


def _quantities(card: RmaCard, parcel: ParcelInput) -> dict[int, int]:
    lines = {line.line_no: line for line in card.lines}
    unknown = set(parcel.quantities) - set(lines)
    if unknown:
        raise InvalidInput(f"RMA {card.number} has no line {min(unknown)}.")
    if not parcel.quantities:
        quantities = {n: line.outstanding for n, line in lines.items()}
    else:
        quantities = {n: parcel.quantities.get(n, 0) for n in lines}
    for n, qty in quantities.items():
        if qty > lines[n].outstanding:
            raise InvalidInput(
                f"Line {n} ({lines[n].sku}): {qty} counted but only {lines[n].outstanding} "
                "are still expected on this RMA.",
                next_step="Count again; extra items go to quarantine as an unknown parcel.",
            )
    if sum(quantities.values()) == 0:
        raise InvalidInput(f"Nothing counted for RMA {card.number}.",
                           next_step="Count the items in the parcel, or quarantine an empty box.")
    return quantities


def item_flags(sku: str, gtin: str | None, sold_serial: str | None, check: ItemCheck,
               sold_lot: str | None = None) -> set[str]:
    """Flags one item check raises against the line sold (``station.receiving.matching`` decides).
    ``sold_lot``: the lot the order says it shipped (copied to the RMA line), empty when unknown."""
    flags: set[str] = set()
    if check.scanned.strip() and not same_item(check.scanned, sku, gtin):
        flags.add(FlagCode.WRONG_ITEM)
    if serial_differs(check.serial, sold_serial):
        flags.add(FlagCode.SERIAL_MISMATCH)
    if lot_differs(check.lot, sold_lot):
        flags.add(FlagCode.LOT_MISMATCH)
    return flags


def _move_rma_after_receipt(rma: Rma, complete: bool) -> None:
    target = RmaState.RECEIVED if complete else RmaState.PARTIALLY_RECEIVED
    move_rma(rma, target)


def _policy_hold(db: Session, policy: ReturnPolicy, rma: Rma, quantities: Mapping[int, int],
                 now: dt.datetime) -> tuple[str, Words] | None:
    """The policy rule that holds this parcel (non-returnable item, window passed), or None.

    The window counts from authorisation, or from the order's delivery when the policy says
    so and the RMA came through the intake (which knows the delivery date).
    """
    counted_from = rma.authorised_at
    if policy.request.dock_counts_from == "delivery":
        delivered = db.scalar(select(Order.delivered_at).join(RmaRequest, RmaRequest.order_id == Order.id)
                              .where(RmaRequest.rma_id == rma.id))
        counted_from = delivered or counted_from
    lines = [DockLine(l.sku, l.product.category) for l in rma.lines if quantities.get(l.line_no, 0)]
    return dock_hold(policy, lines, counted_from, now)


def _result(
    rma: Rma, receipt: Receipt, units: list[Unit], flags: set[str], held: bool, complete: bool,
    card: RmaCard, hold_words: Words | None = None, lot_held: Mapping[str, Words] | None = None,
) -> ReceiptResult:
    unit_flags = sorted({f for u in units for f in u.flags})
    all_flags = tuple(sorted(flags | set(unit_flags)))
    n = len(units)
    views = tuple(unit_view(u) for u in units)
    labels = f"{n} LPN label{'s' if n != 1 else ''}"
    if held:
        return ReceiptResult(
            ReceiptOutcome.AWAITING_APPROVAL, receipt.id, rma.number, views, all_flags,
            f"RMA {rma.number}: {hold_words.en} Held for a supervisor." if hold_words else
            f"RMA {rma.number} is {card.days_late} days past its deadline: held for a supervisor.",
            f"Print {labels} and put the parcel on the approval shelf.",
            f"RMA {rma.number}：{hold_words.zh} 等待主管处理。" if hold_words else
            f"RMA {rma.number} 已超过期限 {card.days_late} 天：等待主管处理。",
            f"打印 {n} 张 LPN 标签，把包裹放到审批货架上。",
        )
    outcome = ReceiptOutcome.RECEIVED if complete else ReceiptOutcome.PARTIAL
    if complete:
        message = f"RMA {rma.number} received: {n} unit{'s' if n != 1 else ''}."
        message_zh = f"RMA {rma.number} 已收货：{n} 件。"
    else:
        missing = sum(l.outstanding for l in card.lines) - sum(u.quantity for u in units)
        message = f"RMA {rma.number} partly received: {missing} item(s) still missing."
        message_zh = f"RMA {rma.number} 部分收货：仍缺 {missing} 件。"
    warnings: list[Words] = []
    for code in receipt_checks(all_flags):
        if code is FlagCode.WRONG_ITEM:  # each wrong item by its LPN, with what came back
            warnings += [_wrong_item_words(u, v) for u, v in zip(units, views) if FlagCode.WRONG_ITEM in (u.flags or ())]
        elif code is FlagCode.LOT_HELD:  # each unit of a held lot by its LPN, with the hold's reason
            warnings += list((lot_held or {}).values())
        else:
            warnings.append(_CHECK_WARNINGS[code])
    if warnings:
        message += " Check: " + "; ".join(w.en for w in warnings) + "."
        message_zh += " 请核对：" + "；".join(w.zh for w in warnings) + "。"
    return ReceiptResult(outcome, receipt.id, rma.number, views, all_flags, message,
                         f"Print {labels} and send the units to QC.", message_zh,
                         f"打印 {n} 张 LPN 标签并把商品送去质检。")


def _wrong_item_words(unit: Unit, view: UnitView) -> Words:
    sold = unit.product
    sold_en = f"{sold.name_en} ({sold.sku})" if sold else "the line's product"
    sold_zh = f"{sold.name_zh or sold.name_en}（{sold.sku}）" if sold else "该行商品"
    return Words(f"{unit.lpn} is a wrong item: sold {sold_en}, came back {view.came_back}",
                 f"{unit.lpn} 是错发商品：售出 {sold_zh}，退回 {view.came_back_zh or view.came_back}")


def _hold_summary(rma: Rma, card: RmaCard, policy_hold: tuple[str, Words] | None) -> str:
    """Why a parcel needs a supervisor, for the approval row."""
    if policy_hold is not None:
        return f"RMA {rma.number}: {policy_hold[1].en} (policy rule {policy_hold[0]})"
    return f"RMA {rma.number} arrived {card.days_late} days after its deadline {card.deadline.isoformat()}."
