"""How much of an order is already on its way back, per SKU: one rule for a request, an
import of thousands, a changed order and ``policy explain``.

Requests that were not refused or cancelled count (authorised or waiting for review), and so do RMAs for
the order that were made outside the intake (imported upstream before this service existed),
unless cancelled. Read for many orders at once, a fixed number of queries per 500 orders.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select

from station.models import Rma, RmaLine, RmaRequest, RmaRequestLine, RmaState

CHUNK = 500

_IDS: Any = bindparam("ids", expanding=True)
_REQUESTED = (select(RmaRequest.order_id, RmaRequestLine.sku, func.sum(RmaRequestLine.quantity))
              .join(RmaRequest, RmaRequest.id == RmaRequestLine.request_id)
              .where(RmaRequest.order_id.in_(_IDS), RmaRequest.status.not_in(("refused", "cancelled")))
              .group_by(RmaRequest.order_id, RmaRequestLine.sku))
_MADE_UPSTREAM = (select(Rma.order_number, RmaLine.sku, func.sum(RmaLine.quantity))
                  .join(Rma, Rma.id == RmaLine.rma_id)
                  .where(Rma.order_number.in_(bindparam("numbers", expanding=True)), Rma.state != RmaState.CANCELLED,
                         Rma.id.not_in(select(RmaRequest.rma_id).where(RmaRequest.rma_id.is_not(None),
                                                                        RmaRequest.order_id.in_(_IDS))))
                  .group_by(Rma.order_number, RmaLine.sku))


def requested_quantities_of(conn: Any, orders: Iterable[tuple[uuid.UUID, str]]) -> dict[uuid.UUID, dict[str, int]]:
    """Quantity per SKU already asked for, per order; ``orders`` are (id, order number) pairs.
    ``conn`` is a Connection or a Session."""
    wanted = list(dict.fromkeys(orders))
    taken: dict[uuid.UUID, dict[str, int]] = {order_id: {} for order_id, _ in wanted}
    ids = {number: order_id for order_id, number in wanted}
    for at in range(0, len(wanted), CHUNK):
        part: Sequence[tuple[uuid.UUID, str]] = wanted[at:at + CHUNK]
        for order_id, sku, qty in conn.execute(_REQUESTED, {"ids": [i for i, _ in part]}):
            _add(taken[order_id], sku, qty)
        for number, sku, qty in conn.execute(_MADE_UPSTREAM, {"numbers": [n for _, n in part],
                                                               "ids": [i for i, _ in part]}):
            _add(taken[ids[number]], sku, qty)
    return taken


def requested_quantities(db: Any, order: Any) -> dict[str, int]:
    """``requested_quantities_of`` for one order (anything with ``id`` and ``order_number``)."""
    return requested_quantities_of(db, [(order.id, order.order_number)])[order.id]


def _add(per_sku: dict[str, int], sku: str, qty: Any) -> None:
    per_sku[sku] = per_sku.get(sku, 0) + int(qty or 0)
