"""Small builders for test data: real rows in a real database, written through the ORM."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from station.core.context import Actor, StationContext
from station.core.identifiers import make_rma_number
from station.models import Operator, Product, RequestedResolution, Rma, RmaLine, Role
from station.operators.service import hash_pin

NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
_seq = itertools.count(1)


@functools.cache
def pin_hash(pin: str) -> str:
    """scrypt is slow on purpose; hash each test PIN once per run."""
    return hash_pin(pin)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def make_context(session_factory: sessionmaker[Session], clock: Clock | None = None,
                 station_id: str = "DOCK01", station_no: int = 1) -> StationContext:
    return StationContext(session_factory, station_id=station_id, station_no=station_no,
                          clock=clock or Clock())


def add_operator(db: Session, role: Role, badge: str | None = None, name: str | None = None,
                 pin: str = "1234") -> Actor:
    op = Operator(badge=badge or f"EMP{next(_seq):04d}", name=name or f"{role.value.title()} {next(_seq)}",
                  role=role, pin_hash=pin_hash(pin), station_id="DOCK01")
    db.add(op)
    db.flush()
    return Actor.of(op)


def add_product(db: Session, sku: str, *, category: str = "apparel", name_en: str = "T-shirt",
                name_zh: str = "T恤", gtin: str | None = None, value: str = "99.00",
                weight_g: int | None = 300, serialised: bool = False) -> Product:
    product = Product(sku=sku, gtin=gtin, name_en=name_en, name_zh=name_zh, category=category,
                      unit_value=Decimal(value), expected_weight_g=weight_g, serialised=serialised,
                      station_id="CENTRAL")
    db.add(product)
    db.flush()
    return product


def add_rma(db: Session, lines: list[tuple[Product, int] | tuple[Product, int, str]], *,
            number: str | None = None, tracking: str | None = None, reason: str = "size",
            authorised: dt.datetime = NOW - dt.timedelta(days=5), window_days: int = 30,
            customer_ref: str = "C-1001", requested: RequestedResolution = RequestedResolution.REFUND,
            price: str = "99.00") -> Rma:
    rma = Rma(
        number=number or make_rma_number(next(_seq)), order_number=f"SO-{next(_seq):06d}",
        customer_ref=customer_ref, customer_name="Wang Fang", customer_email="wang@example.com",
        reason_code=reason, requested_resolution=requested, authorised_at=authorised,
        deadline=(authorised + dt.timedelta(days=window_days)).date(), carrier="SF",
        tracking_number=tracking, station_id="CENTRAL",
    )
    for no, spec in enumerate(lines, start=1):
        product, qty = spec[0], spec[1]
        serial = spec[2] if len(spec) > 2 else None  # type: ignore[misc]
        rma.lines.append(RmaLine(line_no=no, product_id=product.id, sku=product.sku, quantity=qty,
                                 serial=serial, unit_price=Decimal(price), station_id="CENTRAL"))
    db.add(rma)
    db.flush()
    return rma
