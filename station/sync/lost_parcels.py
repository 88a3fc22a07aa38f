"""A duplicate parcel settled against this dock: its own receipt and units are voided locally.

Two docks received the same RMA; central kept the first dock's receipt and held the second's
back as one conflict (``station.sync.held_back``). When a supervisor settles that conflict
keeping central's version, the held records never reach central, but the losing dock still has
them: a second receipt and a second set of units for one parcel, open to inspection. At the
losing dock's next pull this module brings its local view in line with central: the receipt is
marked ``quarantined`` and flagged ``void_duplicate``, every one of its units is quarantined too
(whatever state it reached), and pending approvals about them are rejected. Nothing is deleted:
the rows, their inspections and photos stay, and one audit event per receipt names the
conflict, the station whose receipt stands and what each unit was before.

Units already inspected at the losing dock are quarantined like the others: central holds the
winning dock's units for that parcel, so this dock's grades and dispositions cannot count. Their
inspection records stay on the station, and the audit event lists each such unit with the state,
grade and disposition it had, so a supervisor can carry a finding over to the standing unit.

After central was restored from a backup, other docks may hold a copy of the losing receipt
too: the losing dock pushed it to central before the restore, they pulled it, the restore lost
it, and another dock's receipt for the parcel reached the restored central first. Central
never holds it again, so every dock that has a copy voids it the same way (the audit event
names the dock whose receipt it was).

``keep="station"`` needs nothing here: it writes the held receipt and units to central next to
the first dock's (two parcels after all), so neither dock has anything to void.

The changes are written under ``applying_sync``: they settle what central already decided and
are not pushed back (central never held these rows).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.models import Approval, ApprovalState, Receipt, ReceiptStatus, Unit, UnitState, utcnow
from station.sync.central_schema import conflict_members, conflicts

log = logging.getLogger(__name__)

VOID_FLAG = "void_duplicate"
INSPECTED_STATES = (UnitState.INSPECTED, UnitState.DISPOSITIONED, UnitState.CLOSED)


@dataclass(frozen=True)
class LostReceipt:
    conflict_id: int
    receipt_id: uuid.UUID
    winner: str
    resolved_by: str
    resolution: str


@dataclass
class VoidReport:
    receipts: int = 0
    units: int = 0
    inspected: list[str] = field(default_factory=list)
    """LPNs of units that had been inspected here before their receipt was voided."""


def lost_receipts(central: Engine, station_id: str | None = None) -> list[LostReceipt]:
    """Receipts in conflicts settled keeping central's version (few: one per duplicate parcel
    ever settled); ``station_id``: only those that station pushed."""
    c, m = conflicts.c, conflict_members.c
    query = (select(c.id, m.entity_id, c.central_by, c.resolved_by, c.resolution)
             .join(conflict_members, m.conflict_id == c.id)
             .where(c.state == "resolved", c.resolution.like("kept central%"), m.entity_type == "receipts")
             .order_by(c.id))
    if station_id is not None:
        query = query.where(c.pushed_by == station_id)
    with central.connect() as conn:
        found = conn.execute(query).all()
    return [LostReceipt(int(r.id), r.entity_id, r.central_by or "central", r.resolved_by or "", r.resolution or "")
            for r in found]


def void_lost_parcels(local: Engine, central: Engine, station_id: str) -> VoidReport:
    """Void, once, every local receipt (and its units) that central settled against its dock:
    this dock's own, and copies of another dock's pulled before a restore (module doc)."""
    report = VoidReport()
    lost = {r.receipt_id: r for r in lost_receipts(central)}
    if not lost:
        return report
    with Session(local) as db:
        db.info["applying_sync"] = True  # central already decided; nothing to push
        receipts = [r for r in db.scalars(select(Receipt).where(Receipt.id.in_(list(lost))))
                    if VOID_FLAG not in (r.flags or [])]
        for receipt in receipts:
            _void(db, receipt, lost[receipt.id], station_id, report)
        db.commit()
    if report.receipts:
        log.warning("voided %d receipt(s) and %d unit(s) settled against %s", report.receipts, report.units,
                    station_id)
    return report


def _void(db: Session, receipt: Receipt, lost: LostReceipt, station_id: str, report: VoidReport) -> None:
    reason = (f"Conflict #{lost.conflict_id} was settled keeping {lost.winner}'s receipt for this parcel "
              f"({lost.resolution}); {receipt.station_id}'s receipt {receipt.id} and its units are void here and "
              f"quarantined, never on central.")
    units: list[dict[str, Any]] = []
    for unit in db.scalars(select(Unit).where(Unit.receipt_id == receipt.id).order_by(Unit.lpn)):
        units.append({"lpn": unit.lpn, "state": unit.state.value,
                      "grade": unit.grade.value if unit.grade else None,
                      "disposition": unit.disposition.value if unit.disposition else None})
        if unit.state in INSPECTED_STATES:
            report.inspected.append(unit.lpn)
        unit.state = UnitState.QUARANTINED
        unit.flags = sorted({*(unit.flags or []), VOID_FLAG})
        report.units += 1
    ids = [receipt.id, *(u for u in db.scalars(select(Unit.id).where(Unit.receipt_id == receipt.id)))]
    rejected = []
    for approval in db.scalars(select(Approval).where(Approval.entity_id.in_(ids),
                                                      Approval.state == ApprovalState.PENDING)):
        approval.state = ApprovalState.REJECTED
        approval.decided_at = utcnow()
        approval.decision_reason = reason[:2000]
        rejected.append(str(approval.id))
    previous = receipt.status.value
    receipt.status = ReceiptStatus.QUARANTINED
    receipt.flags = sorted({*(receipt.flags or []), VOID_FLAG})
    audit.append(db, station_id=station_id, actor=None, action="sync.receipt_voided", entity_type="receipts",
                 entity_id=receipt.id, details={
                     "reason": reason, "conflict": lost.conflict_id, "kept": lost.winner,
                     "resolved_by": lost.resolved_by, "status": previous, "units": units,
                     "inspected": [u["lpn"] for u in units if u["state"] in {s.value for s in INSPECTED_STATES}],
                     "approvals_rejected": rejected,
                 })
    report.receipts += 1
