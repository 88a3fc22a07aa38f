"""An import of orders the station has never seen, written as a batch (``orders import``).

The per-order path (``orders.upsert_order`` in the ORM, then its audit event) costs ~3.5 ms an
order: 100,000 orders took six minutes. An import of new orders needs none of what makes that
path careful (comparing content, keeping lines by number, guarding quantities already being
returned), so here the same rows are made once per batch: the order and its lines with their
ids from the order number, the ``order.created`` audit event chained as ``audit.append`` would,
and the outbox entries the session hook would queue. A file that names an order already here
takes the per-order path for the whole file, so updates keep every check.
``tests/station/intake/test_new_orders.py`` imports one file both ways and compares the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core.context import StationContext
from station.core.errors import InvalidInput
from station.intake.bulk import CHUNK, BatchRows
from station.intake.inputs import OrderInput
from station.intake.views import OrderOutcome
from station.models import Order, OrderLine, Product
from station.models.orders import order_id_for, order_line_id_for


def all_new(db: Session, orders: Sequence[tuple[int, OrderInput]]) -> bool:
    """True when no order of the import is in this database yet."""
    numbers = [order.order_number for _, order in orders]
    for start in range(0, len(numbers), CHUNK):
        if db.scalar(select(Order.id).where(Order.order_number.in_(numbers[start:start + CHUNK])).limit(1)):
            return False
    return True


def _check_catalogue(db: Session, orders: Sequence[tuple[int, OrderInput]]) -> None:
    """The first order naming a SKU the catalogue lacks, refused as ``check_catalogue`` words it."""
    skus = sorted({line.sku for _, order in orders for line in order.lines})
    known: set[str] = set()
    for start in range(0, len(skus), CHUNK):
        known.update(db.scalars(select(Product.sku).where(Product.sku.in_(skus[start:start + CHUNK]))))
    for line_no, order in orders:
        missing = sorted({line.sku for line in order.lines} - known)
        if missing:
            raise InvalidInput(
                f"line {line_no}: Order {order.order_number}: SKU {', '.join(missing)} not in the station's catalogue.",
                next_step="Add the products to the catalogue (or sync it from central) before sending the order.")


def write_new_orders(db: Session, ctx: StationContext, orders: Sequence[tuple[int, OrderInput]],
                     by: str) -> list[OrderOutcome]:
    """Write orders none of which is here yet (``all_new``), in the caller's transaction."""
    _check_catalogue(db, orders)
    rows = BatchRows(ctx.station_id, audit.ChainWriter(db, ctx.station_id))
    station = ctx.station_id
    for _, order in orders:
        order_id = order_id_for(order.order_number)
        rows.synced(Order, {
            "id": order_id, "order_number": order.order_number, "placed_at": order.placed_at,
            "delivered_at": order.delivered_at, "currency": order.currency, "customer_ref": order.customer_ref,
            "customer_name": order.customer_name, "customer_email": order.customer_email,
            "customer_phone": order.customer_phone, "customer_language": order.customer_language,
            "flagged": order.flagged, "content_hash": order.content_hash(), "station_id": station})
        for n, line in enumerate(order.lines, 1):
            rows.synced(OrderLine, {
                "id": order_line_id_for(order.order_number, n), "order_id": order_id, "line_no": n,
                "sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price,
                "serials": list(line.serials), "lot": line.lot, "station_id": station})
        rows.audit("order.created", "orders", order_id,
                   {"order_number": order.order_number, "by": by, "lines": len(order.lines)}, ctx.now())
    rows.write(db)
    return [OrderOutcome(order.order_number, "created") for _, order in orders]
