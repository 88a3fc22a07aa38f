"""Writing domain events in the transaction of the change they describe.

A service calls one of the ``*_event`` helpers next to its audit call; the event row is then
committed (and synced to central) with the receipt, inspection, disposition or resolution it
reports, or not at all. Payloads carry what the order and inventory systems need and no
customer contact details: the notice sender reads those from the RMA when it sends, so an
opt-out given later is still respected and webhooks never spread personal data.

``CloudEventEnvelope`` is how every consumer outside the station sees an event: a CloudEvents
1.0 structured JSON envelope (webhooks and ``rma-station events feed``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.core.errors import ConfigError
from station.core.serialize import to_json_value
from station.models import Disposition, DomainEvent, Inspection, Receipt, Rma, Unit
from station.models.events import EVENT_NAMES

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


# -- CloudEvents 1.0 --------------------------------------------------------------------------

CLOUDEVENTS_VERSION = "1.0"
DEFAULT_TYPE_PREFIX = "com.example"
ENV_TYPE_PREFIX = "RMA_EVENT_TYPE_PREFIX"
ENV_SOURCE_BASE = "RMA_PUBLIC_URL"
_PREFIX = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*")


@dataclass(frozen=True)
class CloudEventEnvelope:
    """How a domain event is put in a CloudEvents 1.0 envelope (structured JSON mode).

    Every consumer (webhooks, ``events feed``) reads the same envelope, so any CloudEvents
    SDK parses it: ``type`` is ``<type_prefix>.<event name>`` (``com.example.rma.received``;
    the prefix is the company's reverse domain), ``source`` names the station (or the
    returns service) that wrote the event, ``subject`` is the RMA number, ``id`` the event's
    UUID, which is unique per source and the same on every retry. ``rmaseq`` (the event's
    number within its RMA) and ``cursor`` (its place in the feed) are extension attributes.
    """

    type_prefix: str = DEFAULT_TYPE_PREFIX
    source_base: str = ""

    def __post_init__(self) -> None:
        if not _PREFIX.fullmatch(self.type_prefix):
            raise ConfigError(f"The event type prefix {self.type_prefix!r} is not a reverse domain name.",
                              next_step="Use lower-case labels joined by dots, e.g. com.example.")
        if self.source_base and not urlsplit(self.source_base).scheme:
            raise ConfigError(f"The event source base {self.source_base!r} is not an absolute URL.",
                              next_step="Give the returns service's https address, e.g. https://returns.example.com.")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CloudEventEnvelope:
        """The envelope set by ``RMA_EVENT_TYPE_PREFIX`` and ``RMA_PUBLIC_URL`` (both optional)."""
        env = os.environ if env is None else env
        return cls(env.get(ENV_TYPE_PREFIX, "").strip() or DEFAULT_TYPE_PREFIX,
                   env.get(ENV_SOURCE_BASE, "").strip().rstrip("/"))

    def type_of(self, name: str) -> str:
        return f"{self.type_prefix}.{name}"

    def source_of(self, station_id: str) -> str:
        """``<base>/stations/<id>`` (a URI-reference; absolute when a base is set)."""
        return f"{self.source_base.rstrip('/')}/stations/{quote(station_id or 'unknown', safe='')}"

    def wrap(self, *, event_id: uuid.UUID, name: str, rma_number: str, occurred_at: dt.datetime,
             station_id: str, data: dict[str, Any], rma_seq: int, cursor: int | None = None) -> dict[str, Any]:
        """The structured-mode CloudEvent as a JSON-ready dict."""
        envelope: dict[str, Any] = {
            "specversion": CLOUDEVENTS_VERSION,
            "id": str(event_id),
            "source": self.source_of(station_id),
            "type": self.type_of(name),
            "subject": rma_number,
            "time": occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "rmaseq": rma_seq,
            "data": data,
        }
        if cursor is not None:
            envelope["cursor"] = cursor
        return envelope
