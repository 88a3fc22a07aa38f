"""How much of an order is already on its way back, per SKU.

Requests that were not refused count (authorised or waiting for review), and so do RMAs for
the order that were made outside the intake (imported upstream before this service existed),
unless cancelled.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.models import Order, Rma, RmaLine, RmaRequest, RmaRequestLine, RmaState


def requested_quantities(db: Session, order: Order) -> dict[str, int]:
    taken: dict[str, int] = {}
    rows = db.execute(
        select(RmaRequestLine.sku, func.sum(RmaRequestLine.quantity))
        .join(RmaRequest, RmaRequest.id == RmaRequestLine.request_id)
        .where(RmaRequest.order_id == order.id, RmaRequest.status != "refused")
        .group_by(RmaRequestLine.sku)
    )
    for sku, qty in rows:
        taken[sku] = taken.get(sku, 0) + int(qty or 0)
    from_requests = select(RmaRequest.rma_id).where(RmaRequest.rma_id.is_not(None),
                                                    RmaRequest.order_id == order.id)
    legacy = db.execute(
        select(RmaLine.sku, func.sum(RmaLine.quantity))
        .join(Rma, Rma.id == RmaLine.rma_id)
        .where(Rma.order_number == order.order_number, Rma.state != RmaState.CANCELLED,
               Rma.id.not_in(from_requests))
        .group_by(RmaLine.sku)
    )
    for sku, qty in legacy:
        taken[sku] = taken.get(sku, 0) + int(qty or 0)
    return taken
