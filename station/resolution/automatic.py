"""The policy's own decisions at resolution: when an RMA is ready, whether the policy may issue
its routine refund itself (and why not), the customer's return history it weighs, and the hook
the last disposition calls in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from station.core.context import Actor, StationContext
from station.core.errors import StationError
from station.models import Receipt, ResolutionKind, Rma, RmaState, Role, Unit
from station.policy.repeat_returns import all_returns, is_repeat_returner, recent_returns
from station.resolution.closing import DONE_UNIT_STATES, close_if_done, entry_of, units_of
from station.resolution.rules import ResolutionRules
from station.resolution.service import RESOLVABLE, ResolutionProposal, ResolutionService, compute

log = logging.getLogger(__name__)

POLICY_BADGE = "policy"

def policy_actor(trigger: Actor) -> Actor:
    """The policy acting on its own: audited as ``policy``, recorded against the operator whose
    disposition (or ``resolve --auto``) set it off, since a resolution names an operator."""
    return Actor(id=trigger.id, badge=POLICY_BADGE, name="return policy", role=Role.SUPERVISOR)


@dataclass(frozen=True)
class CustomerHistory:
    customer_ref: str
    returns: int
    recent: int
    window_days: int
    limit: int
    flags: tuple[str, ...]

    @property
    def rate_en(self) -> str:
        return f"{self.recent} in {self.window_days} days (limit {self.limit})"

    @property
    def rate_zh(self) -> str:
        return f"{self.window_days} 天内 {self.recent} 次（上限 {self.limit}）"


@dataclass(frozen=True)
class AutoOutcome:
    rma: str
    issued: bool
    kind: ResolutionKind | None
    amount: Decimal | None
    currency: str
    because: str


def ready_time(policy_wait_days: int, rma: Rma, units: Sequence[Unit], now: dt.datetime) -> dt.datetime | None:
    """When ``rma`` is ready to resolve (None: not while units wait for their disposition)."""
    if rma.state not in RESOLVABLE or not units or any(u.state not in DONE_UNIT_STATES for u in units):
        return None
    if rma.state == RmaState.PARTIALLY_RECEIVED:
        first = min((r.received_at for r in rma.receipts), default=now)
        return first + dt.timedelta(days=policy_wait_days)
    return now


def after_disposition(ctx: StationContext, db: Session, actor: Actor, unit: Unit,
                      rules: ResolutionRules | None = None) -> AutoOutcome | None:
    """Called in the disposition's transaction: mark the RMA ready when this was its last unit,
    let the policy resolve it when it may, and close a resolved RMA whose units are all done."""
    receipt = db.get(Receipt, unit.receipt_id)
    rma = db.get(Rma, receipt.rma_id) if receipt is not None and receipt.rma_id else None
    if rma is None:
        return None
    units = units_of(db, rma)
    service = ResolutionService(ctx, rules)
    if rma.state == RmaState.RESOLVED:
        close_if_done(service, db, actor, rma, units)
        return None
    now = ctx.now()
    ready = ready_time(ctx.policy.partial_wait_days, rma, units, now)
    if ready is None:
        return None
    entry_of(db, rma).ready_at = ready
    db.flush()
    if ready > now or not ctx.policy.auto_resolve:
        return None
    try:
        with db.begin_nested():  # the disposition stands even if the policy cannot resolve
            return auto_resolve_one(service, db, actor, rma, units)
    except StationError as exc:
        log.warning("policy left RMA %s to a person: %s", rma.number, exc)
        return AutoOutcome(rma.number, False, None, None, rma.currency, str(exc.args[0]))


def auto_refusal(policy: Any, proposal: ResolutionProposal, grades: Iterable[str], unit_flags: Iterable[str],
                 history: CustomerHistory) -> str:
    """Why the policy leaves this RMA to a person ("" when it may resolve it itself)."""
    if not policy.auto_resolve:
        return "the policy resolves nothing by itself"
    if proposal.kind != ResolutionKind.REFUND:
        return f"the rules propose {proposal.kind.value}, not a refund"
    if proposal.needs_supervisor:
        return f"rule {proposal.rule} needs a supervisor" if proposal.amount <= policy.refund_auto_limit \
            else f"{proposal.amount} {proposal.currency} is above the {policy.refund_auto_limit} limit"
    allowed = {g.value for g in policy.auto_resolve_grades}
    odd = sorted(set(grades) - allowed)
    if odd:
        return f"grade {'/'.join(odd)} is not {'/'.join(sorted(allowed))}"
    flags = sorted(set(unit_flags))
    if flags:
        return f"units flagged {', '.join(flags)}"
    if history.flags:
        return f"customer flagged {', '.join(history.flags)}"
    if proposal.suggested_rejection:
        return f"the rules suggest rejecting ({proposal.suggested_rejection})"
    return ""


def auto_resolve_one(service: ResolutionService, db: Session, actor: Actor, rma: Rma,
                     units: list[Unit], history: CustomerHistory | None = None) -> AutoOutcome:
    """Issue the routine refund the policy allows for one ready RMA, or say why not."""
    proposal = compute(service.ctx.policy, rma, units, service.rules)
    grades = [u.grade.value for u in units if u.grade is not None]
    flags = [str(f) for u in units for f in (u.flags or ())]
    if history is None:
        history = histories(db, service.ctx, [rma.customer_ref])[rma.customer_ref]
    refusal = auto_refusal(service.ctx.policy, proposal, grades, flags, history)
    if refusal:
        return AutoOutcome(rma.number, False, proposal.kind, proposal.amount, rma.currency, refusal)
    issued = service.issue_loaded(db, policy_actor(actor), rma, units, decided_by=POLICY_BADGE,
                                  note="Routine refund issued by the return policy.")
    return AutoOutcome(rma.number, True, issued.kind, issued.amount, rma.currency,
                       f"routine refund within {service.ctx.policy.refund_auto_limit}, grades "
                       f"{'/'.join(sorted(set(grades)))}, no flags")


def histories(db: Session, ctx: StationContext, refs: Iterable[str]) -> dict[str, CustomerHistory]:
    """Returns (all time and within the repeat window) per customer, counted as intake and QC
    count them (``station.policy.repeat_returns``: cancelled RMAs are not returns)."""
    refs = sorted(set(refs))
    if not refs:
        return {}
    policy, now = ctx.policy, ctx.now()
    total, recent = all_returns(db, refs), recent_returns(db, refs, policy, now)
    out = {}
    for ref in refs:
        n = recent.get(ref, 0)
        flags = ("repeat_returner",) if is_repeat_returner(n, policy) else ()
        out[ref] = CustomerHistory(ref, total.get(ref, 0), n, policy.repeat_days, policy.repeat_returns, flags)
    return out
