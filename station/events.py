"""Writing domain events in the transaction of the change they describe.

A service calls one of the ``*_event`` helpers next to its audit call; the event row is then
committed (and synced to central) with the receipt, inspection, disposition or resolution it
reports, or not at all. Payloads carry what the order and inventory systems need and no
customer contact details: the notice sender reads those from the RMA when it sends, so an
opt-out given later is still respected and webhooks never spread personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.models import Disposition, DomainEvent, Inspection, Receipt, Rma, Unit
from station.models.events import EVENT_NAMES
from station.serialize import to_json_value

log = logging.getLogger(__name__)


def emit(session: Session, name: str, rma: Rma, payload: dict[str, Any], at: dt.datetime) -> DomainEvent:
    """Add event ``name`` for ``rma``, numbered after the RMA's last event in this database."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown domain event {name!r}")
    last = session.scalar(select(func.max(DomainEvent.rma_seq)).where(DomainEvent.rma_number == rma.number))
    event = DomainEvent(name=name, rma_number=rma.number, rma_seq=(last or 0) + 1,
                        payload=to_json_value({"rma": rma.number, "order_number": rma.order_number, **payload}),
                        occurred_at=at)
    session.add(event)
    session.flush()
    log.debug("event %s %s #%d", name, rma.number, event.rma_seq)
    return event


def _unit_line(unit: Unit) -> dict[str, Any]:
    line = unit.rma_line
    return {"lpn": unit.lpn, "sku": line.sku if line else unit.sku_received, "quantity": unit.quantity,
            "line_no": line.line_no if line else None}


def received_event(session: Session, rma: Rma, receipt: Receipt, units: Sequence[Unit]) -> DomainEvent:
    """``rma.received``: a parcel was recorded against the RMA and its units got LPNs."""
    return emit(session, "rma.received", rma, {
        "receipt_id": receipt.id, "status": receipt.status, "parcel_condition": receipt.parcel_condition,
        "flags": list(receipt.flags or ()), "rma_state": rma.state,
        "units": [_unit_line(u) for u in units],
    }, receipt.received_at)


def _rma_of(session: Session, unit: Unit) -> Rma:
    rma = session.scalar(select(Rma).join(Receipt, Receipt.rma_id == Rma.id).where(Receipt.id == unit.receipt_id))
    if rma is None:  # units are only ever created under a receipt with an RMA
        raise ValueError(f"unit {unit.lpn} has no RMA")
    return rma


def inspected_event(session: Session, unit: Unit, inspection: Inspection) -> DomainEvent:
    """``unit.inspected``: grade, flags and the recommended destination of one unit."""
    return emit(session, "unit.inspected", _rma_of(session, unit), {
        **_unit_line(unit), "grade": unit.grade, "flags": sorted(unit.flags or ()),
        "recommended_disposition": inspection.recommended_disposition, "unit_state": unit.state,
        "checklist": inspection.checklist_id, "checklist_version": inspection.checklist_version,
    }, inspection.finished_at or dt.datetime.now(dt.UTC))


def dispositioned_event(session: Session, unit: Unit, disposition: Disposition,
                        approval: str | None = None) -> DomainEvent:
    """``unit.dispositioned``: restock (bin, grade), refurbish, scrap, return to vendor..."""
    return emit(session, "unit.dispositioned", _rma_of(session, unit), {
        **_unit_line(unit), "disposition": disposition.kind, "bin": disposition.bin,
        "grade": disposition.grade, "rule": disposition.rule_name, "needs_approval": approval,
        "disposition_id": disposition.id,
    }, disposition.decided_at)
