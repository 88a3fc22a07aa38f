"""What the supervisor's sheets list, read from the station database for one day.

Pure queries over the models; the rows are plain frozen values that ``labels.sheets``
renders as they are (labels/ reads station data, never the other way). A day is taken in
the station's time zone (``tz``), because "today's scrap" means the dock's today.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.models import (
    Disposition,
    DispositionKind,
    Grade,
    Operator,
    Product,
    Receipt,
    Rma,
    RmaLine,
    Unit,
)

log = logging.getLogger(__name__)

RELABEL_GRADES = (Grade.B, Grade.C)
"""Restocked units of these grades are sold again as B-stock under a new SKU."""


@dataclass(frozen=True)
class ScrapRow:
    lpn: str
    sku: str
    description: str
    reason: str
    value: Decimal
    currency: str = "CNY"
    grade: str = ""


@dataclass(frozen=True)
class RelabelRow:
    lpn: str
    sku: str
    description: str
    grade: str
    gtin: str = ""
    bin: str = ""


@dataclass(frozen=True)
class ReceivingRow:
    time: str
    rma_number: str
    scanned_code: str
    status: str
    condition: str
    units: int
    clerk: str


def day_bounds(day: dt.date, tz: str = "UTC") -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(tz)
    start = dt.datetime.combine(day, dt.time(), zone)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def _description(product: Product | None) -> str:
    if product is None:
        return ""
    if product.name_zh and product.name_zh != product.name_en:
        return f"{product.name_zh} {product.name_en}"
    return product.name_en


def relabel_sku(sku: str, grade: str) -> str:
    """The B-stock SKU a restocked unit is sold under (``SKU-B``)."""
    return f"{sku}-{grade}" if sku else ""


def _dispositioned(session: Session, kind: DispositionKind, day: dt.date, tz: str):  # type: ignore[no-untyped-def]
    start, end = day_bounds(day, tz)
    return session.execute(
        select(Unit, Disposition, Product, RmaLine)
        .join(Disposition, Disposition.unit_id == Unit.id)
        .outerjoin(Product, Product.id == Unit.product_id)
        .outerjoin(RmaLine, RmaLine.id == Unit.rma_line_id)
        .where(Disposition.kind == kind, Disposition.decided_at >= start, Disposition.decided_at < end)
        .where(Unit.disposition == kind)
        .order_by(Unit.lpn)
    ).all()


def scrap_rows(session: Session, day: dt.date, *, tz: str = "UTC") -> list[ScrapRow]:
    """Units dispositioned to scrap that day, valued at the product's unit value (else the
    price on the RMA line)."""
    rows = []
    for unit, disposition, product, line in _dispositioned(session, DispositionKind.SCRAP, day, tz):
        value = product.unit_value if product and product.unit_value else (line.unit_price if line else Decimal("0"))
        rows.append(ScrapRow(
            lpn=unit.lpn,
            sku=product.sku if product else unit.sku_received,
            description=_description(product),
            reason=disposition.reason or disposition.rule_name,
            value=Decimal(value) * unit.quantity,
            currency=product.currency if product else "CNY",
            grade=(disposition.grade or unit.grade or "") and str(disposition.grade or unit.grade),
        ))
    return rows


def relabel_rows(session: Session, day: dt.date, *, tz: str = "UTC") -> list[RelabelRow]:
    """Units restocked that day with a grade that is sold as B-stock."""
    rows = []
    for unit, disposition, product, _ in _dispositioned(session, DispositionKind.RESTOCK, day, tz):
        grade = disposition.grade or unit.grade
        if grade not in RELABEL_GRADES:
            continue
        sku = product.sku if product else unit.sku_received
        rows.append(RelabelRow(
            lpn=unit.lpn, sku=relabel_sku(sku, grade.value), description=_description(product),
            grade=grade.value, gtin=(product.gtin if product else "") or "", bin=disposition.bin or unit.bin,
        ))
    return rows


def receiving_rows(session: Session, day: dt.date, *, tz: str = "UTC") -> list[ReceivingRow]:
    """Every parcel received that day, oldest first, with its unit count and clerk."""
    start, end = day_bounds(day, tz)
    units = (
        select(Unit.receipt_id, func.coalesce(func.sum(Unit.quantity), 0).label("n"))
        .group_by(Unit.receipt_id).subquery()
    )
    result = session.execute(
        select(Receipt, Rma.number, Operator.name, units.c.n)
        .outerjoin(Rma, Rma.id == Receipt.rma_id)
        .join(Operator, Operator.id == Receipt.received_by)
        .outerjoin(units, units.c.receipt_id == Receipt.id)
        .where(Receipt.received_at >= start, Receipt.received_at < end)
        .order_by(Receipt.received_at, Receipt.scanned_code)
    ).all()
    zone = ZoneInfo(tz)
    return [
        ReceivingRow(
            time=receipt.received_at.astimezone(zone).strftime("%H:%M"),
            rma_number=number or "", scanned_code=receipt.scanned_code,
            status=receipt.status.value, condition=receipt.parcel_condition.value,
            units=int(n or 0), clerk=name,
        )
        for receipt, number, name, n in result
    ]
