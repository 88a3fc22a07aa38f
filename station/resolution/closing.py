"""How an RMA leaves the resolution queue and closes: the queue entry's bookkeeping after a
resolution, and the close itself (when it is resolved and every unit is done), which both the
desk's per-RMA path and the policy's batch path use.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.core.context import Actor
from station.core.errors import IllegalTransition
from station.core.events import emit
from station.core.services import Service
from station.core.workflow import move_rma, move_unit
from station.models import (
    Approval,
    ApprovalState,
    Disposition,
    DispositionKind,
    Receipt,
    Resolution,
    ResolutionQueueEntry,
    ResolutionState,
    Rma,
    RmaState,
    Unit,
    UnitState,
)

FINAL_DISPOSITIONS = {DispositionKind.RESTOCK, DispositionKind.SCRAP, DispositionKind.DONATE,
                      DispositionKind.RECYCLE}
"""Dispositions after which nothing more happens to a unit at the dock; closing closes them."""
DONE_UNIT_STATES = {UnitState.DISPOSITIONED, UnitState.CLOSED}



def units_of(db: Session, rma: Rma) -> list[Unit]:
    return list(db.scalars(select(Unit).join(Receipt).where(Receipt.rma_id == rma.id).order_by(Unit.lpn)))


def entry_of(db: Session, rma: Rma) -> ResolutionQueueEntry:
    entry = db.get(ResolutionQueueEntry, rma.id)
    if entry is None:
        entry = ResolutionQueueEntry(rma_id=rma.id, decided_by="")
        db.add(entry)
    return entry


def after_resolution(service: Service, db: Session, actor: Actor, rma: Rma, units: list[Unit],
                     resolution: Resolution, decided_by: str) -> None:
    """The RMA leaves the queue, enters the history, and closes if every unit is done."""
    entry = entry_of(db, rma)
    entry.ready_at = None
    entry.resolved_at = resolution.issued_at
    entry.resolution_id = resolution.id
    entry.decided_by = decided_by
    if resolution.state == ResolutionState.EFFECTIVE:  # a pending one closes when central accepts it
        close_if_done(service, db, actor, rma, units)


def pending_approvals(db: Session, units: Iterable[Unit]) -> set[uuid.UUID]:
    """Units whose scrap / return-to-vendor still waits for a supervisor."""
    ids = [u.id for u in units]
    if not ids:
        return set()
    rows = db.execute(select(Disposition.unit_id).join(Approval, Approval.entity_id == Disposition.id)
                      .where(Disposition.unit_id.in_(ids), Approval.state == ApprovalState.PENDING))
    return {r[0] for r in rows}


def close_if_done(service: Service, db: Session, actor: Actor, rma: Rma, units: list[Unit]) -> bool:
    if rma.state != RmaState.RESOLVED or any(u.state not in DONE_UNIT_STATES for u in units):
        return False
    close_rma(service, db, actor, rma, units)
    return True


def close_rma(service: Service, db: Session, actor: Actor, rma: Rma, units: list[Unit]) -> None:
    """Close a resolved RMA whose units all have their disposition; ``rma.closed`` goes out."""
    waiting = [u.lpn for u in units if u.state not in DONE_UNIT_STATES]
    if rma.state == RmaState.RESOLVED and waiting:
        raise IllegalTransition(f"RMA {rma.number} still has {len(waiting)} unit(s) without a disposition "
                                f"({', '.join(waiting[:3])}).", next_step="Finish their inspection first.")
    move_rma(rma, RmaState.CLOSED)
    known = db.info.get("pending_approvals")
    pending = known if known is not None else pending_approvals(db, units)
    closed = []
    for unit in units:
        if unit.state == UnitState.DISPOSITIONED and unit.disposition in FINAL_DISPOSITIONS | {None} \
                and unit.id not in pending:
            move_unit(unit, UnitState.CLOSED)
            closed.append(unit.lpn)
    now = service.ctx.now()
    received = min((r.received_at for r in rma.receipts), default=None)
    entry = entry_of(db, rma)
    resolved = entry.resolved_at or db.scalar(select(func.min(Resolution.issued_at))
                                              .where(Resolution.rma_id == rma.id))
    emit(db, "rma.closed", rma, {
        "units_closed": closed, "units_open": [u.lpn for u in units if u.lpn not in closed],
        "received_at": received, "resolved_at": resolved, "closed_at": now,
    }, now)
    entry.closed_at = now
    service.audit(db, actor, "rma.closed", "rmas", rma.id, {"rma": rma.number, "units_closed": closed})
