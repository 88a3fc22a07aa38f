"""Domain events beyond an RMA's main path: refurbished units, unknown parcels, scrap decisions, alerts.

Events are keyed by an RMA number (``DomainEvent.rma_number``), which orders them per RMA
for webhook consumers. A parcel nobody could match and an alert have no RMA: they are keyed
``parcel:<receipt id>`` and ``alert:<alert id>`` (hex, shortened to fit the column), so each
subject's events still arrive in order (an alert's ``alert.raised`` before its
``alert.closed``) and one subject's dead letter blocks nobody else's.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.core.events import _rma_of, _unit_line, emit
from station.core.serialize import to_json_value
from station.models import Alert, DomainEvent, Receipt, Refurbishment, Rma, Unit
from station.models.events import EVENT_NAMES

log = logging.getLogger(__name__)


def subject_key(kind: str, ident: uuid.UUID) -> str:
    """``alert:<24 hex>`` / ``parcel:<24 hex>``: fits ``rma_number`` (32) and stays unique in practice."""
    return f"{kind}:{ident.hex[:24]}"


def emit_for(session: Session, name: str, key: str, payload: dict[str, Any], at: dt.datetime) -> DomainEvent:
    """Add event ``name`` about a subject that is not an RMA (numbered per ``key``)."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown domain event {name!r}")
    last = session.scalar(select(func.max(DomainEvent.rma_seq)).where(DomainEvent.rma_number == key))
    event = DomainEvent(name=name, rma_number=key, rma_seq=(last or 0) + 1, payload=to_json_value(payload),
                        occurred_at=at)
    session.add(event)
    session.flush()
    return event


def refurbished_event(session: Session, unit: Unit, refurb: Refurbishment) -> DomainEvent:
    """``unit.refurbished``: the repair is done; the unit is worth its outcome grade again."""
    return emit(session, "unit.refurbished", _rma_of(session, unit), {
        **_unit_line(unit), "cost": refurb.cost, "parts": refurb.parts, "outcome_grade": refurb.outcome_grade,
        "inspected_grade": unit.grade,
    }, refurb.finished_at)


def quarantined_event(session: Session, receipt: Receipt, code: str) -> DomainEvent:
    """``parcel.quarantined``: a parcel arrived that matches no RMA; it waits on the shelf."""
    return emit_for(session, "parcel.quarantined", subject_key("parcel", receipt.id), {
        "receipt_id": receipt.id, "scanned_code": code, "weight_g": receipt.weight_g,
    }, receipt.received_at)


def matched_event(session: Session, receipt: Receipt, rma: Rma, at: dt.datetime) -> DomainEvent:
    """``parcel.matched``: a supervisor found the RMA of a quarantined parcel."""
    return emit(session, "parcel.matched", rma, {
        "receipt_id": receipt.id, "scanned_code": receipt.scanned_code, "parcel": subject_key("parcel", receipt.id),
    }, at)


def scrap_decided_event(session: Session, unit: Unit, approved: bool, reason: str, at: dt.datetime) -> DomainEvent:
    """``scrap.approved`` / ``scrap.rejected``: the supervisor's decision on a unit to be scrapped."""
    return emit(session, "scrap.approved" if approved else "scrap.rejected", _rma_of(session, unit), {
        **_unit_line(unit), "reason": reason, "unit_state": unit.state,
    }, at)


def alert_event(session: Session, name: str, alert: Alert, at: dt.datetime, **extra: Any) -> DomainEvent:
    """``alert.raised`` / ``alert.escalated`` / ``alert.closed`` with the alert's figures and a
    link-free text summary (no addresses: the owner's e-mail stays in the station)."""
    return emit_for(session, name, subject_key("alert", alert.id), {
        "alert_id": alert.id, "rule": alert.rule, "subject": alert.subject, "severity": alert.severity,
        "summary": alert.message, "figures": alert.figures, "raised_at": alert.raised_at,
        "respond_by": alert.respond_by, "owner_webhook": alert.owner_webhook, **extra,
    }, at)
