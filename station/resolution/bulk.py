"""The policy's routine refunds for a whole batch of ready RMAs at once (``resolve --auto``).

The per-RMA path (``automatic.auto_resolve_one`` -> ``ResolutionService.issue_loaded``
-> ``close_rma``) costs 8-14 ms an RMA: two dozen ORM flushes, two audit appends that each read
the chain's last hash, two ``max(rma_seq)`` reads, a savepoint. Over 100,000 RMAs that is
20 minutes. This module writes exactly the same rows for a batch with a handful of
``executemany`` statements: the resolution, the ``resolution.issued`` and ``rma.closed``
domain events, the two audit events per RMA (chained here in Python from the chain's last hash
under the station's key, as ``audit.append`` would), the RMA going resolved then closed and
its final units closed (with their version bumps), the queue entry, and the outbox entries the
session hook would have queued (one per changed record, so sync and webhooks see them).

The rules are not repeated: the proposal, the refusal and the readiness check are the
functions the per-RMA path calls. ``tests/station/resolution/test_bulk.py`` resolves the same
data both ways and compares the rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core.context import Actor
from station.core.errors import StationError
from station.core.outbox import Change, queue
from station.core.workflow import check_rma_move, check_unit_move
from station.core.serialize import to_json_value
from station.models import (
    AuditEvent,
    DomainEvent,
    Resolution,
    ResolutionQueueEntry,
    ResolutionState,
    Rma,
    RmaState,
    Unit,
    UnitState,
    utcnow,
)
from station.resolution.automatic import POLICY_BADGE, AutoOutcome, auto_refusal, policy_actor
from station.resolution.closing import FINAL_DISPOSITIONS
from station.resolution.service import ResolutionService, check_ready, compute

NOTE = "Routine refund issued by the return policy."
_RESOLUTIONS: Any = Resolution.__table__
_EVENTS: Any = DomainEvent.__table__
_AUDIT: Any = AuditEvent.__table__
_QUEUE: Any = ResolutionQueueEntry.__table__


def resolve_batch(service: ResolutionService, db: Session, actor: Actor,
                  loaded: Sequence[tuple[Rma, list[Unit], dt.datetime | None]],
                  hist: dict[str, Any], pending: set[uuid.UUID]) -> list[Any]:
    """Outcomes for ``loaded`` (in order), issuing every routine refund the policy allows.

    Nothing in the session is modified: the rows go out through Core statements, so the
    caller's session must not be reused for these RMAs after this (``auto_resolve`` opens a
    new transaction per batch)."""

    ctx = service.ctx
    policy = ctx.policy
    acting = policy_actor(actor)
    outcomes: list[Any] = []
    chosen: list[tuple[int, Rma, list[Unit], Any, list[str]]] = []
    for rma, units, _ready in loaded:
        try:
            proposal = compute(policy, rma, units, service.rules)
            grades = [u.grade.value for u in units if u.grade is not None]
            flags = [str(f) for u in units for f in (u.flags or ())]
            refusal = auto_refusal(policy, proposal, grades, flags, hist[rma.customer_ref])
            if refusal:
                outcomes.append(AutoOutcome(rma.number, False, proposal.kind, proposal.amount, rma.currency, refusal))
                continue
            check_ready(rma, units)
        except StationError as exc:
            outcomes.append(AutoOutcome(rma.number, False, None, None, rma.currency, exc.args[0]))
            continue
        outcomes.append(None)
        chosen.append((len(outcomes) - 1, rma, units, proposal, grades))
    if not chosen:
        return outcomes
    try:
        service._check_actor(db, acting)
    except StationError as exc:
        for i, rma, _units, _p, _g in chosen:
            outcomes[i] = AutoOutcome(rma.number, False, None, None, rma.currency, exc.args[0])
        return outcomes

    station_id = ctx.station_id
    chain = audit.ChainWriter(db, station_id)
    numbers = [rma.number for _, rma, _, _, _ in chosen]
    last_seq = dict(db.execute(select(DomainEvent.rma_number, func.max(DomainEvent.rma_seq))
                               .where(DomainEvent.rma_number.in_(numbers))
                               .group_by(DomainEvent.rma_number)).all())
    resolutions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    rma_rows: list[dict[str, Any]] = []
    unit_rows: list[dict[str, Any]] = []
    queue_rows: list[dict[str, Any]] = []
    changes: list[Change] = []
    limit = policy.refund_auto_limit

    def domain_event(name: str, rma: Rma, seq: int, payload: dict[str, Any], at: dt.datetime) -> None:
        stamp = utcnow()
        row = {"id": uuid.uuid4(), "station_id": station_id, "created_at": stamp, "updated_at": stamp, "version": 1,
               "name": name, "rma_number": rma.number, "rma_seq": seq,
               "payload": to_json_value({"rma": rma.number, "order_number": rma.order_number, **payload}),
               "occurred_at": at}
        events.append(row)
        changes.append(Change("domain_events", row["id"], 1, None, station_id))

    def audit_event(action: str, rma: Rma, details: dict[str, Any], at: dt.datetime) -> None:
        audits.append(chain.event(actor=acting, action=action, entity_type="rmas", entity_id=rma.id,
                                  details=details, at=at))

    for i, rma, units, proposal, grades in chosen:
        now = ctx.now()
        breakdown = [{"lpn": u.lpn, "sku": u.sku, "quantity": u.quantity, "grade": u.grade,
                      "price": str(u.price), "fee_rate": str(u.fee_rate), "fee": str(u.fee),
                      **({"exchange_sku": u.exchange_sku} if u.exchange_sku else {})} for u in proposal.units]
        details = dict(proposal.details) | {"decided_by": POLICY_BADGE}
        kind, amount = proposal.kind, proposal.amount
        # The resolution (ResolutionService._record)
        stamp = utcnow()
        resolution = {"id": uuid.uuid4(), "station_id": station_id, "created_at": stamp, "updated_at": stamp,
                      "version": 1, "rma_id": rma.id, "kind": kind, "gross_amount": proposal.gross,
                      "fee_amount": proposal.fee, "amount": amount, "currency": rma.currency,
                      "breakdown": breakdown, "reason": NOTE, "issued_by": acting.id, "issued_at": now,
                      "state": ResolutionState.EFFECTIVE, "event_data": None, "void_reason": ""}
        resolutions.append(resolution)
        changes.append(Change("resolutions", resolution["id"], 1, None, station_id))
        seq = last_seq.get(rma.number) or 0
        domain_event("resolution.issued", rma, seq + 1, {
            "resolution_id": resolution["id"], "kind": kind, "currency": rma.currency, "gross_amount": proposal.gross,
            "fee_amount": proposal.fee, "amount": amount, "computed_amount": proposal.amount,
            "adjusted": False, "rule": proposal.rule, "lines": breakdown,
            "requested": rma.requested_resolution, **details}, now)
        audit_event("rma.resolved", rma, {
            "rma": rma.number, "kind": kind.value, "amount": str(amount), "computed_amount": str(proposal.amount),
            "currency": rma.currency, "reason": NOTE, "rule": proposal.rule, "decided_by": POLICY_BADGE}, now)
        # The RMA resolved (its own flush in issue_loaded), then closed (close_rma)
        version = rma.version
        current = rma.state
        for state in (RmaState.RESOLVED, RmaState.CLOSED):
            check_rma_move(rma.number, current, state)
            current = state
            version += 1
            stamp = utcnow()
        # The entry of the first of the two changes (the second finds it waiting), as the per-RMA flushes leave it.
        changes.append(Change("rmas", rma.id, rma.version + 1, rma.version, rma.station_id))
        rma_rows.append({"b_id": rma.id, "b_version": rma.version, "state": RmaState.CLOSED,
                         "version": version, "updated_at": stamp})
        closed = []
        for unit in units:
            if unit.state == UnitState.DISPOSITIONED and unit.disposition in FINAL_DISPOSITIONS | {None} \
                    and unit.id not in pending:
                check_unit_move(unit.lpn, unit.state, UnitState.CLOSED)
                closed.append(unit.lpn)
                unit_rows.append({"b_id": unit.id, "b_version": unit.version, "state": UnitState.CLOSED,
                                  "version": unit.version + 1, "updated_at": stamp})
                changes.append(Change("units", unit.id, unit.version + 1, unit.version, unit.station_id))
        close_at = ctx.now()
        received = min((r.received_at for r in rma.receipts), default=None)
        domain_event("rma.closed", rma, seq + 2, {
            "units_closed": closed, "units_open": [u.lpn for u in units if u.lpn not in closed],
            "received_at": received, "resolved_at": now, "closed_at": close_at}, close_at)
        audit_event("rma.closed", rma, {"rma": rma.number, "units_closed": closed}, close_at)
        queue_rows.append({"b_id": rma.id, "ready_at": None, "resolved_at": now, "resolution_id": resolution["id"],
                           "decided_by": POLICY_BADGE, "closed_at": close_at})
        grade_words = "/".join(sorted(set(grades)))
        outcomes[i] = AutoOutcome(rma.number, True, kind, amount, rma.currency,
                                  f"routine refund within {limit}, grades {grade_words}, no flags")

    conn = db.connection()
    conn.execute(insert(_RESOLUTIONS), resolutions)
    conn.execute(insert(_EVENTS), events)
    conn.execute(insert(_AUDIT), audits)
    _versioned_update(conn, Rma, rma_rows)
    if unit_rows:
        _versioned_update(conn, Unit, unit_rows)
    q = _QUEUE
    conn.execute(update(q).where(q.c.rma_id == bindparam("b_id"))
                 .values(ready_at=bindparam("ready_at"), resolved_at=bindparam("resolved_at"),
                         resolution_id=bindparam("resolution_id"), decided_by=bindparam("decided_by"),
                         closed_at=bindparam("closed_at")), queue_rows)
    queue(conn, changes)
    return outcomes


def _versioned_update(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """State, version and stamp for each row, refusing a row changed since it was read (as the
    ORM's version counter would)."""
    table: Any = model.__table__
    result = conn.execute(update(table).where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                          .values(state=bindparam("state"), version=bindparam("version"),
                                  updated_at=bindparam("updated_at")), rows)
    if result.rowcount not in (-1, len(rows)):
        from sqlalchemy.orm.exc import StaleDataError

        raise StaleDataError(f"{table.name}: {len(rows) - result.rowcount} row(s) changed by another writer "
                             "while the policy resolved them; run resolve --auto again.")
