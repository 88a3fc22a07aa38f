"""Demo data: a realistic returns dock to try the station on (``rma-station seed-demo``).

Products in five categories with English and Chinese names, operators of every role with
known badges and PINs (printed by the command and listed in the README), and RMAs in every
state of the workflow, with receipts, units, inspections, dispositions and resolutions that
agree with each other. Deterministic for a given ``seed``. Demo records are not queued for
sync: a demo station should never push invented returns to a real central database.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from station.audit import chain as audit
from station.core.context import Actor, StationContext
from station.core.identifiers import make_lpn, make_rma_number
from station.core.return_policy import load_policy
from station.core.settings import Settings
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    Disposition,
    DispositionKind,
    Grade,
    Inspection,
    Operator,
    OutboxEvent,
    ParcelCondition,
    Product,
    Receipt,
    ReceiptStatus,
    RequestedResolution,
    Resolution,
    Rma,
    RmaLine,
    RmaState,
    Role,
    SalesDay,
    Unit,
    UnitState,
    Vendor,
    utcnow,
)
from station.operators.demo_staff import DEMO_STAFF, hash_demo_pins
from station.operators.service import AuthService
from station.resolution.rules import load_rules
from station.resolution.service import compute

DEMO_OPERATORS = tuple((badge, name, Role(role), pin, locale) for badge, name, role, pin, locale in DEMO_STAFF)

CUSTOMERS = (
    ("Wang Fang", "zh"), ("Li Lei", "zh"), ("Liu Yang", "zh"), ("Zhao Min", "zh"),
    ("Huang Xin", "zh"), ("Emma Brown", "en"), ("Lucas Meyer", "en"), ("Olivia Chen", "en"),
    ("Noah Kim", "en"), ("Sofia Rossi", "en"), ("Chen Hao", "zh"), ("Sun Li", "zh"),
)
REASONS = (
    ("size", "Too small / too large", 30), ("changed_mind", "No longer needed", 18),
    ("defective", "Stopped working", 16), ("damaged", "Arrived damaged", 10),
    ("not_as_described", "Colour differs from the photos", 10), ("wrong_item_sent", "Received another model", 6),
    ("late_delivery", "Arrived after the event", 5), ("quality", "Poor quality", 5),
)
# Share of RMAs per state: most are still open work, as on a real dock.
STATE_MIX = (
    (RmaState.AUTHORISED, 30), (RmaState.PARTIALLY_RECEIVED, 6), (RmaState.RECEIVED, 18),
    (RmaState.INSPECTED, 12), (RmaState.RESOLVED, 12), (RmaState.CLOSED, 14),
    (RmaState.EXPIRED, 5), (RmaState.CANCELLED, 3),
)
# Vendors that take returns (their products carry ``rtv = true`` in demo_products.toml):
# code, supplier name as on the products, contact, e-mail, agreement rate (% of unit cost;
# None: the full unit cost).
DEMO_VENDORS = (
    ("SZMOB", "Shenzhen Mobile", "Zhou Ying", "rma@shenzhen-mobile.example", None),
    ("SZAUD", "Shenzhen Audio", "Liang Wei", "returns@shenzhen-audio.example", Decimal("85")),
    ("DGPER", "Dongguan Peripherals", "He Jun", "rtv@dg-peripherals.example", Decimal("90")),
    ("DGWEAR", "Dongguan Wearables", "Xu Lan", "rtv@dg-wearables.example", None),
    ("NBAPP", "Ningbo Appliances", "Ma Tao", "service@ningbo-appliances.example", Decimal("80")),
    ("FSHOME", "Foshan Home", "Tang Li", "aftersales@foshan-home.example", Decimal("75")),
    ("JJFOOT", "Jinjiang Footwear", "Cai Ming", "returns@jinjiang-footwear.example", Decimal("70")),
    ("WZLEA", "Wenzhou Leather", "Pan Hui", "rma@wenzhou-leather.example", Decimal("70")),
    ("GZDEN", "Guangzhou Denim Co.", "Lin Fang", "rma@gz-denim.example", Decimal("60")),
    ("SZSILK", "Suzhou Silk", "Gu Qing", "service@suzhou-silk.example", Decimal("60")),
    ("HBOUT", "Harbin Outdoor", "Yu Bo", "rma@harbin-outdoor.example", Decimal("65")),
    ("SHBEA", "Shanghai Beauty", "Shen Yue", "returns@shanghai-beauty.example", None),
)
SIZED = {"apparel", "shoes"}
"""Categories a customer returns for their size: nobody sends back a power bank that "did not fit"."""
GRADE_MIX = ((Grade.A, 45), (Grade.B, 25), (Grade.C, 15), (Grade.D, 15))
DESTINATION = {
    Grade.A: (DispositionKind.RESTOCK, "A-"), Grade.B: (DispositionKind.RESTOCK, "B-"),
    Grade.C: (DispositionKind.REFURBISH, "R-"), Grade.D: (DispositionKind.SCRAP, "S-"),
}


DEMO_DOCK_ADDRESS = "Demo returns dock; 88 Harbour Road; Shanghai 200000"
"""The ship-to address a demo station prints on customers' return labels (``dock.address``)."""


def with_demo_dock(settings: Settings) -> Settings | None:
    """The settings with the demo's dock address when none is set (else None: keep them), so a
    demo station's return labels print from the first run."""
    if str(settings.get("dock.address")).strip():
        return None
    return settings.replace(**{"dock.address": DEMO_DOCK_ADDRESS})


DEMO_FAMILIES: dict[str, tuple[str, dict[str, str]]] = {
    "AP-TS-RED-M": ("AP-TS", {"colour": "red", "size": "M"}),
    "AP-TS-BLK-L": ("AP-TS", {"colour": "black", "size": "L"}),
    "AP-JN-32": ("AP-JN", {"size": "32"}),
    "SH-RN-42": ("SH-RN", {"size": "42"}),
    "SH-RN-40": ("SH-RN", {"size": "40"}),
}
"""The demo catalogue's products that are sizes or colours of one another (``Product.family``)."""

DEMO_VARIANTS = (
    # sku, English, Chinese, category, family, attributes, like (a product whose value, weight, supplier it shares)
    ("AP-TS-RED-S", "Cotton T-shirt, red, S", "纯棉T恤 红色 S码", "AP-TS", {"colour": "red", "size": "S"}, "AP-TS-RED-M"),
    ("AP-TS-RED-L", "Cotton T-shirt, red, L", "纯棉T恤 红色 L码", "AP-TS", {"colour": "red", "size": "L"}, "AP-TS-RED-M"),
    ("AP-TS-BLK-M", "Cotton T-shirt, black, M", "纯棉T恤 黑色 M码", "AP-TS", {"colour": "black", "size": "M"},
     "AP-TS-BLK-L"),
    ("AP-JN-30", "Slim jeans, 30", "修身牛仔裤 30码", "AP-JN", {"size": "30"}, "AP-JN-32"),
    ("AP-JN-34", "Slim jeans, 34", "修身牛仔裤 34码", "AP-JN", {"size": "34"}, "AP-JN-32"),
    ("SH-RN-41", "Running shoes, 41", "跑步鞋 41码", "SH-RN", {"size": "41"}, "SH-RN-42"),
    ("SH-RN-43", "Running shoes, 43", "跑步鞋 43码", "SH-RN", {"size": "43"}, "SH-RN-42"),
)
"""Other sizes and colours of demo products, so a demo exchange has something to choose from."""


def _with_variants(products: list[Product], station_id: str) -> list[Product]:
    """The demo's variant products, and the families set on the products they vary."""
    by_sku = {p.sku: p for p in products}
    for sku, (family, attrs) in DEMO_FAMILIES.items():
        by_sku[sku].family, by_sku[sku].variant = family, dict(attrs)
    out = []
    body_seq = 900
    for sku, en, zh, family, attrs, like_sku in DEMO_VARIANTS:
        like = by_sku[like_sku]
        body_seq += 1
        body = f"690123{body_seq:06d}"
        out.append(Product(sku=sku, gtin=body + _ean_check(body), name_en=en, name_zh=zh, category=like.category,
                           unit_value=like.unit_value, expected_weight_g=like.expected_weight_g,
                           serialised=like.serialised, supplier=like.supplier, rtv_allowed=like.rtv_allowed,
                           family=family, variant=dict(attrs), station_id=station_id))
    return out


@dataclass(frozen=True)
class DemoOrder:
    """An order a demo customer can return from on the request page: its number and e-mail."""

    number: str
    email: str
    language: str
    story: str  # what trying it shows, in a few words
    customer: str = ""
    delivered_days_ago: int = 3
    lines: tuple[tuple[str, int], ...] = ()


DEMO_ORDERS = (
    DemoOrder("DEMO-1001", "emma.brown@example.com", "en", "returnable: jeans and a T-shirt", "Emma Brown", 4,
              (("AP-JN-32", 1), ("AP-TS-RED-M", 2))),
    DemoOrder("DEMO-1002", "wang.fang@example.com", "zh", "可退货：智能手表和耳机", "Wang Fang", 3,
              (("EL-SW-2", 1), ("EL-EB-PRO", 1))),
    DemoOrder("DEMO-1003", "lucas.meyer@example.com", "en", "window passed: delivered 45 days ago", "Lucas Meyer",
              45, (("SH-RN-42", 1),)),
    DemoOrder("DEMO-1004", "li.lei@example.com", "zh", "一件不可退：礼品卡（另有可退的围巾）", "Li Lei", 2,
              (("GC-200", 1), ("AP-SC-W", 1))),
)
"""Orders seeded with the demo, so the returns page has something to find on the first run."""


@dataclass(frozen=True)
class DemoSummary:
    products: int
    operators: int
    rmas: int
    units: int
    by_state: dict[str, int]
    orders: tuple[DemoOrder, ...] = ()


def database_is_empty(session_factory: sessionmaker[Session]) -> bool:
    with session_factory() as db:
        return db.scalar(select(func.count()).select_from(Rma)) == 0 and \
            db.scalar(select(func.count()).select_from(Operator)) == 0


def _weighted(rng: random.Random, table: tuple) -> object:
    return rng.choices([row[0] for row in table], weights=[row[-1] for row in table])[0]


def _load_products(station_id: str) -> list[Product]:
    data = tomllib.loads((Path(__file__).with_name("data") / "demo_products.toml").read_text("utf-8"))
    products = []
    gtin_seq = 100
    for category, rows in data.items():
        for sku, en, zh, value, weight, serialised, supplier, rtv in rows:
            gtin_seq += 1
            body = f"690123{gtin_seq:06d}"
            products.append(Product(
                sku=sku, gtin=body + _ean_check(body), name_en=en, name_zh=zh, category=category,
                unit_value=Decimal(value), expected_weight_g=weight, serialised=serialised,
                supplier=supplier, rtv_allowed=rtv, station_id=station_id,
            ))
    return products


def _ean_check(body: str) -> str:
    from stdnum import ean

    return ean.calc_check_digit(body)


def seed_demo(session_factory: sessionmaker[Session], *, station_id: str = "DOCK01",
              station_no: int = 1, rmas: int = 320, seed: int = 42,
              now: dt.datetime | None = None,
              progress: Callable[[int, int, str], None] | None = None,
              pin_hashes: Sequence[Future[str]] | None = None) -> DemoSummary:
    """Fill an empty station database with a coherent demo warehouse (one transaction).

    ``progress(done, total, step)`` is called as the work goes on (from the calling thread),
    so a first launch can show a window that says how far seeding is instead of nothing.

    Records are built in memory with their ids, then written a table at a time with ORM bulk
    inserts rather than flushed row by row.
    ``pin_hashes``: from ``hash_demo_pins()`` started earlier; by default started here.
    """
    total = rmas + 6
    report = progress or (lambda done, total, step: None)
    report(0, total, "operators")
    rng = random.Random(seed)
    now = now or utcnow()
    if pin_hashes is None:
        pin_hashes = hash_demo_pins()
    with session_factory() as db:
        db.info["applying_sync"] = True  # demo rows are not pushed to a central database
        with db.begin():
            operators = [
                Operator(id=uuid.uuid4(), badge=b, name=n, role=r, pin_hash="", locale=loc, station_id=station_id)
                for b, n, r, _pin, loc in DEMO_OPERATORS
            ]
            products = _load_products(station_id)
            vendors = [Vendor(code=code, name=name, contact_name=contact, contact_email=email,
                              agreement_rate_pct=rate, station_id=station_id)
                       for code, name, contact, email, rate in DEMO_VENDORS]
            # Variants come after the products the RMAs and sales are drawn from, so the demo's
            # returns stay the same as before families existed.
            variants = _with_variants(products, station_id)
            db.add_all([*products, *variants, *vendors])
            db.flush()
            report(1, total, "products")
            builder = _Builder(rng, now, station_id, station_no, operators, products)
            for i in range(1, rmas + 1):
                builder.rma(i, _weighted(rng, STATE_MIX))  # type: ignore[arg-type]
                if i % 10 == 0 or i == rmas:
                    report(1 + i, total, "rmas")
            for operator, pin_hash in zip(operators, pin_hashes, strict=True):
                operator.pin_hash = pin_hash.result()
            report(rmas + 2, total, "writing")
            db.add_all(operators)
            db.flush()
            # Parents before children, each table in one bulk insert (no unit of work per row).
            for batch in (builder.rmas, [line for rma in builder.rmas for line in rma.lines], builder.receipts,
                          builder.units, builder.outcomes):
                _insert_all(db, batch)
            report(rmas + 3, total, "sales")
            _seed_sales(db, rng, now, [*products, *variants])  # variants last: the others' sales unchanged
            audit.append(db, station_id=station_id, actor=None, action="demo.seeded",
                         entity_type="station", entity_id=station_id, details={"rmas": rmas, "seed": seed})
            counts = dict(db.execute(select(Rma.state, func.count()).group_by(Rma.state)).all())
            n_units = db.scalar(select(func.count()).select_from(Unit)) or 0
    from station.resolution.queue import ResolutionQueue

    # The demo writes dispositions directly: put its fully dispositioned RMAs on the desk.
    report(rmas + 4, total, "resolution queue")
    ResolutionQueue(StationContext(session_factory, station_id=station_id, clock=lambda: now)).rebuild()
    orders = seed_demo_orders(session_factory, station_id, now)
    report(total, total, "done")
    return DemoSummary(len(products), len(operators), rmas, n_units,
                       {state.value: counts.get(state, 0) for state in RmaState}, orders)


def seed_demo_orders(session_factory: sessionmaker[Session], station_id: str,
                     now: dt.datetime) -> tuple[DemoOrder, ...]:
    """The demo's orders, sent the way an order system sends them (``IntakeService``)."""
    from station.core.context import StationContext
    from station.intake.inputs import parse_order
    from station.intake.service import IntakeService

    with session_factory() as db:
        prices = dict(db.execute(select(Product.sku, Product.unit_value)).all())
    intake = IntakeService(StationContext(session_factory, station_id=station_id, clock=lambda: now))
    for n, order in enumerate(DEMO_ORDERS):
        delivered = now - dt.timedelta(days=order.delivered_days_ago)
        intake.submit_order(parse_order({
            "order_number": order.number, "placed_at": (delivered - dt.timedelta(days=2)).isoformat(),
            "delivered_at": delivered.isoformat(), "currency": "CNY",
            "customer": {"ref": f"C-DEMO-{n + 1}", "name": order.customer, "email": order.email,
                         "phone": "+86 138 0000 0000", "language": order.language},
            "lines": [{"sku": sku, "quantity": qty, "unit_price": str(prices[sku]),
                       "serials": [f"SN-{order.number}-{i}" for i in range(qty)] if sku.startswith("EL-") else []}
                      for sku, qty in order.lines],
        }), by="demo")
    with session_factory.begin() as db:
        # Demo rows are not pushed to a central database (as in seed_demo); the intake queued
        # the orders for sync as it does for a shop's.
        db.execute(delete(OutboxEvent).where(OutboxEvent.entity_type.in_(("orders", "order_lines"))))
    return DEMO_ORDERS


def demo_catalogue() -> list[tuple[str, Decimal]]:
    """The demo's SKUs with their unit values, in the order ``seed_demo`` writes them."""
    return [(p.sku, p.unit_value) for p in _load_products("DOCK01")]


def demo_actors(ctx: StationContext) -> dict[Role, Actor]:
    """The demo staff signed in with their demo PINs, one per role (the last listed of each),
    for scripts that act through the services as the dock's people would."""
    auth = AuthService(ctx)
    return {role: auth.sign_in(badge, pin) for badge, _name, role, pin, _locale in DEMO_OPERATORS}


def add_demo_rma(ctx: StationContext, number: str, sku: str, serial: str, *, order_number: str,
                 customer_ref: str, reason: str = "defective", reason_text: str = "",
                 authorised_days_ago: int = 3, window_days: int = 30) -> str:
    """One authorised RMA for one unit of ``sku`` sold with ``serial``, as the shop's system
    would have sent it; for demo stories told through the real services from there on."""
    now = ctx.now()
    with ctx.session_factory.begin() as db:
        product = db.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            raise ValueError(f"{sku} is not in the demo catalogue")
        rma = Rma(number=number, order_number=order_number, customer_ref=customer_ref,
                  customer_name="Demo Customer", reason_code=reason, reason_text=reason_text,
                  requested_resolution=RequestedResolution.REFUND,
                  authorised_at=now - dt.timedelta(days=authorised_days_ago),
                  deadline=(now + dt.timedelta(days=window_days - authorised_days_ago)).date(),
                  station_id=ctx.station_id)
        rma.lines.append(RmaLine(line_no=1, product_id=product.id, sku=sku, quantity=1, serial=serial,
                                 unit_price=product.unit_value, station_id=ctx.station_id))
        db.add(rma)
    return number


# Mean units sold per SKU per day: the denominators of the demo's return rates (apparel and
# shoes come back most, as they do in real e-commerce).
DAILY_SALES = {"apparel": 1.5, "shoes": 1.5, "electronics": 3.0, "small_appliances": 2.5, "cosmetics": 4.0}
SALES_DAYS = 120


def _seed_sales(db: Session, rng: random.Random, now: dt.datetime, products: list[Product]) -> None:
    """Daily sales per SKU for the last ``SALES_DAYS`` days, as an imported sales file gives."""
    rows = []
    for product in products:
        mean = DAILY_SALES.get(product.category, 2.0)
        for back in range(SALES_DAYS):
            units = rng.randint(0, round(2 * mean))
            if units:
                rows.append({"sku": product.sku, "sold_on": (now - dt.timedelta(days=back)).date(),
                             "channel": "webshop", "units": units, "source": "demo", "imported_at": now})
    db.execute(insert(SalesDay), rows)


def _insert_all(db: Session, records: Sequence[Any]) -> None:
    """Insert built (never added) records with ORM bulk inserts, one per table."""
    by_model: dict[type, list[dict[str, Any]]] = {}
    for record in records:
        state = sa_inspect(record)
        by_model.setdefault(type(record), []).append(
            {attr.key: state.dict[attr.key] for attr in state.mapper.column_attrs if attr.key in state.dict})
    for model, rows in by_model.items():
        db.execute(insert(model), rows)


class _Builder:
    """Builds one RMA and everything that has happened to it by its state, in memory.

    Every record gets its id here, so children point at parents without a flush; the caller
    writes the lists in order (``rmas``, their lines, ``receipts``, ``units``, then
    ``outcomes``: inspections, dispositions, resolutions). The records are never added to a
    session: they only carry the values to insert (and feed ``compute`` for resolutions).
    """

    def __init__(self, rng: random.Random, now: dt.datetime, station_id: str,
                 station_no: int, operators: list[Operator], products: list[Product]) -> None:
        self.rng, self.now, self.station_id = rng, now, station_id
        self.station_no = station_no
        self.products = products
        self.clerks = [o for o in operators if o.role == Role.CLERK]
        self.inspectors = [o for o in operators if o.role == Role.INSPECTOR]
        self.supervisor = next(o for o in operators if o.role == Role.SUPERVISOR)
        self.lpn_seq = 0
        self.policy = load_policy()
        self.rules = load_rules()
        self.rmas: list[Rma] = []
        self.receipts: list[Receipt] = []
        self.units: list[Unit] = []
        self.outcomes: list[Inspection | Disposition | Resolution | Approval] = []

    def rma(self, index: int, state: RmaState) -> None:
        rng = self.rng
        name, locale = rng.choice(CUSTOMERS)
        category_products = self._pick_products()
        reason, text = self._reason(category_products[0].category)
        age = {RmaState.AUTHORISED: rng.randint(0, 12), RmaState.EXPIRED: rng.randint(40, 70),
               RmaState.CANCELLED: rng.randint(5, 30)}.get(state, rng.randint(4, 60))
        authorised = self.now - dt.timedelta(days=age, hours=rng.randint(0, 23))
        window = 15 if category_products[0].category in ("electronics", "small_appliances") else 30
        rma = Rma(
            id=uuid.uuid4(), number=make_rma_number(index), order_number=f"SO-2026-{rng.randint(100000, 999999)}",
            customer_ref=f"C-{rng.randint(1000, 1400)}", customer_name=name,
            customer_email=f"{name.lower().replace(' ', '.')}@example.com",
            customer_phone=f"+86 138 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            customer_locale=locale, reason_code=reason, reason_text=text,
            requested_resolution=RequestedResolution.EXCHANGE if rng.random() < 0.2 else RequestedResolution.REFUND,
            authorised_at=authorised, deadline=(authorised + dt.timedelta(days=window)).date(),
            carrier=rng.choice(["SF", "EMS", "UPS"]), currency="CNY", station_id=self.station_id,
            return_shipping_cost=Decimal(rng.choice(["12.00", "15.00", "18.00", "22.00"])),
        )
        rma.tracking_number = self._tracking(rma.carrier)
        for no, product in enumerate(category_products, start=1):
            qty = 1 if product.serialised else rng.choice([1, 1, 1, 2, 3])
            rma.lines.append(RmaLine(
                id=uuid.uuid4(), rma_id=rma.id, line_no=no, product_id=product.id, product=product, sku=product.sku, quantity=qty,
                serial=f"SN{rng.randint(10**9, 10**10 - 1)}" if product.serialised else None,
                unit_price=product.unit_value, station_id=self.station_id,
            ))
        rma.state = state
        self.rmas.append(rma)
        if state in (RmaState.AUTHORISED, RmaState.EXPIRED, RmaState.CANCELLED):
            return
        self._history(rma, state, authorised)

    def _reason(self, category: str) -> tuple[str, str]:
        """A reason that fits the product: sizes only for what is worn, and only reasons the
        policy accepts for the category (cosmetics are not returned for a change of mind)."""
        fitting = [r for r in REASONS for _ in range(r[2])
                   if (r[0] != "size" or category in SIZED) and self.policy.request.reason_allowed(category, r[0])]
        reason, text, _ = self.rng.choice(fitting)
        return reason, text

    def _pick_products(self) -> list[Product]:
        returnable = [p for p in self.products if p.category not in self.policy.non_returnable]
        first = self.rng.choice(returnable)
        same = [p for p in returnable if p.category == first.category and p is not first]
        extra = self.rng.sample(same, k=self.rng.choice([0, 0, 0, 1, 1, 2]))
        return [first, *extra]

    def _tracking(self, carrier: str) -> str:
        rng = self.rng
        if carrier == "SF":
            return f"SF{rng.randint(10**11, 10**12 - 1)}"
        if carrier == "UPS":
            return f"1Z{rng.randint(10**5, 10**6 - 1)}03{rng.randint(10**9, 10**10 - 1)}"
        return f"EE{rng.randint(10**8, 10**9 - 1)}CN"

    def _history(self, rma: Rma, state: RmaState, authorised: dt.datetime) -> None:
        rng = self.rng
        inspected = state in (RmaState.INSPECTED, RmaState.RESOLVED, RmaState.CLOSED)
        # Nothing in the future: a parcel inspected (up to 31 h after arrival) and resolved
        # arrived early enough for both to be over by now.
        latest = self.now - (dt.timedelta(hours=40) if inspected else dt.timedelta(hours=2))
        received_at = min(latest, authorised + dt.timedelta(days=rng.randint(2, 9)))
        partial = state == RmaState.PARTIALLY_RECEIVED
        receipt = Receipt(
            id=uuid.uuid4(), rma_id=rma.id, scanned_code=rma.tracking_number or rma.number, received_at=received_at,
            received_by=rng.choice(self.clerks).id,
            parcel_condition=ParcelCondition.DAMAGED if rng.random() < 0.07 else ParcelCondition.INTACT,
            weight_g=sum((l.product.expected_weight_g or 0) * l.quantity for l in rma.lines) + rng.randint(80, 250),
            status=ReceiptStatus.PARTIAL if partial else ReceiptStatus.RECEIVED,
            flags=["partial"] if partial else [], station_id=self.station_id,
        )
        self.receipts.append(receipt)
        units: list[Unit] = []
        lines = rma.lines[:1] if partial and len(rma.lines) > 1 else rma.lines
        for line in lines:
            qty = line.quantity - 1 if partial and len(rma.lines) == 1 and line.quantity > 1 else line.quantity
            split = line.product.serialised or line.product.category != "cosmetics"
            for batch in ([1] * qty if split else [qty]):
                self.lpn_seq += 1
                unit = Unit(id=uuid.uuid4(), lpn=make_lpn(self.station_no, self.lpn_seq), receipt_id=receipt.id,
                            rma_line_id=line.id, product_id=line.product_id, quantity=batch,
                            serial_received=line.serial or "", state=UnitState.RECEIVED,
                            station_id=self.station_id)
                units.append(unit)
                if inspected:
                    self._inspect(unit, line.product, received_at, closed=state == RmaState.CLOSED)
        self.units.extend(units)
        if state in (RmaState.RESOLVED, RmaState.CLOSED):
            self._resolve(rma, units, received_at)

    def _inspect(self, unit: Unit, product: Product, received_at: dt.datetime, closed: bool) -> None:
        rng = self.rng
        grade: Grade = _weighted(rng, GRADE_MIX)  # type: ignore[assignment]
        kind, bin_prefix = DESTINATION[grade]
        if grade == Grade.D and product.rtv_allowed and not closed:
            kind = DispositionKind.RETURN_TO_VENDOR  # the vendor takes defects back: the RTV desk's work
        started = received_at + dt.timedelta(hours=rng.randint(1, 30))
        inspector = rng.choice(self.inspectors)
        self.outcomes.append(Inspection(
            unit_id=unit.id, inspector_id=inspector.id, checklist_id=product.category,
            checklist_version=1, started_at=started,
            finished_at=started + dt.timedelta(minutes=rng.randint(2, 9)),
            computed_grade=grade, grade=grade, recommended_disposition=kind.value,
            disposition_rule=f"demo-{kind.value}", station_id=self.station_id,
        ))
        bin_code = f"{bin_prefix}{rng.randint(1, 20):02d}-{rng.randint(1, 8):02d}" if kind == DispositionKind.RESTOCK else ""
        disposition = Disposition(
            id=uuid.uuid4(), unit_id=unit.id, kind=kind, grade=grade, bin=bin_code, rule_name=f"demo-{kind.value}",
            decided_by=inspector.id, decided_at=started + dt.timedelta(minutes=10),
            station_id=self.station_id,
        )
        self.outcomes.append(disposition)
        if kind == DispositionKind.RETURN_TO_VENDOR:  # approved by the supervisor, ready for a batch
            self.outcomes.append(Approval(
                kind=ApprovalKind.RETURN_TO_VENDOR, state=ApprovalState.APPROVED, entity_type="dispositions",
                entity_id=disposition.id, summary=f"{unit.lpn}: {product.sku} defective, back to {product.supplier}",
                requested_by=inspector.id, requested_at=disposition.decided_at, decided_by=self.supervisor.id,
                decided_at=disposition.decided_at + dt.timedelta(hours=1), decision_reason="vendor takes defects back",
                station_id=self.station_id,
            ))
        unit.grade, unit.disposition, unit.bin = grade, kind, bin_code
        unit.state = UnitState.CLOSED if closed else UnitState.DISPOSITIONED

    def _resolve(self, rma: Rma, units: list[Unit], received_at: dt.datetime) -> None:
        proposal = compute(self.policy, rma, units, self.rules)
        self.outcomes.append(Resolution(
            rma_id=rma.id, kind=proposal.kind, gross_amount=proposal.gross, fee_amount=proposal.fee,
            amount=proposal.amount, currency=rma.currency, reason="", issued_by=self.supervisor.id,
            issued_at=min(received_at + dt.timedelta(days=self.rng.randint(1, 4)), self.now - dt.timedelta(hours=1)),
            station_id=self.station_id,
        ))
