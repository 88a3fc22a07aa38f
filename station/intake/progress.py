"""Where a customer's return stands: one read model for the status page, the look-up's list
and the API's ``GET /rmas/{n}``.

A return goes asked -> authorised (with a send-by date) -> received at the dock -> inspected
-> refund / exchange / voucher issued -> closed; a voucher (``compensation``) asks for no
parcel, so it skips the dock's two steps. A request can also end early: refused by the policy
or a supervisor, cancelled, or expired because nothing arrived by the send-by date. The steps
are computed here, once, from the records the stages write (the request, its RMA, the
receipts and units, the inspections, the resolutions), so every face says the same thing.
Step names are codes for the faces to put in words (``web/i18n.py``); none is shown as is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.models import Inspection, Receipt, Resolution, Rma, RmaRequest, Unit
from station.models.enums import ResolutionKind, ResolutionState, RmaState

STEPS = ("asked", "authorised", "received", "inspected", "resolved", "closed")
"""The steps of a return the customer sends back, in order."""
NO_PARCEL_STEPS = ("asked", "authorised", "resolved", "closed")
"""A voucher's steps: the customer keeps the item, nothing comes to the dock."""
ENDINGS = ("refused", "cancelled", "expired")


def asks_for_parcel(resolution: str) -> bool:
    """Whether the customer ships anything back: a voucher (compensation) is paid for an item
    the customer keeps, so it has no label, no send-by date and no dock steps."""
    return resolution != "compensation"


@dataclass(frozen=True)
class Step:
    """One step: its code, whether it happened, and when (``None`` while it has not)."""

    name: str
    done: bool
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Progress:
    """A return's steps and what the customer needs to know about the current one.

    ``current`` is the newest step done (or ``pending_review``, or one of ``ENDINGS``);
    ``outcome`` the resolution issued (``refund``, ``exchange``, ``compensation``, or
    ``rejected`` after inspection); ``received_units`` of ``expected_units`` came to the dock.
    """

    rma_number: str
    current: str
    steps: tuple[Step, ...]
    parcel: bool
    send_by: dt.date | None = None
    outcome: str | None = None
    ended: str | None = None
    ended_at: dt.datetime | None = None
    received_units: int = 0
    expected_units: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"current": self.current, "parcel": self.parcel,
                "send_by": self.send_by.isoformat() if self.send_by else None,
                "outcome": self.outcome, "ended": self.ended,
                "ended_at": self.ended_at.isoformat() if self.ended_at else None,
                "received_units": self.received_units, "expected_units": self.expected_units,
                "steps": [{"name": s.name, "done": s.done, "at": s.at.isoformat() if s.at else None}
                          for s in self.steps]}


@dataclass(frozen=True)
class _Facts:
    """What the stages recorded for one RMA, read in a few grouped queries."""

    rma: Rma | None
    first_receipt: dt.datetime | None = None
    received_units: int = 0
    inspected_at: dt.datetime | None = None
    inspected_units: int = 0
    resolution: tuple[str, dt.datetime] | None = None


def progress_of(db: Session, rows: Sequence[RmaRequest]) -> dict[str, Progress]:
    """Each request's progress by its number, in a fixed handful of queries for any number."""
    rma_ids = [r.rma_id for r in rows if r.rma_id is not None]
    facts = _facts(db, rma_ids)
    return {r.number: _progress(r, facts.get(r.rma_id) if r.rma_id else None) for r in rows}


def _facts(db: Session, rma_ids: list[uuid.UUID]) -> dict[uuid.UUID, _Facts]:
    if not rma_ids:
        return {}
    rmas = {r.id: r for r in db.scalars(select(Rma).where(Rma.id.in_(rma_ids)))}
    received = {rid: (first, n) for rid, first, n in db.execute(
        select(Receipt.rma_id, func.min(Receipt.received_at), func.coalesce(func.sum(Unit.quantity), 0))
        .join(Unit, Unit.receipt_id == Receipt.id, isouter=True)
        .where(Receipt.rma_id.in_(rma_ids)).group_by(Receipt.rma_id))}
    inspected = {rid: (last, n) for rid, last, n in db.execute(
        select(Receipt.rma_id, func.max(Inspection.finished_at), func.count(func.distinct(Inspection.unit_id)))
        .join(Unit, Unit.receipt_id == Receipt.id).join(Inspection, Inspection.unit_id == Unit.id)
        .where(Receipt.rma_id.in_(rma_ids), Inspection.finished_at.is_not(None)).group_by(Receipt.rma_id))}
    resolved: dict[uuid.UUID, tuple[str, dt.datetime]] = {}
    for rid, kind, at in db.execute(
            select(Resolution.rma_id, Resolution.kind, Resolution.issued_at)
            .where(Resolution.rma_id.in_(rma_ids), Resolution.state != ResolutionState.VOIDED)
            .order_by(Resolution.issued_at)):
        resolved[rid] = (kind.value if isinstance(kind, ResolutionKind) else str(kind), at)  # the newest wins
    out = {}
    for rid in rma_ids:
        first, n_received = received.get(rid, (None, 0))
        last, n_inspected = inspected.get(rid, (None, 0))
        out[rid] = _Facts(rmas.get(rid), first, int(n_received or 0), last, int(n_inspected or 0),
                          resolved.get(rid))
    return out


def _progress(row: RmaRequest, facts: _Facts | None) -> Progress:
    parcel = asks_for_parcel(row.resolution)
    names = STEPS if parcel else NO_PARCEL_STEPS
    expected = sum(line.quantity for line in row.lines)
    asked = Step("asked", True, row.requested_at)
    if row.status in ("refused", "cancelled") and (facts is None or facts.rma is None):
        # refused by the policy or a supervisor, or withdrawn by the shop while waiting for review
        return Progress(row.number, row.status, (asked,), parcel, ended=row.status, ended_at=row.decided_at,
                        expected_units=expected)
    if row.status == "pending_review" or facts is None or facts.rma is None:
        rest = tuple(Step(n, False) for n in names[1:])
        return Progress(row.number, "pending_review", (asked, *rest), parcel, expected_units=expected)
    rma = facts.rma
    state = rma.state
    resolution = facts.resolution
    done_at: dict[str, dt.datetime | None] = {"asked": row.requested_at, "authorised": rma.authorised_at}
    if facts.first_receipt is not None:
        done_at["received"] = facts.first_receipt
    # Inspected once every unit that came has been graded (the RMA's own state moves on only
    # when the desk acts, so it cannot say this by itself).
    if facts.inspected_at is not None and (facts.inspected_units >= facts.received_units > 0 or state in (
            RmaState.INSPECTED, RmaState.RESOLVED, RmaState.CLOSED)):
        done_at["inspected"] = facts.inspected_at
    if resolution is not None:
        done_at["resolved"] = resolution[1]
    if state == RmaState.CLOSED:
        done_at["closed"] = rma.updated_at
    steps = tuple(Step(n, n in done_at, done_at.get(n)) for n in names)
    current = [s.name for s in steps if s.done][-1]
    ended, ended_at = None, None
    if state in (RmaState.CANCELLED, RmaState.EXPIRED):
        ended, current = state.value, state.value
        ended_at = row.decided_at if state == RmaState.CANCELLED and row.decided_at else rma.updated_at
    return Progress(row.number, current, steps, parcel, send_by=rma.deadline if parcel else None,
                    outcome=resolution[0] if resolution else None, ended=ended, ended_at=ended_at,
                    received_units=facts.received_units, expected_units=expected)
