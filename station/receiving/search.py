"""Finding the RMA an unknown parcel belongs to: a supervisor at the desk types what the box
says (order number, customer, tracking, a name) and picks from the RMAs that can still take
a parcel. The match itself is ``ReceivingService.match_unknown``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from station.core.context import Actor
from station.core.errors import InvalidInput, NotFound
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Approval, ApprovalKind, Receipt, Rma, RmaState

#: RMAs a parcel can still be received into (an expired one is held for approval as usual).
OPEN_STATES = (RmaState.AUTHORISED, RmaState.PARTIALLY_RECEIVED, RmaState.EXPIRED)


@dataclass(frozen=True)
class RmaHit:
    number: str
    order_number: str
    customer_name: str
    customer_ref: str
    tracking_number: str
    state: str


@dataclass(frozen=True)
class UnknownParcel:
    receipt_id: uuid.UUID
    scanned_code: str


class RmaSearch(Service):
    def search(self, actor: Actor, text: str, limit: int = 20) -> list[RmaHit]:
        """Open RMAs whose number, order, tracking or customer ref start with ``text``, or
        whose customer name contains it (case-insensitive), newest first."""
        self.require(actor, Permission.APPROVE)
        needle = (text or "").strip()
        if len(needle) < 2:
            raise InvalidInput("Type at least two characters to search.",
                               next_step="An order number, tracking number, customer number or name.")
        low = needle.lower()
        prefix = low.replace("%", r"\%").replace("_", r"\_") + "%"
        contains = "%" + prefix
        with self.reading() as db:
            rows = db.scalars(select(Rma).where(
                Rma.state.in_(OPEN_STATES),
                or_(func.lower(Rma.number).like(prefix, escape="\\"),
                    func.lower(Rma.order_number).like(prefix, escape="\\"),
                    func.lower(Rma.tracking_number).like(prefix, escape="\\"),
                    func.lower(Rma.customer_ref).like(prefix, escape="\\"),
                    func.lower(Rma.customer_name).like(contains, escape="\\")),
            ).order_by(Rma.authorised_at.desc()).limit(limit)).all()
            return [RmaHit(r.number, r.order_number, r.customer_name, r.customer_ref, r.tracking_number or "",
                           r.state.value) for r in rows]

    def unknown_parcel(self, actor: Actor, approval_id: object) -> UnknownParcel:
        """The quarantined parcel behind an unknown-parcel approval."""
        self.require(actor, Permission.APPROVE)
        with self.reading() as db:
            approval = db.get(Approval, approval_id if isinstance(approval_id, uuid.UUID)
                              else uuid.UUID(str(approval_id)))
            if approval is None or approval.kind != ApprovalKind.UNKNOWN_PARCEL:
                raise NotFound("That approval is not a parcel without an RMA.")
            receipt = db.get(Receipt, approval.entity_id)
            if receipt is None:
                raise NotFound("The parcel of that approval is gone.")
            return UnknownParcel(receipt.id, receipt.scanned_code)
