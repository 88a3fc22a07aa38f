"""Deciding and writing many return requests in one transaction, with a fixed number of queries.

The per-request path (``IntakeService._request_return``) asks the database ~25 times per
request through the ORM: the order, its returned quantities, the products, the repeat-returner
count, the next RMA number, the audit chain's tip, each domain event's sequence number, then
one flush per record. That is fine for one request and far too slow for an import of 100,000
lines or for a busy API. Here the same rules run over a *batch*:

1. everything the policy needs is read up front, one query per kind for the whole batch
   (orders and their lines, quantities already on their way back, products, repeat-returner
   counts, idempotency keys, the RMA number and the audit chain's tip);
2. each request is then checked and decided in Python, in order; what it takes (quantities,
   a repeat-returner's count, the next RMA number, the chain's tip) is carried forward in
   memory, so the second request for an order sees the first;
3. the rows (requests, RMAs, their lines, audit events chained and keyed as ``station.audit.chain``
   does, domain events and their outbox rows) are written with one multi-row INSERT per table.

A request that fails a check is answered with its error and leaves nothing behind; the others
are written. Callers that want all-or-nothing (imports) raise the first error instead.
The result must equal the per-request path's row for row (``tests/station/intake/test_bulk.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core.changes import declare
from station.core.outbox import outbox_row
from station.catalog.variants import exchange_problems
from station.core.errors import InvalidInput, NotFound, StationError
from station.intake.authorising import draft_rma
from station.intake.errors import Conflict
from station.intake.inputs import RequestInput
from station.intake.quantities import requested_quantities_of
from station.intake.numbers import highest_rma_sequence, issued_rma_number, record_issued
from station.intake.views import RequestLineView, RequestView
from station.models import (
    AuditEvent,
    DomainEvent,
    Order,
    OrderLine,
    OutboxEvent,
    Product,
    Rma,
    RmaLine,
    RmaRequest,
    RmaRequestLine,
    utcnow,
)
from station.models.base import UtcDateTime
from station.models.events import EVENT_NAMES
from station.policy.decision import Decision, LineFacts, Outcome, RequestFacts, decide, photos_missing
from station.policy.repeat_returns import is_repeat_returner, recent_returns

if TYPE_CHECKING:
    from station.intake.service import IntakeService

CHUNK = 500  # values per IN (...) list: well under every backend's parameter limit


@dataclasses.dataclass(frozen=True)
class NewRequest:
    """One request to decide: its input, who sent it, from where, and its idempotency key."""

    request: RequestInput
    by: str = ""
    source: str = "api"
    idempotency_key: str | None = None


@dataclasses.dataclass(frozen=True)
class _Line:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclasses.dataclass
class _Order:
    id: uuid.UUID
    order_number: str
    delivered_at: dt.datetime | None
    currency: str
    customer_ref: str
    customer_name: str
    customer_email: str
    customer_phone: str
    customer_language: str
    flagged: bool
    lines: dict[str, tuple[int, Decimal, list[Any], str]]  # sku -> quantity, unit price, serials, lot
    ordered: list[_Line] = dataclasses.field(default_factory=list)  # every line, in order


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(dict.fromkeys(values))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _memo(process: Any) -> Any:
    """A bind processor remembering its answers: a batch's times are mostly the same few."""
    seen: dict[Any, Any] = {}

    def memo(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = process(value)
            return out
    return memo


class _Table:
    """One model's columns and defaults, to make complete rows without ORM objects."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.table = model.__table__
        self.name = model.__tablename__
        self.columns = [(a.key, a.columns[0].default) for a in model.__mapper__.column_attrs]
        renamed = [a.key for a in model.__mapper__.column_attrs if a.key != a.columns[0].name]
        if renamed:  # rows are keyed by attribute; the INSERT below needs column names
            raise TypeError(f"{self.name}: attributes named unlike their columns: {renamed}")

    def complete(self, values: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
        """Every column default filled in now, as a flush would. A callable default (the write
        time) is called once per batch (``made``): the whole batch is written in one flush."""
        template = made.get(self.name)
        if template is None:
            template = {}
            for key, default in self.columns:
                if default is None:
                    template[key] = None
                elif default.is_callable:
                    if key not in made:
                        made[key] = default.arg(None)  # type: ignore[attr-defined]
                    template[key] = made[key]
                else:
                    template[key] = default.arg  # type: ignore[attr-defined]
            made[self.name] = template
        return {**template, **values}

    def insert(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        """One multi-row INSERT. On SQLite the values go through each column's own bind
        processor in one tight loop and straight to the driver's executemany (SQLAlchemy's
        per-row parameter handling costs more than SQLite's work here); elsewhere Core does it."""
        dialect = conn.dialect
        if dialect.name != "sqlite":
            conn.execute(insert(self.table), rows)
            return
        keys = [key for key, _ in self.columns if key in rows[0]]
        sql = (f"INSERT INTO {self.name} ({', '.join(keys)}) "
               f"VALUES ({', '.join('?' * len(keys))})")
        # Only the columns whose type converts (ids, times, JSON, money, enums) are touched one
        # by one; the row tuple itself is taken in C (itemgetter).
        procs = []
        for key in keys:
            process = self.table.c[key].type._cached_bind_processor(dialect)
            if process is not None:
                procs.append((key, _memo(process) if isinstance(self.table.c[key].type, UtcDateTime) else process))
        for row in rows:
            for key, process in procs:
                row[key] = process(row[key])
        conn.exec_driver_sql(sql, list(map(itemgetter(*keys), rows)))
        declare(conn, self.name)  # driver SQL: the views follow it only when told (station.core.changes)


_WRITE_ORDER = (Order, OrderLine, Rma, RmaLine, RmaRequest, RmaRequestLine, AuditEvent, DomainEvent, OutboxEvent)
"""Parents before children; audit and outbox rows last, in the order made (their seqs follow)."""
_TABLES: dict[Any, _Table] = {m: _Table(m) for m in _WRITE_ORDER}


class BatchRows:
    """The rows of one batch, in the order the per-request (or per-order) path would write them."""

    def __init__(self, station_id: str, chain: audit.ChainWriter) -> None:
        self.station_id = station_id
        self.chain = chain
        self.tables: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.made: dict[str, Any] = {}
        self.written_at = utcnow()

    def add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        row = _TABLES[model].complete(values, self.made)
        self.tables[model].append(row)
        return row

    def synced(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        """A synced record: its row and the outbox entry the session hook (``station.core.outbox``)
        would write for it (a new record: nothing can be waiting for it already)."""
        table = _TABLES[model]
        row = self.add(model, values)
        self.add(OutboxEvent, outbox_row(
            station_id=row["station_id"], entity_type=table.name, entity_id=row["id"], version=row["version"],
            operation="insert", at=self.written_at) | {"sent_at": None, "seq": None})
        return row

    def audit(self, action: str, entity_type: str, entity_id: uuid.UUID, details: dict[str, Any],
              at: dt.datetime) -> None:
        """The event ``station.audit.chain.append`` would add, chained onto the previous one."""
        values = self.chain.event(actor=None, action=action, entity_type=entity_type, entity_id=entity_id,
                                  details=details, at=at)
        self.add(AuditEvent, values | {"seq": None})

    def write(self, db: Session) -> None:
        # Parents before children (RMAs before the requests that point at them); audit and
        # outbox rows keep their order, so their sequence numbers follow the chain.
        conn = db.connection()
        for model in _WRITE_ORDER:
            rows = self.tables.get(model)
            if rows:
                if "seq" in rows[0]:  # numbered by the database, in insertion order
                    for row in rows:
                        del row["seq"]
                _TABLES[model].insert(conn, rows)


# The batch's reads, built once: each runs with an expanding IN (...) list on the session's
# connection (Core, no ORM round trip), one query per kind for up to CHUNK values.
_KEYS: Any = bindparam("keys", expanding=True)
_ORDERS_READ = select(Order.id, Order.order_number, Order.delivered_at, Order.currency, Order.customer_ref,
                      Order.customer_name, Order.customer_email, Order.customer_phone, Order.customer_language,
                      Order.flagged).where(Order.order_number.in_(_KEYS))
_ORDERS = _ORDERS_READ.with_for_update()
_ORDER_LINES = (select(OrderLine.order_id, OrderLine.sku, OrderLine.quantity, OrderLine.unit_price,
                       OrderLine.serials, OrderLine.lot)
                .where(OrderLine.order_id.in_(_KEYS), OrderLine.quantity > 0)  # 0: dropped by the order system
                .order_by(OrderLine.line_no))
_PRODUCTS = select(Product.sku, Product.id, Product.category, Product.name_en, Product.name_zh
                   ).where(Product.sku.in_(_KEYS))
_EVENT_SEQ = (select(DomainEvent.rma_number, func.max(DomainEvent.rma_seq))
              .where(DomainEvent.rma_number.in_(_KEYS)).group_by(DomainEvent.rma_number))


def _orders(conn: Connection, numbers: Iterable[str], *, lock: bool = True) -> dict[str, _Order]:
    orders: dict[str, _Order] = {}
    by_id: dict[uuid.UUID, _Order] = {}
    for chunk in _chunks(numbers):
        row: Any
        for row in conn.execute(_ORDERS if lock else _ORDERS_READ, {"keys": chunk}):
            order = _Order(*row, lines={})  # type: ignore[misc]
            orders[order.order_number] = by_id[order.id] = order
    for chunk in _chunks(by_id):
        line: Any
        for line in conn.execute(_ORDER_LINES, {"keys": chunk}):
            order_id, sku, quantity, price, serials, lot = line
            # As the per-request path's {sku: line} does: a later line of the same SKU wins.
            by_id[order_id].lines[sku] = (quantity, price, serials, lot)
            by_id[order_id].ordered.append(_Line(sku, quantity, price))
    return orders


def order_lines_of(conn: Connection, order_number: str) -> _Order | None:
    """One order and its lines (``IntakeService.returnable_lines``)."""
    return _orders(conn, [order_number], lock=False).get(order_number)


def facts_of(service: IntakeService, conn: Connection, order: _Order, request: RequestInput) -> RequestFacts:
    """The facts the policy would decide ``request`` on now, read as a batch reads them
    (``IntakeService.explain``): the same checks and words as a real request."""
    products: dict[str, tuple[uuid.UUID, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    _read_products(conn, list(order.lines), products, names)
    now = service.ctx.now()
    returns = recent_returns(conn, [order.customer_ref], service.ctx.policy, now).get(order.customer_ref, 0)
    return _facts(service, order, request, _taken(conn, [order])[order.id], products,
                  is_repeat_returner(returns, service.ctx.policy), now, names)


def _read_products(conn: Connection, skus: list[str], products: dict[str, tuple[uuid.UUID, str]],
                   names: dict[str, tuple[str, str]]) -> None:
    """SKU -> (product id, category) into ``products`` and SKU -> (English, Chinese name)
    into ``names`` (the policy's words to the customer name the product, not its SKU)."""
    for sku, pid, category, name_en, name_zh in conn.execute(_PRODUCTS, {"keys": skus}):
        products[sku] = (pid, category)
        names[sku] = (name_en, name_zh)


def taken_of(conn: Connection, orders: Sequence[_Order]) -> dict[uuid.UUID, dict[str, int]]:
    """What is already on its way back per order and SKU (``requested_quantities``)."""
    return _taken(conn, orders)


def _taken(conn: Connection, orders: Sequence[_Order]) -> dict[uuid.UUID, dict[str, int]]:
    return requested_quantities_of(conn, ((o.id, o.order_number) for o in orders))


def decide_and_write(service: IntakeService, db: Session, items: Sequence[NewRequest]
                     ) -> list[RequestView | StationError]:
    """Decide ``items`` in order and write them in ``db``'s transaction; one answer per item:
    its view, or the ``StationError`` that refused it (nothing of that item is written)."""
    ctx, policy = service.ctx, service.ctx.policy
    now = ctx.now()
    out: list[RequestView | StationError | None] = [None] * len(items)
    keys = [f"{it.by}:{it.idempotency_key}" if it.idempotency_key else None for it in items]
    hashes = [it.request.content_hash() for it in items]

    existing: dict[str, RmaRequest] = {}
    for chunk in _chunks(k for k in keys if k is not None):
        existing.update((str(r.idempotency_key), r) for r in db.scalars(
            select(RmaRequest).where(RmaRequest.idempotency_key.in_(chunk))))
    conn = db.connection()
    orders = _orders(conn, (it.request.order_number for it in items))
    taken = _taken(conn, list(orders.values()))
    skus = {sku for o in orders.values() for sku in o.lines}
    products: dict[str, tuple[uuid.UUID, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(skus):
        _read_products(conn, chunk, products, names)
    returns = recent_returns(conn, (o.customer_ref for o in orders.values()), policy, now)
    sequence = first_sequence = highest_rma_sequence(db, ctx.station_no)  # takes the issuing lock on PostgreSQL
    rows = BatchRows(ctx.station_id, audit.ChainWriter(db, ctx.station_id))
    event_seq: dict[str, int] = {}
    made: dict[str, tuple[int, RequestView]] = {}  # idempotency key -> hash, view (within the batch)

    for i, (item, key, content) in enumerate(zip(items, keys, hashes)):
        request = item.request
        try:
            if key is not None:
                earlier = existing.get(key)
                if earlier is not None:
                    if earlier.request_hash != content:
                        raise Conflict(
                            f"Idempotency-Key {item.idempotency_key!r} was already used for a different "
                            f"request ({earlier.number}).", next_step="Use a new key for a new request.")
                    out[i] = dataclasses.replace(service._view(db, earlier), replayed=True)
                    continue
                if key in made:
                    first_hash, view = made[key]
                    if first_hash != content:
                        raise Conflict(
                            f"Idempotency-Key {item.idempotency_key!r} was already used for a different "
                            f"request ({view.rma_number}).", next_step="Use a new key for a new request.")
                    out[i] = dataclasses.replace(view, replayed=True)
                    continue
            order = orders.get(request.order_number)
            if order is None:
                raise NotFound(f"Order {request.order_number} is not known here.",
                               next_step="Send the order (POST /api/v1/orders) before a return request.")
            wrong_variants = exchange_problems(conn, request.resolution,
                                               [(n, l.sku, l.exchange_sku) for n, l in enumerate(request.lines, 1)])
            if wrong_variants:
                raise InvalidInput("; ".join(wrong_variants) + ".",
                                   next_step="Choose a size or colour the catalogue lists for the item.")
            facts = _facts(service, order, request, taken[order.id], products,
                           is_repeat_returner(returns.get(order.customer_ref, 0), policy), now, names)
            missing_photo = photos_missing(policy, [l.reason for l in request.lines], len(request.photos))
            if missing_photo is not None:
                raise InvalidInput(f"The reason '{service.reasons.get(missing_photo).en}' needs at least one "
                                   "photo.", next_step="Send a photo of the item with the request.")
            decision = decide(policy, facts)
            if decision.outcome == Outcome.AUTHORISED:
                missing = sorted({l.sku for l in request.lines} - set(products))
                if missing:
                    raise InvalidInput(f"SKU {', '.join(missing)} is not in the catalogue; the RMA cannot be made.")
        except StationError as exc:
            out[i] = exc
            continue

        # Decided: from here on this request takes its number, quantities and place in the chain.
        sequence += 1
        number = issued_rma_number(sequence, ctx.station_no)
        view = _write(service, rows, event_seq, order, request, decision, number, item, key, content, now,
                      products)
        if decision.outcome != Outcome.REFUSED:
            per = taken[order.id]
            for line in request.lines:
                per[line.sku] = per.get(line.sku, 0) + line.quantity
        if decision.outcome == Outcome.AUTHORISED:
            returns[order.customer_ref] = returns.get(order.customer_ref, 0) + 1
        if key is not None:
            made[key] = (content, view)  # type: ignore[assignment]
        out[i] = view

    if event_seq:
        _renumber_events(db, rows, event_seq)
    rows.write(db)
    if sequence != first_sequence:
        record_issued(db, ctx.station_no, sequence)
    return out  # type: ignore[return-value]


def _facts(service: IntakeService, order: _Order, request: RequestInput, taken: dict[str, int],
           products: dict[str, tuple[uuid.UUID, str]], repeat_returner: bool, now: dt.datetime,
           names: Mapping[str, tuple[str, str]]) -> RequestFacts:
    """What the policy decides a request on, from pre-read values; refused in words when a
    line is not on the order, more is asked than is left, or the reason is unknown."""
    problems = []
    facts = []
    for n, line in enumerate(request.lines, 1):
        ordered = order.lines.get(line.sku)
        if ordered is None:
            problems.append(f"lines[{n}]: {line.sku} is not on order {order.order_number}")
            continue
        remaining = ordered[0] - taken.get(line.sku, 0)
        if line.quantity > remaining:
            problems.append(f"lines[{n}]: {line.quantity} of {line.sku} asked, only {remaining} "
                            f"of {ordered[0]} ordered can still be returned")
        if not service.reasons.known(line.reason):
            problems.append(f"lines[{n}]: reason {line.reason!r} is not one of "
                            f"{', '.join(service.reasons.codes)}")
        product = products.get(line.sku)
        name_en, name_zh = names.get(line.sku, ("", ""))
        facts.append(LineFacts(line.sku, product[1] if product else "", line.quantity, line.reason, ordered[1],
                               name_en, name_zh))
    if problems:
        raise InvalidInput("; ".join(problems) + ".")
    return RequestFacts(tuple(facts), order.delivered_at, now, repeat_returner=repeat_returner,
                        order_flagged=order.flagged)


def _event(rows: BatchRows, event_seq: dict[str, int], name: str, number: str, order_number: str,
           payload: dict[str, Any], at: dt.datetime) -> None:
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown domain event {name!r}")
    event_seq[number] = event_seq.get(number, 0) + 1
    # ``payload`` holds JSON-safe values only (str, int, lists and dicts of them), as
    # ``station.core.events.emit``'s to_json_value would make them.
    rows.synced(DomainEvent, {
        "id": uuid.uuid4(), "station_id": rows.station_id, "name": name, "rma_number": number,
        "rma_seq": event_seq[number], "occurred_at": at,
        "payload": {"rma": number, "order_number": order_number, **payload}})


def _renumber_events(db: Session, rows: BatchRows, event_seq: dict[str, int]) -> None:
    """Events are numbered after any the database already holds for the same RMA number
    (``station.core.events.emit``); new numbers normally have none."""
    last: dict[str, int] = {}
    for chunk in _chunks(event_seq):
        last.update((n, int(s or 0)) for n, s in db.connection().execute(_EVENT_SEQ, {"keys": chunk}))
    if not any(last.values()):
        return
    for row in rows.tables[DomainEvent]:
        row["rma_seq"] += last.get(row["rma_number"], 0)


def _write(service: IntakeService, rows: BatchRows, event_seq: dict[str, int], order: _Order,
           request: RequestInput, decision: Decision, number: str, item: NewRequest, key: str | None,
           content: str, now: dt.datetime, products: dict[str, tuple[uuid.UUID, str]]) -> RequestView:
    """The rows of one decided request: the request and its lines, its audit and events, and
    the RMA it becomes when the policy authorised it (``station.intake.authorising``)."""
    ctx = service.ctx
    outcome = decision.outcome
    decision_json = decision.as_json()
    photos = [service.photos.put(p) for p in request.photos]
    request_id = uuid.uuid4()
    lines: list[dict[str, Any]] = [{"id": uuid.uuid4(), "request_id": request_id, "line_no": n, "sku": l.sku, "quantity": l.quantity,
              "reason": l.reason, "comment": l.comment, "unit_price": order.lines[l.sku][1],
              "exchange_sku": l.exchange_sku if l.exchange_sku != l.sku else ""}
             for n, l in enumerate(request.lines, 1)]
    row: dict[str, Any] = {"id": request_id, "number": number, "order_id": order.id, "status": outcome.value,
           "resolution": request.resolution, "decision": decision_json, "photos": photos,
           "source": item.source, "requested_by": item.by, "idempotency_key": key, "request_hash": content,
           "requested_at": now, "decided_at": now if outcome != Outcome.PENDING_REVIEW else None,
           "decided_by": "policy" if outcome != Outcome.PENDING_REVIEW else "", "refusal_reason": "",
           "rma_id": None}
    rows.audit("rma_request.created", "rma_requests", request_id, {
        "rma": number, "order_number": order.order_number, "by": item.by, "source": item.source,
        "outcome": outcome.value, "rule": decision.rule}, now)
    _event(rows, event_seq, "rma.requested", number, order.order_number, {
        "status": outcome.value, "rule": decision.rule, "resolution": request.resolution,
        "lines": [{"sku": l["sku"], "quantity": l["quantity"], "reason": l["reason"]} for l in lines]}, now)
    rma_state = None
    views = tuple(RequestLineView(l["line_no"], l["sku"], l["quantity"], l["reason"], l["comment"], l["unit_price"],
                                  l["exchange_sku"]) for l in lines)
    if outcome == Outcome.AUTHORISED:
        draft = draft_rma(
            number=number, order=order, resolution=request.resolution, photos=photos, lines=views,
            serials={sku: line[2] for sku, line in order.lines.items()}, products=products,
            lots={sku: line[3] for sku, line in order.lines.items()},
            policy=ctx.policy, now=now, station_id=ctx.station_id)
        rma = rows.synced(Rma, draft.rma)
        for values in draft.lines:
            rows.synced(RmaLine, values)
        row["rma_id"] = rma["id"]
        rows.audit("rma.authorised", "rmas", rma["id"], {"rma": number, "by": "policy"}, now)
        _event(rows, event_seq, "rma.authorised", number, order.order_number, draft.event, now)
        rma_state = rma["state"].value
    elif outcome == Outcome.REFUSED:
        _event(rows, event_seq, "rma.refused", number, order.order_number,
               {"rule": decision.rule, "reasons": decision_json["reasons"]}, now)
    rows.synced(RmaRequest, row | {"station_id": ctx.station_id})
    for line in lines:
        rows.synced(RmaRequestLine, line | {"station_id": ctx.station_id})
    return RequestView(
        rma_number=number, order_number=order.order_number, status=outcome.value, decision=decision,
        resolution=request.resolution,
        lines=views, requested_at=now, customer_language=order.customer_language, photos=tuple(photos), rma_state=rma_state,
        currency=order.currency)
