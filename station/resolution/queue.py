"""The resolution desk's queue: RMAs ready for a customer resolution, their proposals and why,
and the history (the policy's own decisions are in ``station.resolution.automatic``, closing
in ``station.resolution.closing``).

An RMA is ready when every unit received for it has a disposition, or, for a partial parcel,
when the policy's ``partial_wait_days`` after its first parcel have passed. That moment is
written as ``ResolutionQueueEntry.ready_at`` by the hook the disposition service calls
(``after_disposition``), so the desk reads an index range instead of checking a million RMAs.

Each queue row carries the proposal the existing rules compute (``station.resolution.service``), the
customer's history (returns, recent returns against the repeat-returner limit, flags) and
why, in English and Chinese. Where the policy allows (``[resolution] auto``: a refund within
the auto-approve limit, grades A/B, no flags on the units or the customer) the resolution is
issued by the policy itself, audited under the badge ``policy``. An RMA closes when it is
resolved and every unit is dispositioned; units whose physical journey goes on (return to
vendor, refurbishment, scrap still awaiting approval) keep their state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from station.core.context import Actor, StationContext
from station.core.errors import StationError
from station.core.permissions import Permission
from station.core.services import Service
from station.core.station_state import syncs_with_central
from station.models import (
    Operator,
    OutboxEvent,
    OutboxState,
    Receipt,
    Resolution,
    ResolutionKind,
    ResolutionQueueEntry,
    ResolutionState,
    Rma,
    RmaState,
    Unit,
)
from station.resolution.automatic import (
    POLICY_BADGE,
    AutoOutcome,
    CustomerHistory,
    auto_refusal,
    auto_resolve_one,
    histories,
    ready_time,
)
from station.resolution.bulk import resolve_batch
from station.resolution.closing import (
    DONE_UNIT_STATES,
    entry_of,
    pending_approvals,
)
from station.resolution.rules import ResolutionRules, load_rules
from station.resolution.service import RESOLVABLE, ResolutionProposal, ResolutionService, compute

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class QueueRow:
    """One RMA waiting at the desk, with what the rules propose and why."""

    rma: str
    rma_id: uuid.UUID
    customer: str
    ready_at: dt.datetime
    partial: bool
    proposal: ResolutionProposal
    grades: tuple[str, ...]
    unit_flags: tuple[str, ...]
    history: CustomerHistory
    auto: bool
    why_en: str
    why_zh: str

    @property
    def kind(self) -> ResolutionKind:
        return self.proposal.kind

    def as_json(self) -> dict[str, Any]:
        p = self.proposal
        return {"rma": self.rma, "customer": self.customer, "ready_at": self.ready_at.isoformat(),
                "partial": self.partial, "kind": p.kind.value, "currency": p.currency,
                "gross": str(p.gross), "fee": str(p.fee), "amount": str(p.amount),
                "needs_supervisor": p.needs_supervisor, "rule": p.rule, "grades": list(self.grades),
                "flags": list(self.unit_flags),
                "history": {"returns": self.history.returns, "recent": self.history.recent,
                            "window_days": self.history.window_days, "limit": self.history.limit,
                            "flags": list(self.history.flags)},
                "auto": self.auto, "why": {"en": self.why_en, "zh": self.why_zh}}


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int


@dataclass(frozen=True)
class HistoryRow:
    rma: str
    resolved_at: dt.datetime
    kind: ResolutionKind
    amount: Decimal
    currency: str
    decided_by: str
    """The name of the operator who issued it, or ``POLICY_BADGE`` when the policy decided."""
    reason: str
    closed: bool
    state: ResolutionState = ResolutionState.EFFECTIVE
    """Pending until central took it; voided when another dock's stands (``void_reason`` says whose)."""
    void_reason: str = ""
    waiting: str = ""
    """Why central has not taken a pending one yet, when it said (its fence after a restore)."""

    @property
    def automatic(self) -> bool:
        return self.decided_by == POLICY_BADGE






def explain(policy: Any, p: ResolutionProposal, history: CustomerHistory, refusal: str,
            partial: bool, rules: ResolutionRules | None = None) -> tuple[str, str]:
    """Why this proposal, in plain English and Chinese: in the desk's words, never a rule's or a
    rejection's code (a supervisor reads the suggested rejection as the customer would)."""
    fees = sorted({(u.grade, u.fee_rate) for u in p.units if u.fee})
    fee_en = ", ".join(f"grade {g} {r:.0%}" for g, r in fees)
    fee_zh = "，".join(f"{g} 级 {r:.0%}" for g, r in fees)
    c = p.currency
    if p.kind == ResolutionKind.EXCHANGE:
        en, zh = "The customer asked for an exchange.", "客户要求换货。"
        swaps = sorted({(u.sku, u.exchange_sku) for u in p.units if u.exchange_sku and u.exchange_sku != u.sku})
        if swaps:
            en += " Send " + ", ".join(f"{new} for {old}" for old, new in swaps) + " (the customer's choice)."
            zh += " 按客户所选寄出：" + "，".join(f"{new}（换 {old}）" for old, new in swaps) + "。"
    elif p.fee:
        en = f"Refund {p.amount} {c}: {p.gross} paid less {p.fee} restocking fee ({fee_en})."
        zh = f"退款 {p.amount} {c}：实付 {p.gross}，扣除重新上架费 {p.fee}（{fee_zh}）。"
    else:
        en, zh = f"Full refund {p.amount} {c}; no restocking fee.", f"全额退款 {p.amount} {c}；无重新上架费。"
    if partial:
        en += " Partial parcel: the rest did not arrive in time."
        zh += " 部分到货：其余商品未按时寄回。"
    if p.suggested_rejection:
        said = (rules or load_rules()).rejections.get(p.suggested_rejection)
        reason_en, reason_zh = said if said else (p.suggested_rejection.replace("_", " "),) * 2
        en += f" The rules suggest rejecting it: \u201c{reason_en}\u201d"
        zh += f" 规则建议拒绝：\u201c{reason_zh}\u201d"
    if history.flags:
        en += f" Customer: {history.rate_en} returns, repeat returner."
        zh += f" 客户：{history.rate_zh}退货，频繁退货。"
    if refusal:
        en += " Needs a supervisor." if p.needs_supervisor else " An inspector may issue it."
        zh += " 需要主管处理。" if p.needs_supervisor else " 质检员可直接发放。"
    else:
        en += " The policy issues it by itself."
        zh += " 由退货政策自动发放。"
    return en, zh


# ----------------------------------------------------------------------------- the service


class ResolutionQueue(Service):
    """Reads the queue and history for the desk and the CLI; applies the policy in bulk."""

    def __init__(self, ctx: StationContext, rules: ResolutionRules | None = None) -> None:
        super().__init__(ctx)
        self.rules = rules or load_rules()
        self.resolutions = ResolutionService(ctx, self.rules)

    def _ready_ids(self, db: Session, limit: int, offset: int = 0) -> list[uuid.UUID]:
        return list(db.scalars(select(ResolutionQueueEntry.rma_id)
                               .where(ResolutionQueueEntry.ready_at <= self.ctx.now())
                               .order_by(ResolutionQueueEntry.ready_at, ResolutionQueueEntry.rma_id)
                               .limit(limit).offset(offset)))

    def page(self, limit: int = 50, offset: int = 0) -> QueuePage:
        """The first ``limit`` RMAs ready to resolve (oldest first) and how many wait in all."""
        with self.reading() as db:
            total = db.scalar(select(func.count()).select_from(ResolutionQueueEntry)
                              .where(ResolutionQueueEntry.ready_at <= self.ctx.now())) or 0
            ids = self._ready_ids(db, limit, offset)
            return QueuePage(tuple(self._rows(db, ids)), int(total))

    def _load(self, db: Session, ids: Sequence[uuid.UUID],
              queued_only: bool = True) -> list[tuple[Rma, list[Unit], dt.datetime | None]]:
        rmas = {r.id: r for r in db.scalars(select(Rma).where(Rma.id.in_(ids))
                                            .options(selectinload(Rma.lines), selectinload(Rma.receipts)))}
        units: dict[uuid.UUID, list[Unit]] = {i: [] for i in ids}
        for unit, rma_id in db.execute(select(Unit, Receipt.rma_id).join(Receipt)
                                       .where(Receipt.rma_id.in_(ids)).order_by(Unit.lpn)):
            if rma_id is not None:
                units[rma_id].append(unit)
        ready = dict(db.execute(select(ResolutionQueueEntry.rma_id, ResolutionQueueEntry.ready_at)
                                .where(ResolutionQueueEntry.rma_id.in_(ids))).all())
        return [(rmas[i], units[i], ready.get(i)) for i in ids
                if i in rmas and (ready.get(i) is not None or not queued_only)]

    def _rows(self, db: Session, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
        loaded = self._load(db, ids)
        hist = histories(db, self.ctx, (r.customer_ref for r, _, _ in loaded))
        rows = []
        for rma, units, ready in loaded:
            if rma.state not in RESOLVABLE or any(u.state not in DONE_UNIT_STATES for u in units):
                continue  # a unit went back to quarantine since; its next disposition re-marks it
            try:
                proposal = compute(self.ctx.policy, rma, units, self.rules)
            except StationError as exc:
                log.warning("no proposal for %s: %s", rma.number, exc)
                continue
            grades = tuple(u.grade.value for u in units if u.grade is not None)
            flags = tuple(sorted({str(f) for u in units for f in (u.flags or ())}))
            h = hist[rma.customer_ref]
            refusal = auto_refusal(self.ctx.policy, proposal, grades, flags, h)
            partial = rma.state == RmaState.PARTIALLY_RECEIVED
            en, zh = explain(self.ctx.policy, proposal, h, refusal, partial, self.rules)
            rows.append(QueueRow(rma.number, rma.id, rma.customer_name, ready or self.ctx.now(), partial, proposal, grades, flags,
                                 h, not refusal, en, zh))
        return rows

    def row(self, rma_number: str) -> QueueRow | None:
        with self.reading() as db:
            rma_id = db.scalar(select(Rma.id).where(Rma.number == rma_number.strip().upper()))
            rows = self._rows(db, [rma_id]) if rma_id is not None else []
            return rows[0] if rows else None

    def history(self, limit: int = 50) -> list[HistoryRow]:
        """The latest resolutions, newest first: every resolution the station holds (made here,
        at another dock, or before the queue existed), not only those that passed through this
        station's queue; "by" is the operator's name, or the policy when it decided."""
        with self.reading() as db:
            held = (select(OutboxEvent.last_error)
                    .where(OutboxEvent.entity_type == "resolutions", OutboxEvent.entity_id == Resolution.id,
                           OutboxEvent.state == OutboxState.PENDING, Resolution.state == ResolutionState.PENDING)
                    .order_by(OutboxEvent.seq).limit(1).scalar_subquery())
            rows: list[Any] = list(db.execute(  # twelve columns: past what the checker types per column
                select(Rma.number, Resolution.issued_at, Resolution.kind, Resolution.amount, Resolution.currency,
                       Operator.name, ResolutionQueueEntry.decided_by, Resolution.reason, Rma.state,
                       Resolution.state, Resolution.void_reason, held)
                .select_from(Resolution)
                .join(Rma, Rma.id == Resolution.rma_id)
                .join(Operator, Operator.id == Resolution.issued_by)
                .outerjoin(ResolutionQueueEntry, ResolutionQueueEntry.resolution_id == Resolution.id)
                .order_by(Resolution.issued_at.desc(), Rma.number).limit(limit)).all())
            return [HistoryRow(number, at, kind, amount, currency,
                               POLICY_BADGE if decided == POLICY_BADGE else name, reason, state == RmaState.CLOSED,
                               standing, why, waiting or "")
                    for number, at, kind, amount, currency, name, decided, reason, state, standing, why, waiting
                    in rows]

    def rebuild(self) -> int:
        """Mark every RMA that is ready but not yet in the queue (after an upgrade, a demo seed,
        or units dispositioned by another station and pulled here), and take out the ones no
        longer waiting (resolved at another dock); returns how many were marked."""
        with self.transaction() as db:
            unit_of = select(Unit.id).join(Receipt).where(Receipt.rma_id == Rma.id)
            queued = select(ResolutionQueueEntry.rma_id).where(ResolutionQueueEntry.rma_id == Rma.id)
            ids = list(db.scalars(select(Rma.id).where(
                Rma.state.in_(RESOLVABLE), unit_of.exists(), ~queued.exists(),
                ~unit_of.where(Unit.state.not_in(DONE_UNIT_STATES)).exists())))
            now = self.ctx.now()
            for start in range(0, len(ids), 500):
                for rma, units, _ in self._load(db, ids[start:start + 500], queued_only=False):
                    ready = ready_time(self.ctx.policy.partial_wait_days, rma, units, now)
                    if ready is not None:
                        entry_of(db, rma).ready_at = ready
            # RMAs resolved (or cancelled) elsewhere leave this desk's queue: a pull brought the news.
            gone = select(Rma.id).where(Rma.id == ResolutionQueueEntry.rma_id, Rma.state.not_in(RESOLVABLE))
            db.execute(update(ResolutionQueueEntry).where(ResolutionQueueEntry.ready_at.is_not(None), gone.exists())
                       .values(ready_at=None))
            return len(ids)

    def auto_resolve(self, actor: Actor, batch: int = 1000, bulk: bool = True) -> list[AutoOutcome]:
        """Apply the policy to every RMA waiting (``rma-station resolve --auto``): routine refunds
        are issued, the rest stay for a person with the reason why. One transaction per batch.

        ``bulk`` writes each batch's rows with a few statements (``station.resolution.bulk``,
        about 0.3 ms an RMA); ``bulk=False`` takes the per-RMA service path (8-14 ms an RMA),
        which the bulk path is tested against row for row.

        A person asked for it, so the policy's terms apply even where ``[resolution] auto`` is
        off (that switch only decides whether the last disposition issues by itself)."""
        self.require(actor, Permission.RESOLVE)
        if not self.ctx.policy.auto_resolve:
            ctx = dataclasses.replace(self.ctx, policy=dataclasses.replace(self.ctx.policy, auto_resolve=True))
            return ResolutionQueue(ctx, self.rules).auto_resolve(actor, batch, bulk)
        outcomes: list[AutoOutcome] = []
        offset = 0
        while True:
            with self.transaction() as db:
                ids = self._ready_ids(db, batch, offset)
                if not ids:
                    break
                kept = 0
                loaded = self._load(db, ids)
                # One read each for the whole batch, so the per-RMA work only writes.
                hist = histories(db, self.ctx, (r.customer_ref for r, _, _ in loaded))
                db.info["pending_approvals"] = pending_approvals(db, (u for _, us, _ in loaded for u in us))
                # A dock in a fleet records pending commitments (ResolutionState): the per-RMA
                # path knows how; the batch writer only writes effective ones.
                if bulk and not syncs_with_central(db.connection()):
                    done = resolve_batch(self.resolutions, db, actor, loaded, hist, db.info["pending_approvals"])
                    outcomes.extend(done)
                    offset += sum(not o.issued for o in done)
                    continue
                list(db.scalars(select(ResolutionQueueEntry).where(ResolutionQueueEntry.rma_id.in_(ids))))
                for rma, units, _ready in loaded:
                    try:
                        with db.begin_nested():
                            outcome = auto_resolve_one(self.resolutions, db, actor, rma, units,
                                                       hist[rma.customer_ref])
                    except StationError as exc:
                        outcome = AutoOutcome(rma.number, False, None, None, rma.currency, exc.args[0])
                    outcomes.append(outcome)
                    kept += not outcome.issued
                offset += kept  # issued RMAs left the index range; skip the ones left for people
        return outcomes
