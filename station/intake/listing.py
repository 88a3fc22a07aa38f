"""What an order system reads back: return requests page by page, and one order with what
is left to return from it.

Paging is by an opaque cursor (the last row's time and id), not by offset, so a request that
arrives while a system pages through does not shift what it sees (Shopify's and Loop's APIs
page the same way). ``updated_since`` keeps the requests decided or made since then: a system
polling every few minutes reads only what changed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from station.core.errors import NotFound
from station.intake.errors import FieldErrors
from station.intake.views import RequestView
from station.models import Order, RmaRequest

MAX_PAGE = 200


@dataclass(frozen=True)
class RequestPage:
    items: list[RequestView]
    next_cursor: str | None
    """Give it back as ``cursor`` for the next page; ``None`` on the last page."""


def encode_cursor(at: dt.datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    """The position a cursor names; a cursor this service did not make is refused in words."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, row_id = text.split("|", 1)
        return dt.datetime.fromisoformat(at), uuid.UUID(row_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _field("cursor", "cursor is not one this service gave: start again without it.") from exc


def parse_since(text: str | None) -> dt.datetime | None:
    """``updated_since`` in RFC 3339 (``2026-12-06T10:00:00Z``); a time zone is required."""
    if not text:
        return None
    try:
        found = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise _field("updated_since", f"updated_since {text!r} is not an RFC 3339 time (e.g. 2026-12-06T10:00:00Z).") from exc
    if found.tzinfo is None:
        raise _field("updated_since", "updated_since needs a time zone (e.g. 2026-12-06T10:00:00Z).")
    return found.astimezone(dt.UTC)


def _field(name: str, message: str) -> FieldErrors:
    """A refused query parameter, named as ``error.fields`` names it."""
    return FieldErrors(message, ((name, message.rstrip(".")),))


def page_limit(raw: Any) -> int:
    try:
        limit = int(str(raw)) if raw is not None and str(raw).isascii() else 50
    except ValueError:
        raise _field("limit", f"limit must be a whole number from 1 to {MAX_PAGE}.") from None
    if not 1 <= limit <= MAX_PAGE:
        raise _field("limit", f"limit must be a whole number from 1 to {MAX_PAGE}, not {limit}.")
    return limit


def list_requests(service: Any, *, limit: int = 50, cursor: str | None = None,
                  updated_since: dt.datetime | None = None) -> RequestPage:
    """Requests oldest change first, each as ``GET /rmas/{n}`` shows it (``service`` is the
    ``IntakeService``, whose view of a request this reuses)."""
    changed = func.coalesce(RmaRequest.decided_at, RmaRequest.requested_at)
    query = select(RmaRequest, changed.label("changed")).options(selectinload(RmaRequest.lines))
    if updated_since is not None:
        query = query.where(changed >= updated_since)
    if cursor:
        at, row_id = decode_cursor(cursor)
        query = query.where((changed > at) | ((changed == at) & (RmaRequest.id > row_id)))
    with service.reading() as db:
        rows = db.execute(query.order_by(changed, RmaRequest.id).limit(limit + 1)).all()
        items = [service._view(db, row) for row, _ in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return RequestPage(items, encode_cursor(last.changed, last[0].id) if last is not None else None)


def order_json(service: Any, order_number: str) -> dict[str, Any]:
    """One order as an order system reads it back: its lines with what is left to return,
    and the return requests made against it."""
    with service.reading() as db:
        order = db.scalar(select(Order).where(func.upper(Order.order_number) == order_number.strip().upper()))
        if order is None:
            raise NotFound(f"Order {order_number} is not known here.")
        requests = list(db.scalars(select(RmaRequest.number).where(RmaRequest.order_id == order.id)
                                   .order_by(RmaRequest.requested_at)))
        number = order.order_number
        head = {"order_number": number, "placed_at": order.placed_at.isoformat(),
                "delivered_at": order.delivered_at.isoformat() if order.delivered_at else None,
                "currency": order.currency, "flagged": order.flagged,
                "customer": {"ref": order.customer_ref, "name": order.customer_name,
                             "language": order.customer_language},
                "updated_at": order.updated_at.isoformat()}
    lines = service.returnable_lines(number)
    return {**head, "lines": [{"sku": l.sku, "ordered": l.ordered, "returnable": l.remaining,
                               "unit_price": str(l.unit_price), "category": l.category,
                               "refused_because": l.refused_because} for l in lines],
            "rmas": requests}
