"""The RMA an authorised request becomes: one rule for the policy's own authorisations (one
request or an import of thousands, ``station.intake.bulk``) and a supervisor's
(``IntakeService.authorise``).

What the dock will receive against is decided here, once: the deadline is the strictest
window among the returned products' categories, counted from the authorisation; the RMA's
reason is its first line's; the customer's comments travel as the reason text; a line gets
the order's serial number only when that order line had exactly one and one item comes back.
The writers store the values as they are (multi-row INSERTs or ORM objects).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from station.core.errors import InvalidInput
from station.core.return_policy import ReturnPolicy
from station.intake.views import RequestLineView
from station.models import RequestedResolution

REASON_TEXT_LIMIT = 4000


class OrderFacts(Protocol):
    order_number: str
    customer_ref: str
    customer_name: str
    customer_email: str
    customer_phone: str
    customer_language: str
    currency: str


@dataclass(frozen=True)
class RmaDraft:
    """Column values of the RMA and its lines (ids included), and its ``rma.authorised`` payload."""

    rma: dict[str, Any]
    lines: tuple[dict[str, Any], ...]
    event: dict[str, Any]


def draft_rma(*, number: str, order: OrderFacts, lines: Sequence[RequestLineView], resolution: str,
              photos: Sequence[str], serials: Mapping[str, Sequence[str]],
              products: Mapping[str, tuple[uuid.UUID, str]], policy: ReturnPolicy, now: dt.datetime,
              station_id: str, lots: Mapping[str, str] | None = None) -> RmaDraft:
    """The RMA for an authorised request. ``products``: SKU -> (product id, category);
    ``serials``: SKU -> the order line's serial numbers; ``lots``: SKU -> the order line's
    known production lot (the dock flags a unit carrying another, ``lot_mismatch``)."""
    missing = sorted({l.sku for l in lines} - set(products))
    if missing:
        raise InvalidInput(f"SKU {', '.join(missing)} is not in the catalogue; the RMA cannot be made.")
    window = min(policy.window_for(products[l.sku][1]) for l in lines)
    deadline = (now + dt.timedelta(days=window)).date()
    comments = "; ".join(f"{l.sku}: {l.comment}" for l in lines if l.comment)
    rma_id = uuid.uuid4()
    rma = {
        "id": rma_id, "number": number, "order_number": order.order_number,
        "customer_ref": order.customer_ref, "customer_name": order.customer_name,
        "customer_email": order.customer_email, "customer_phone": order.customer_phone,
        "customer_locale": order.customer_language, "reason_code": lines[0].reason,
        "reason_text": comments[:REASON_TEXT_LIMIT], "requested_resolution": RequestedResolution(resolution),
        "customer_photos": list(photos), "authorised_at": now, "deadline": deadline,
        "currency": order.currency, "station_id": station_id,
    }
    rma_lines = tuple({
        "id": uuid.uuid4(), "rma_id": rma_id, "line_no": l.line_no, "product_id": products[l.sku][0],
        "sku": l.sku, "quantity": l.quantity, "serial": _serial(serials.get(l.sku, ()), l.quantity),
        "unit_price": l.unit_price, "exchange_sku": l.exchange_sku, "lot": (lots or {}).get(l.sku, ""),
        "station_id": station_id} for l in lines)
    event = {"deadline": deadline.isoformat(), "resolution": resolution,
             "lines": [{"line_no": l.line_no, "sku": l.sku, "quantity": l.quantity} for l in lines]}
    return RmaDraft(rma, rma_lines, event)


def _serial(serials: Sequence[str], quantity: int) -> str | None:
    """The order's serial for a returned line, when it can only be that one item."""
    serials = list(serials or ())
    return serials[0] if len(serials) == 1 and quantity == 1 else None
