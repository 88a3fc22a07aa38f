"""Customer resolution: what the customer gets once every returned unit has its disposition.

Amounts are exact decimals rounded to the currency's minor unit: each unit earns back its line
price times its quantity, less the restocking fee its grade carries under the policy (no fee
where the shop was at fault). Which kind applies (refund, exchange, a rejection suggested to a
supervisor) comes from the resolution rules table (``station.resolution.rules``); an exchange
for a cheaper SKU refunds the difference; compensation pays a share of the price to a customer
who keeps a slightly faulty item. Refunds above the policy's auto-approve limit, manual
adjustments and rejections need a supervisor; a rejection carries words the customer reads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.core.context import Actor, StationContext
from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.core.events import emit
from station.core.permissions import Permission, can
from station.core.return_policy import ReturnPolicy
from station.core.serialize import to_json_value
from station.core.services import Service
from station.core.station_state import syncs_with_central
from station.core.workflow import move_rma
from station.models import (
    Product,
    Receipt,
    Resolution,
    ResolutionKind,
    ResolutionState,
    Rma,
    RmaState,
    Unit,
    UnitState,
)
from station.resolution.closing import after_resolution, close_rma
from station.resolution.rules import ResolutionRules, load_rules

log = logging.getLogger(__name__)
RESOLVABLE = {RmaState.RECEIVED, RmaState.PARTIALLY_RECEIVED, RmaState.INSPECTED}
COMPENSABLE = {RmaState.AUTHORISED, RmaState.EXPIRED}


@dataclass(frozen=True)
class UnitAmount:
    lpn: str
    sku: str
    quantity: int
    grade: str
    price: Decimal
    fee_rate: Decimal
    fee: Decimal
    exchange_sku: str = ""


@dataclass(frozen=True)
class ResolutionProposal:
    rma_number: str
    kind: ResolutionKind
    currency: str
    gross: Decimal
    fee: Decimal
    amount: Decimal
    units: tuple[UnitAmount, ...]
    needs_supervisor: bool
    rule: str = ""
    suggested_rejection: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    """Kind-specific facts for the order system: exchange SKUs, compensation form, rejection text."""


def compute(policy: ReturnPolicy, rma: Rma, units: list[Unit], rules: ResolutionRules | None = None,
            exchange_to: Product | None = None, exchange: bool = False) -> ResolutionProposal:
    """The resolution the rules give for these dispositioned units (a pure calculation).

    ``exchange_to`` asks for an exchange to another product; ``exchange`` for each unit's own
    SKU (as when the rules choose an exchange).
    """
    rules = rules or load_rules()
    money = lambda value: rules.money(value, rma.currency)  # noqa: E731 - one rounding rule
    lines = {line.id: line for line in rma.lines}
    amounts = []
    for unit in units:
        line = lines.get(unit.rma_line_id) if unit.rma_line_id else None
        if line is None or unit.grade is None:
            continue
        price = money(line.unit_price * unit.quantity)
        rate = policy.fee_rate(unit.grade, rma.reason_code)
        fee = money(price * rate)
        amounts.append(UnitAmount(unit.lpn, line.sku, unit.quantity, unit.grade.value, price, rate, fee))
    zero = money(Decimal(0))
    gross = sum((a.price for a in amounts), zero)
    fee = sum((a.fee for a in amounts), zero)
    rule = rules.choose(rma.requested_resolution.value, (f for u in units for f in (u.flags or ())))
    kind, details = rule.kind, dict[str, Any]()
    if exchange_to is not None or exchange or kind == ResolutionKind.EXCHANGE:
        kind, fee = ResolutionKind.EXCHANGE, zero
        chosen = {u.lpn: lines[u.rma_line_id].exchange_sku for u in units
                  if u.rma_line_id in lines and lines[u.rma_line_id].exchange_sku}
        amounts, amount, details = _exchange(rules, rma.currency, amounts, exchange_to, chosen)
    else:
        amount = gross - fee
    if rule.suggest_rejection:
        code, en, zh = rules.rejection_text(rule.suggest_rejection)
        details["suggested_rejection"] = {"code": code, "en": en, "zh": zh}
    return ResolutionProposal(rma.number, kind, rma.currency, gross, fee, amount, tuple(amounts),
                              needs_supervisor=amount > policy.refund_auto_limit or rule.supervisor,
                              rule=rule.name, suggested_rejection=rule.suggest_rejection, details=details)


def _exchange(rules: ResolutionRules, currency: str, amounts: list[UnitAmount],
              other: Product | None, chosen: dict[str, str] | None = None
              ) -> tuple[list[UnitAmount], Decimal, dict[str, Any]]:
    """Exchange lines and the difference refunded when the new product is cheaper.

    Without ``other``, each unit is exchanged for the variant (size, colour) the customer chose
    on the request (``chosen``, by LPN), else for its own SKU; variants of one family are sold
    at one price, so no difference is computed for them.
    """
    zero = rules.money(Decimal(0), currency)
    if other is None or all(a.sku == other.sku for a in amounts):
        lines = [replace(a, exchange_sku=(chosen or {}).get(a.lpn) or a.sku) for a in amounts]
        return lines, zero, {"exchange": [{"lpn": a.lpn, "returned_sku": a.sku, "new_sku": a.exchange_sku,
                                           "quantity": a.quantity} for a in lines]}
    if not rules.other_sku_allowed:
        raise InvalidInput("Exchanges for another product are not offered.", next_step="Exchange for the same SKU.")
    returned = sum((a.price for a in amounts), zero)
    new = rules.money(sum((other.unit_value * a.quantity for a in amounts), Decimal(0)), currency)
    if new - returned > rules.max_upcharge:
        raise InvalidInput(f"{other.sku} costs {new} {currency}, {new - returned} more than what came back "
                           f"(at most {rules.max_upcharge} is allowed).",
                           next_step="Pick a product of the same price or less, or refund instead.")
    lines = [replace(a, exchange_sku=other.sku) for a in amounts]
    difference = max(returned - new, zero) if rules.refund_difference else zero
    return lines, difference, {
        "exchange": [{"lpn": a.lpn, "returned_sku": a.sku, "new_sku": other.sku, "quantity": a.quantity}
                     for a in lines],
        "returned_value": str(returned), "new_value": str(new), "difference_refunded": str(difference)}


def compensation_for(rules: ResolutionRules, rma: Rma, form: str) -> tuple[Decimal, Decimal, dict[str, Any]]:
    """(gross, amount, details) of a coupon or partial refund for an item the customer keeps."""
    if rma.reason_code not in rules.compensation_reasons:
        raise InvalidInput(f"RMA {rma.number} ({rma.reason_code}) does not qualify for compensation; "
                           f"only {', '.join(sorted(rules.compensation_reasons))} do.")
    terms = rules.compensation_terms(form)
    gross = rules.money(sum((line.unit_price * line.quantity for line in rma.lines), Decimal(0)), rma.currency)
    amount = min(rules.money(gross * terms.rate, rma.currency), rules.money(terms.cap, rma.currency))
    return gross, amount, {"form": form, "rate": str(terms.rate), "cap": str(terms.cap),
                           "lines": [{"line_no": line.line_no, "sku": line.sku, "quantity": line.quantity,
                                      "price": str(line.unit_price)} for line in rma.lines]}


class ResolutionService(Service):
    def __init__(self, ctx: StationContext, rules: ResolutionRules | None = None) -> None:
        super().__init__(ctx)
        self.rules = rules or load_rules()

    def _load(self, db: Session, rma_number: str) -> tuple[Rma, list[Unit]]:
        rma = db.scalar(select(Rma).where(Rma.number == rma_number.strip().upper())
                        .options(selectinload(Rma.lines)))
        if rma is None:
            raise NotFound(f"No RMA {rma_number}.")
        units = list(db.scalars(select(Unit).join(Receipt).where(Receipt.rma_id == rma.id)
                                .order_by(Unit.lpn)))
        return rma, units

    def _product(self, db: Session, sku: str | None) -> Product | None:
        if not sku:
            return None
        product = db.scalar(select(Product).where(Product.sku == sku.strip().upper()))
        if product is None:
            raise NotFound(f"No product {sku} to exchange for.")
        return product

    def propose(self, rma_number: str, *, exchange_sku: str | None = None) -> ResolutionProposal:
        with self.reading() as db:
            rma, units = self._load(db, rma_number)
            check_ready(rma, units)
            return compute(self.ctx.policy, rma, units, self.rules, self._product(db, exchange_sku))

    def issue(self, actor: Actor, rma_number: str, *, adjusted_amount: Decimal | None = None,
              reject_reason: str = "", note: str = "", exchange_sku: str | None = None,
              kind: ResolutionKind | None = None) -> ResolutionProposal:
        """Record the resolution and its ``resolution.issued`` event; the RMA becomes resolved,
        and closed at once when every unit is dispositioned (``rma.closed``).

        ``reject_reason`` is a rejection code from the rules or a sentence the customer reads.
        ``kind`` other than the proposed one is an adjustment (a supervisor's, with ``note``).
        """
        self.require(actor, Permission.RESOLVE)
        with self.transaction() as db:
            rma, units = self._load(db, rma_number)
            return self.issue_loaded(db, actor, rma, units, adjusted_amount=adjusted_amount,
                                     reject_reason=reject_reason, note=note, exchange_sku=exchange_sku,
                                     kind=kind)

    def issue_loaded(self, db: Session, actor: Actor, rma: Rma, units: list[Unit], *,
                     adjusted_amount: Decimal | None = None, reject_reason: str = "", note: str = "",
                     exchange_sku: str | None = None, kind: ResolutionKind | None = None,
                     decided_by: str = "") -> ResolutionProposal:
        """``issue`` inside the caller's transaction (the auto-resolution hook runs in the
        disposition's own transaction). ``decided_by`` names the policy when it decided."""
        if kind == ResolutionKind.REJECTED and not reject_reason.strip():
            raise InvalidInput("Say why the return is rejected, in words the customer reads.")
        check_ready(rma, units)
        base = compute(self.ctx.policy, rma, units, self.rules)
        kind_changed = kind is not None and kind not in (base.kind, ResolutionKind.REJECTED)
        if exchange_sku:
            proposal = compute(self.ctx.policy, rma, units, self.rules, self._product(db, exchange_sku))
        elif kind == ResolutionKind.EXCHANGE:
            proposal = compute(self.ctx.policy, rma, units, self.rules, exchange=True)  # each for its own SKU
        else:
            proposal = base
        if kind == ResolutionKind.REFUND and proposal.kind == ResolutionKind.EXCHANGE:
            proposal = _as_refund(proposal)
        if kind_changed:
            self.require(actor, Permission.ADJUST_RESOLUTION)
            if not note.strip():
                raise InvalidInput("Say why the resolution differs from the proposed one.")
        resolved_kind, amount, details = proposal.kind, proposal.amount, dict(proposal.details)
        if reject_reason.strip():
            self.require(actor, Permission.APPROVE)
            code, en, zh = self.rules.rejection_text(reject_reason)
            resolved_kind, amount, details = ResolutionKind.REJECTED, self.rules.money(Decimal(0), rma.currency), {
                "rejection": {"code": code, "en": en, "zh": zh}}
            reason = en
        else:
            if kind == ResolutionKind.COMPENSATION:
                resolved_kind = kind
                if adjusted_amount is None:
                    _gross, amount, comp = compensation_for(self.rules, rma, "partial_refund")
                    details = {"form": comp["form"], "rate": comp["rate"], "cap": comp["cap"]}
                else:
                    amount = _check_adjustment(self.ctx.policy, self.rules, proposal, adjusted_amount, note,
                                               free=True)
                    details = {"form": "partial_refund"}
            elif adjusted_amount is not None:
                self.require(actor, Permission.ADJUST_RESOLUTION)
                amount = _check_adjustment(self.ctx.policy, self.rules, proposal, adjusted_amount, note,
                                           free=kind_changed)
            needs_supervisor = proposal.needs_supervisor or amount > self.ctx.policy.refund_auto_limit
            if needs_supervisor and not can(actor, Permission.APPROVE):
                limit = self.ctx.policy.refund_auto_limit
                raise IllegalTransition(
                    f"A refund of {max(amount, proposal.amount)} {proposal.currency} is above the {limit} limit."
                    if max(amount, proposal.amount) > limit else
                    f"Rule {proposal.rule} sends RMA {rma.number} to a supervisor.",
                    next_step="A supervisor must issue it.")
            reason = note.strip()
        breakdown = [{"lpn": u.lpn, "sku": u.sku, "quantity": u.quantity, "grade": u.grade,
                      "price": str(u.price), "fee_rate": str(u.fee_rate), "fee": str(u.fee),
                      **({"exchange_sku": u.exchange_sku} if u.exchange_sku else {})} for u in proposal.units]
        if decided_by:
            details["decided_by"] = decided_by
        resolution = self._record(db, actor, rma, resolved_kind, proposal.gross, proposal.fee, amount,
                                  breakdown, reason, details, proposal.rule, proposal.amount,
                                  decided_by=decided_by)
        move_rma(rma, RmaState.RESOLVED)
        db.flush()
        after_resolution(self, db, actor, rma, units, resolution, decided_by or actor.badge)
        log.info("RMA %s resolved: %s %s %s", rma.number, resolved_kind.value, amount, rma.currency)
        return replace(proposal, kind=resolved_kind, amount=amount,
                       details=details | {"resolution_id": str(resolution.id)})

    def compensate(self, actor: Actor, rma_number: str, form: str = "coupon", note: str = "") -> ResolutionProposal:
        """The customer keeps a slightly faulty item: a coupon or partial refund, no parcel.

        The RMA goes straight from authorised to resolved (nothing will arrive) with the
        compensation as its resolution, and can then be closed like any other.
        """
        self.require(actor, Permission.RESOLVE)
        with self.transaction() as db:
            rma, units = self._load(db, rma_number)
            if rma.state not in COMPENSABLE or units:
                raise IllegalTransition(f"RMA {rma.number} is {rma.state.value.replace('_', ' ')}; compensation "
                                        "is for a customer who keeps the item and sends nothing back.")
            gross, amount, details = compensation_for(self.rules, rma, form)
            if amount > self.ctx.policy.refund_auto_limit:
                self.require(actor, Permission.APPROVE)
            zero = self.rules.money(Decimal(0), rma.currency)  # no fee: the customer keeps the goods
            self._record(db, actor, rma, ResolutionKind.COMPENSATION, gross, zero, amount,
                         details["lines"], note.strip(), details, f"compensation_{form}", amount)
            move_rma(rma, RmaState.RESOLVED)
            return ResolutionProposal(rma.number, ResolutionKind.COMPENSATION, rma.currency, gross,
                                      zero, amount, (), False, f"compensation_{form}", "", details)

    def _record(self, db: Session, actor: Actor, rma: Rma, kind: ResolutionKind, gross: Decimal, fee: Decimal,
                amount: Decimal, breakdown: list[Any], reason: str, details: dict[str, Any], rule: str,
                computed: Decimal, decided_by: str = "") -> Resolution:
        now = self.ctx.now()
        pending = syncs_with_central(db.connection())
        resolution = Resolution(rma_id=rma.id, kind=kind, gross_amount=gross, fee_amount=fee, amount=amount,
                                currency=rma.currency, breakdown=breakdown, reason=reason, issued_by=actor.id,
                                issued_at=now, state=ResolutionState.PENDING if pending else ResolutionState.EFFECTIVE)
        db.add(resolution)
        db.flush()
        data = {
            "resolution_id": resolution.id, "kind": kind, "currency": rma.currency, "gross_amount": gross,
            "fee_amount": fee, "amount": amount, "computed_amount": computed,
            "adjusted": amount != computed and kind != ResolutionKind.REJECTED,
            "rule": rule, "lines": breakdown, "requested": rma.requested_resolution, **details,
        }
        if pending:  # the customer hears of it once central accepted it (commitments.accept)
            resolution.event_data = to_json_value(data)
        else:
            emit(db, "resolution.issued", rma, data, now)
        self.audit(db, actor, "rma.resolved", "rmas", rma.id, {
            "rma": rma.number, "kind": kind.value, "amount": str(amount), "computed_amount": str(computed),
            "currency": rma.currency, "reason": reason, "rule": rule,
            **({"decided_by": decided_by} if decided_by else {}),
            **({"pending_central": True} if pending else {}),
        })
        return resolution

    def close(self, actor: Actor, rma_number: str) -> None:
        """Close a resolved RMA by hand (it normally closes itself when its last unit is done)."""
        self.require(actor, Permission.CLOSE_RMA)
        with self.transaction() as db:
            rma, units = self._load(db, rma_number)
            close_rma(self, db, actor, rma, units)


def check_ready(rma: Rma, units: list[Unit]) -> None:
    if rma.state not in RESOLVABLE:
        raise IllegalTransition(f"RMA {rma.number} is {rma.state.value.replace('_', ' ')}; "
                                "it cannot be resolved now.")
    if not units:
        raise IllegalTransition(f"Nothing has been received for RMA {rma.number} yet.")
    waiting = [u.lpn for u in units if u.state != UnitState.DISPOSITIONED]
    if waiting:
        raise IllegalTransition(
            f"RMA {rma.number} still has {len(waiting)} unit(s) without a disposition "
            f"({', '.join(waiting[:3])}{'...' if len(waiting) > 3 else ''}).",
            next_step="Finish their inspection first.")


def _as_refund(proposal: ResolutionProposal) -> ResolutionProposal:
    """The refund an exchange proposal would have been: gross less each unit's fee."""
    units = tuple(replace(u, exchange_sku="") for u in proposal.units)
    fee = sum((u.fee for u in units), proposal.fee * 0)
    return replace(proposal, kind=ResolutionKind.REFUND, units=units, fee=fee, amount=proposal.gross - fee,
                   details={k: v for k, v in proposal.details.items() if k == "suggested_rejection"})


def _check_adjustment(policy: ReturnPolicy, rules: ResolutionRules, proposal: ResolutionProposal,
                      amount: Decimal, note: str, free: bool = False) -> Decimal:
    """The adjusted amount, rounded; within ``max_adjustment_ratio`` of the proposal unless the
    kind itself changed (``free``: a compensation is not a refund to compare with)."""
    if not note.strip():
        raise InvalidInput("Say why the refund is adjusted.")
    amount = rules.money(Decimal(amount), proposal.currency)
    if amount < 0 or amount > proposal.gross:
        raise InvalidInput(f"An adjusted refund must be between 0 and {proposal.gross} {proposal.currency}.")
    if free:
        return amount
    limit = rules.money(proposal.amount * policy.max_adjustment_ratio, proposal.currency)
    if abs(amount - proposal.amount) > limit:
        raise InvalidInput(f"An adjustment may change the refund by at most {limit} {proposal.currency} "
                           f"({policy.max_adjustment_ratio:.0%} of {proposal.amount}).")
    return amount
