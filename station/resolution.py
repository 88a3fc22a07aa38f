"""Customer resolution: what the customer gets once every returned unit has its disposition.

Amounts are exact decimals: each unit earns back its line price times its quantity, less the
restocking fee its grade carries under the policy (no fee where the shop was at fault).
Exchanges carry no refund. Refunds above the policy's auto-approve limit, and any manual
adjustment, need a supervisor; a rejection needs a reason the customer will read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.context import Actor
from station.errors import IllegalTransition, InvalidInput, NotFound
from station.models import (
    Receipt,
    RequestedResolution,
    Resolution,
    ResolutionKind,
    Rma,
    RmaState,
    Unit,
    UnitState,
)
from station.permissions import Permission, can
from station.policy import ReturnPolicy
from station.services import Service
from station.workflow import move_rma, move_unit

log = logging.getLogger(__name__)
CENT = Decimal("0.01")
RESOLVABLE = {RmaState.RECEIVED, RmaState.PARTIALLY_RECEIVED, RmaState.INSPECTED}


@dataclass(frozen=True)
class UnitAmount:
    lpn: str
    sku: str
    quantity: int
    grade: str
    price: Decimal
    fee_rate: Decimal
    fee: Decimal


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


def compute(policy: ReturnPolicy, rma: Rma, units: list[Unit]) -> ResolutionProposal:
    """The policy's resolution for these dispositioned units (a pure calculation)."""
    lines = {line.id: line for line in rma.lines}
    amounts = []
    for unit in units:
        line = lines[unit.rma_line_id] if unit.rma_line_id in lines else None
        if line is None or unit.grade is None:
            continue
        price = (line.unit_price * unit.quantity).quantize(CENT)
        rate = policy.fee_rate(unit.grade, rma.reason_code)
        fee = (price * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        amounts.append(UnitAmount(unit.lpn, line.sku, unit.quantity, unit.grade.value, price, rate, fee))
    gross = sum((a.price for a in amounts), Decimal("0.00"))
    fee = sum((a.fee for a in amounts), Decimal("0.00"))
    if rma.requested_resolution == RequestedResolution.EXCHANGE:
        kind, amount, fee = ResolutionKind.EXCHANGE, Decimal("0.00"), Decimal("0.00")
    else:
        kind, amount = ResolutionKind.REFUND, gross - fee
    return ResolutionProposal(rma.number, kind, rma.currency, gross, fee, amount, tuple(amounts),
                              needs_supervisor=amount > policy.refund_auto_limit)


class ResolutionService(Service):
    def _load(self, db: Session, rma_number: str) -> tuple[Rma, list[Unit]]:
        rma = db.scalar(select(Rma).where(Rma.number == rma_number.strip().upper())
                        .options(selectinload(Rma.lines)))
        if rma is None:
            raise NotFound(f"No RMA {rma_number}.")
        units = list(db.scalars(select(Unit).join(Receipt).where(Receipt.rma_id == rma.id)
                                .order_by(Unit.lpn)))
        return rma, units

    def propose(self, rma_number: str) -> ResolutionProposal:
        with self.reading() as db:
            rma, units = self._load(db, rma_number)
            _check_ready(rma, units)
            return compute(self.ctx.policy, rma, units)

    def issue(self, actor: Actor, rma_number: str, *, adjusted_amount: Decimal | None = None,
              reject_reason: str = "", note: str = "") -> ResolutionProposal:
        """Record the resolution; the RMA becomes resolved (one transaction)."""
        self.require(actor, Permission.RESOLVE)
        with self.transaction() as db:
            rma, units = self._load(db, rma_number)
            _check_ready(rma, units)
            proposal = compute(self.ctx.policy, rma, units)
            kind, amount = proposal.kind, proposal.amount
            if reject_reason.strip():
                self.require(actor, Permission.APPROVE)
                kind, amount = ResolutionKind.REJECTED, Decimal("0.00")
            elif adjusted_amount is not None:
                self.require(actor, Permission.ADJUST_RESOLUTION)
                amount = _check_adjustment(self.ctx.policy, proposal, adjusted_amount, note)
            if proposal.needs_supervisor and not can(actor, Permission.APPROVE):
                raise IllegalTransition(
                    f"A refund of {proposal.amount} {proposal.currency} is above the "
                    f"{self.ctx.policy.refund_auto_limit} limit.", next_step="A supervisor must issue it.")
            resolution = Resolution(
                rma_id=rma.id, kind=kind, gross_amount=proposal.gross, fee_amount=proposal.fee,
                amount=amount, currency=proposal.currency,
                breakdown=[{"lpn": u.lpn, "sku": u.sku, "quantity": u.quantity, "grade": u.grade,
                            "price": str(u.price), "fee_rate": str(u.fee_rate), "fee": str(u.fee)}
                           for u in proposal.units],
                reason=(reject_reason or note).strip(), issued_by=actor.id, issued_at=self.ctx.now(),
            )
            db.add(resolution)
            move_rma(rma, RmaState.RESOLVED)
            db.flush()
            self.audit(db, actor, "rma.resolved", "rmas", rma.id, {
                "rma": rma.number, "kind": kind.value, "amount": str(amount),
                "computed_amount": str(proposal.amount), "currency": proposal.currency,
                "reason": resolution.reason,
            })
            return ResolutionProposal(rma.number, kind, proposal.currency, proposal.gross,
                                      proposal.fee, amount, proposal.units, proposal.needs_supervisor)

    def close(self, actor: Actor, rma_number: str) -> None:
        """Close a resolved RMA and its units: nothing more will happen to them."""
        self.require(actor, Permission.CLOSE_RMA)
        with self.transaction() as db:
            rma, units = self._load(db, rma_number)
            move_rma(rma, RmaState.CLOSED)
            for unit in units:
                if unit.state == UnitState.DISPOSITIONED:
                    move_unit(unit, UnitState.CLOSED)
            self.audit(db, actor, "rma.closed", "rmas", rma.id, {"rma": rma.number})


def _check_ready(rma: Rma, units: list[Unit]) -> None:
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


def _check_adjustment(policy: ReturnPolicy, proposal: ResolutionProposal, amount: Decimal, note: str) -> Decimal:
    if not note.strip():
        raise InvalidInput("Say why the refund is adjusted.")
    amount = Decimal(amount).quantize(CENT)
    if amount < 0 or amount > proposal.gross:
        raise InvalidInput(f"An adjusted refund must be between 0 and {proposal.gross} {proposal.currency}.")
    limit = (proposal.amount * policy.max_adjustment_ratio).quantize(CENT)
    if abs(amount - proposal.amount) > limit:
        raise InvalidInput(f"An adjustment may change the refund by at most {limit} {proposal.currency} "
                           f"({policy.max_adjustment_ratio:.0%} of {proposal.amount}).")
    return amount
