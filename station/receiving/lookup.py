"""The hot path of the dock: from a scanned code to the RMA card, in two SQL queries.

Every parcel starts here, with a clerk waiting, so this reads with Core statements (compiled
once and cached) on a read-only connection rather than through the ORM's identity map and
relationship loaders: one query for the RMA with its lines and products, one for its
receipts, units and who received them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from station.models import Operator, Product, Receipt, Rma, RmaLine, Unit
from station.receiving.views import LineView, ReceiptSummary, RmaCard

_rma, _line, _product = Rma.__table__.c, RmaLine.__table__.c, Product.__table__.c
_receipt, _unit, _operator = Receipt.__table__.c, Unit.__table__.c, Operator.__table__.c

# Plain table columns (not ORM attributes) and bound parameters: each statement is built
# once here, compiled once, and the result needs no ORM column adaptation per call.
_RMA_COLUMNS = (
    _rma.id, _rma.number, _rma.order_number, _rma.customer_name, _rma.customer_ref,
    _rma.reason_code, _rma.reason_text, _rma.requested_resolution, _rma.authorised_at,
    _rma.deadline, _rma.state, _rma.carrier, _rma.tracking_number, _rma.currency,
    _rma.customer_photos,
)
_LINE_COLUMNS = (
    _line.id, _line.line_no, _line.sku, _line.quantity, _line.serial, _line.unit_price,
    _product.gtin, _product.name_en, _product.name_zh, _product.category, _product.serialised, _line.lot,
)
_CARD = (
    select(*_RMA_COLUMNS, *_LINE_COLUMNS)
    .select_from(Rma.__table__)
    .join(RmaLine.__table__, _line.rma_id == _rma.id, isouter=True)
    .join(Product.__table__, _product.id == _line.product_id, isouter=True)
    .order_by(_line.line_no)
)
_BY_NUMBER = _CARD.where(_rma.number == bindparam("code"))
# A tracking number can be reused by a carrier years later: the newest RMA wins.
_BY_TRACKING = _CARD.where(
    _rma.id == select(_rma.id).where(_rma.tracking_number == bindparam("code"))
    .order_by(_rma.authorised_at.desc()).limit(1).scalar_subquery()
)
_RECEIPTS = (
    select(_receipt.id, _receipt.received_at, _receipt.status, _operator.name, _unit.lpn,
           _unit.rma_line_id, _unit.quantity)
    .select_from(Receipt.__table__)
    .join(Operator.__table__, _operator.id == _receipt.received_by, isouter=True)
    .join(Unit.__table__, _unit.receipt_id == _receipt.id, isouter=True)
    .where(_receipt.rma_id == bindparam("rma_id"))
    .order_by(_receipt.received_at, _unit.lpn)
)


def load_card(conn: Connection, *, number: str | None = None, tracking: str | None = None,
              today: dt.date) -> RmaCard | None:
    """The card for an RMA number or a tracking number, or None when there is no such RMA."""
    if number is not None:
        rows = conn.execute(_BY_NUMBER, {"code": number}).all()
    else:
        rows = conn.execute(_BY_TRACKING, {"code": tracking or ""}).all()
    if not rows:
        return None
    head = rows[0]
    receipt_rows = conn.execute(_RECEIPTS, {"rma_id": head.id}).all()
    received: dict[uuid.UUID, int] = defaultdict(int)
    receipts: dict[uuid.UUID, tuple[dt.datetime, str, object, list[str]]] = {}
    for r in receipt_rows:
        entry = receipts.setdefault(r[0], (r[1], r[3] or "?", r[2], []))
        if r[4] is not None:
            entry[3].append(r[4])
            if r[5] is not None:
                received[r[5]] += r[6]
    n = len(_RMA_COLUMNS)
    lines = tuple(
        LineView(
            line_no=row[n + 1], sku=row[n + 2], gtin=row[n + 6] or "", name_en=row[n + 7] or "",
            name_zh=row[n + 8] or "", category=row[n + 9] or "", quantity=row[n + 3],
            received_quantity=received.get(row[n], 0), serial=row[n + 4] or "",
            serialised=bool(row[n + 10]), unit_price=row[n + 5], lot=row[n + 11] or "",
        )
        for row in rows if row[n] is not None
    )
    return RmaCard(
        id=head.id, number=head.number, order_number=head.order_number,
        customer_name=head.customer_name, customer_ref=head.customer_ref,
        reason_code=head.reason_code, reason_text=head.reason_text,
        requested_resolution=head.requested_resolution, authorised_at=head.authorised_at,
        deadline=head.deadline, state=head.state, carrier=head.carrier,
        tracking_number=head.tracking_number or "", currency=head.currency,
        customer_photos=tuple(str(p) for p in head.customer_photos or ()),
        lines=lines,
        receipts=tuple(ReceiptSummary(id=rid, received_at=at, received_by=who, status=status,  # type: ignore[arg-type]
                                      lpns=tuple(lpns))
                       for rid, (at, who, status, lpns) in receipts.items()),
        days_late=max(0, (today - head.deadline).days),
    )


def rma_number_of(db: Session, lpn: str) -> str:
    """The RMA a unit came back under, by its LPN; empty for a unit of a parcel no RMA claims
    (and for an unknown LPN)."""
    number = db.scalar(select(Rma.number).join(Receipt, Receipt.rma_id == Rma.id)
                       .join(Unit, Unit.receipt_id == Receipt.id).where(Unit.lpn == lpn))
    return number or ""
