"""Orders from the shop's order system: created, updated or left alone (idempotent by number).

A repeat with the same content changes nothing. A changed order updates the header and its
lines, but never below what the customer already asked to return: an order line cannot drop
under the quantity already requested (that is a ``Conflict`` naming the line).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.core.errors import InvalidInput
from station.intake.errors import Conflict
from station.intake.inputs import OrderInput
from station.intake.quantities import requested_quantities
from station.models import Order, OrderLine, Product
from station.models.orders import order_id_for, order_line_id_for


def check_catalogue(db: Session, order: OrderInput) -> None:
    skus = {line.sku for line in order.lines}
    known = set(db.scalars(select(Product.sku).where(Product.sku.in_(skus))))
    missing = sorted(skus - known)
    if missing:
        raise InvalidInput(
            f"Order {order.order_number}: SKU {', '.join(missing)} not in the station's catalogue.",
            next_step="Add the products to the catalogue (or sync it from central) before sending the order.")


def upsert_order(db: Session, order: OrderInput, station_id: str) -> tuple[Order, str]:
    """Write ``order``; return the row and ``created``, ``updated`` or ``unchanged``."""
    content = order.content_hash()
    row = db.scalar(select(Order).where(Order.order_number == order.order_number)
                    .options(selectinload(Order.lines)).with_for_update())
    if row is not None and row.content_hash == content:
        return row, "unchanged"
    check_catalogue(db, order)
    if row is None:
        row = Order(id=order_id_for(order.order_number), order_number=order.order_number)
        db.add(row)
        status = "created"
    else:
        status = "updated"
        taken = requested_quantities(db, row)
        new = {line.sku: line.quantity for line in order.lines}
        for sku, qty in sorted(taken.items()):
            if qty and new.get(sku, 0) < qty:
                raise Conflict(
                    f"Order {order.order_number}: {qty} of {sku} are already being returned; "
                    f"the order cannot now say {new.get(sku, 0)}.",
                    next_step="Send the order with at least the quantity already returned.")
    row.placed_at = order.placed_at
    row.delivered_at = order.delivered_at
    row.currency = order.currency
    row.customer_ref = order.customer_ref
    row.customer_name = order.customer_name
    row.customer_email = order.customer_email
    row.customer_phone = order.customer_phone
    row.customer_language = order.customer_language
    row.flagged = order.flagged
    row.content_hash = content
    _write_lines(row, order)
    db.flush()
    return row, status


def _write_lines(row: Order, order: OrderInput) -> None:
    """The order's lines kept by number, so every station changes the same records. A line the
    order no longer has stays with quantity 0: a deleted row would not reach the other
    stations, and nothing of it is returnable any more."""
    kept = {line.line_no: line for line in row.lines}
    for n, given in enumerate(order.lines, 1):
        line = kept.pop(n, None)
        if line is None:
            line = OrderLine(id=order_line_id_for(order.order_number, n), line_no=n)
            row.lines.append(line)
        line.sku, line.quantity, line.unit_price = given.sku, given.quantity, given.unit_price
        line.serials, line.lot = list(given.serials), given.lot
    for dropped in kept.values():
        dropped.quantity, dropped.serials, dropped.lot = 0, [], ""
