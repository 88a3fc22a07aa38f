"""Return-to-vendor domain events: ``rtv.approved`` / ``rtv.rejected`` for one unit,
``rtv.shipped`` / ``rtv.credited`` for a batch.

Events are about RMAs (``station.core.events``: numbered per RMA, delivered in order per RMA), and
a batch holds units of many RMAs. A batch event is therefore written once per RMA in the
batch, with that RMA's units and the batch's facts (number, vendor, RA number, carrier,
tracking, totals): the order system sees each return's units leave and be credited, and a
consumer that wants the batch once de-duplicates by ``data.batch``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.events import emit
from station.models import DomainEvent, Receipt, Rma, RtvBatch, Unit


def _rmas_of(session: Session, batch: RtvBatch) -> dict[str, tuple[Rma, list[dict[str, Any]]]]:
    unit_ids = [item.unit_id for item in batch.items]
    rows = session.execute(
        select(Unit.id, Rma).join(Receipt, Receipt.id == Unit.receipt_id).join(Rma, Rma.id == Receipt.rma_id)
        .where(Unit.id.in_(unit_ids))).all()
    rma_of = {unit_id: rma for unit_id, rma in rows}
    grouped: dict[str, tuple[Rma, list[dict[str, Any]]]] = {}
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in batch.items:
        rma = rma_of.get(item.unit_id)
        if rma is None:
            continue
        lines[rma.number].append({"lpn": item.lpn, "sku": item.sku, "serial": item.serial,
                                  "claimed_amount": item.claimed_amount})
        grouped[rma.number] = (rma, lines[rma.number])
    return grouped


def _batch_facts(batch: RtvBatch) -> dict[str, Any]:
    return {"batch": batch.number, "vendor": batch.vendor.code, "vendor_name": batch.vendor.name,
            "ra_number": batch.ra_number, "carrier": batch.carrier, "tracking_number": batch.tracking_number,
            "batch_units": len(batch.items), "claimed_amount": batch.claimed_amount, "currency": batch.currency}


def shipped_events(session: Session, batch: RtvBatch, at: dt.datetime) -> list[DomainEvent]:
    """``rtv.shipped``: the batch left the dock; one event per RMA with units in it."""
    return [emit(session, "rtv.shipped", rma, {**_batch_facts(batch), "units": units}, at)
            for rma, units in _rmas_of(session, batch).values()]


def credited_events(session: Session, batch: RtvBatch, at: dt.datetime) -> list[DomainEvent]:
    """``rtv.credited``: the vendor credited the batch (amount and day); one event per RMA."""
    return [emit(session, "rtv.credited", rma, {
        **_batch_facts(batch), "credited_amount": batch.credited_amount,
        "credited_on": batch.credited_on.isoformat() if batch.credited_on else None, "units": units}, at)
        for rma, units in _rmas_of(session, batch).values()]


def decision_event(session: Session, unit: Unit, approved: bool, reason: str, at: dt.datetime) -> DomainEvent | None:
    """``rtv.approved`` / ``rtv.rejected``: a supervisor's decision on sending one unit back."""
    rma = session.scalar(select(Rma).join(Receipt, Receipt.rma_id == Rma.id).where(Receipt.id == unit.receipt_id))
    if rma is None:
        return None
    line = unit.rma_line
    return emit(session, "rtv.approved" if approved else "rtv.rejected", rma, {
        "lpn": unit.lpn, "sku": line.sku if line else unit.sku_received, "quantity": unit.quantity,
        "line_no": line.line_no if line else None, "reason": reason, "unit_state": unit.state,
        "disposition": unit.disposition}, at)
