"""The intake service: orders in, return requests decided, reviews authorised or refused.

Every call is one transaction (``Service.transaction``): the request, its decision, the RMA
the dock will receive, the audit events and the domain events are written together or not at
all. The web layer and the CLI only parse, call and show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.catalog.reasons import ReasonCodes, load_reasons
from station.catalog.variants import variants_of
from station.core import events
from station.core.context import Actor
from station.core.errors import InvalidInput, NotFound, StationError
from station.core.identifiers import RMA_FORMS, is_valid_rma_number
from station.core.permissions import Permission
from station.core.photos import PhotoStore
from station.core.services import Service
from station.core.workflow import move_rma
from station.intake import replays
from station.intake.authorising import draft_rma
from station.intake.bulk import NewRequest, decide_and_write, facts_of, order_lines_of, taken_of
from station.intake.errors import Conflict, FieldErrors
from station.intake.inputs import OrderInput, RequestInput, RequestLineInput
from station.intake.new_orders import all_new, write_new_orders
from station.intake.orders import upsert_order
from station.intake.progress import progress_of
from station.intake.replays import ReplayKey
from station.intake.views import (
    OrderOutcome,
    RequestLineView,
    RequestView,
    ReturnableLine,
    UnitInfo,
)
from station.models import (
    Disposition,
    Order,
    Product,
    Receipt,
    Rma,
    RmaLine,
    RmaRequest,
    RmaState,
    Unit,
)
from station.policy.decision import (
    Decision,
    LineFacts,
    Outcome,
    RequestFacts,
    Words,
    decide,
    photos_missing,
)

log = logging.getLogger(__name__)

CANCELLED = "cancelled"
"""A request's status once the shop withdrew it (``IntakeService.cancel``); not a policy outcome."""
BULK_BATCH = 5000  # request lines decided per batch of queries in an import
BULK_CACHE_KIB = 256 * 1024  # SQLite page cache for an import's connection (durability unchanged)


@dataclasses.dataclass(frozen=True)
class _RmaRef:
    """What ``station.core.events.emit`` reads from an RMA, for a request that has none yet."""

    number: str
    order_number: str


class IntakeService(Service):
    def __init__(self, ctx: Any, *, photos: PhotoStore | None = None,
                 reasons: ReasonCodes | None = None) -> None:
        super().__init__(ctx)
        self.photos = photos or PhotoStore()
        self.reasons = reasons or load_reasons()

    # ----------------------------------------------------------------- orders
    def submit_order(self, order: OrderInput, *, by: str = "") -> OrderOutcome:
        with self.transaction() as db:
            return self._submit_order(db, order, by)

    def submit_orders(self, orders: Iterable[tuple[int, OrderInput]], *, by: str = "") -> list[OrderOutcome]:
        """Several orders in one transaction (an import): all written or none.

        Each comes with its line number in the file, which a problem names.
        """
        orders = list(orders)
        with self.transaction() as db:
            if all_new(db, orders):  # a first import: one batch (``station.intake.new_orders``)
                return write_new_orders(db, self.ctx, orders, by)
            out = []
            for line_no, order in orders:
                try:
                    out.append(self._submit_order(db, order, by))
                except StationError as exc:
                    raise type(exc)(f"line {line_no}: {exc.message}", next_step=exc.next_step) from exc
                db.flush()
                db.expunge_all()
            return out

    def _submit_order(self, db: Session, order: OrderInput, by: str) -> OrderOutcome:
        row, status = upsert_order(db, order, self.ctx.station_id)
        if status != "unchanged":
            self.audit(db, None, f"order.{status}", "orders", row.id,
                       {"order_number": order.order_number, "by": by, "lines": len(order.lines)})
        return OrderOutcome(order.order_number, status)

    # ----------------------------------------------------------------- requests
    def request_return(self, request: RequestInput, *, by: str = "", source: str = "api",
                       idempotency_key: str | None = None) -> RequestView:
        """Decide a customer's request by the policy; an authorised one becomes an RMA at once.

        Runs the batch path (``station.intake.bulk``) with a batch of one: a fixed handful of
        queries and one INSERT per table instead of ~25 ORM round trips.
        """
        (answer,) = self.request_batch([NewRequest(request, by, source, idempotency_key)])
        if isinstance(answer, StationError):
            raise answer
        return answer

    def request_batch(self, items: Sequence[NewRequest],
                      admit: Callable[[Session, int], str | None] | None = None
                      ) -> list[RequestView | StationError]:
        """Several independent requests (concurrent API calls) in one transaction and one commit.

        Each gets its own answer: its view, or the ``StationError`` that refused it, which
        leaves nothing of it behind. ``admit(db, i)`` runs first for item ``i`` in the same
        transaction (the API checks and counts the token there) and may refuse it by raising;
        if it returns a name, the item is made by that name (the token's).
        If the write itself fails (a database error, e.g. a key another process took in the
        meantime), each item is tried again alone, so one cannot sink the others.
        """
        try:
            with self.transaction() as db:
                return self._batch(db, items, admit)
        except StationError:
            raise
        except Exception:
            if len(items) == 1:
                raise
            log.warning("a batch of %d requests failed; trying each alone", len(items), exc_info=True)
        out: list[RequestView | StationError] = []
        for i, item in enumerate(items):
            alone: Callable[[Session, int], str | None] | None = None
            if admit is not None:
                alone = (lambda d, _j, i=i, a=admit: a(d, i))  # type: ignore[misc]
            with self.transaction() as db:
                out.extend(self._batch(db, [item], alone))
        return out

    def _batch(self, db: Session, items: Sequence[NewRequest],
               admit: Callable[[Session, int], str | None] | None) -> list[RequestView | StationError]:
        refused: dict[int, StationError] = {}
        items = list(items)
        if admit is not None:
            for i in range(len(items)):
                try:
                    name = admit(db, i)
                except StationError as exc:
                    refused[i] = exc
                else:
                    if name is not None:
                        items[i] = dataclasses.replace(items[i], by=name)
        chosen = [i for i in range(len(items)) if i not in refused]
        answers = dict(zip(chosen, decide_and_write(self, db, [items[i] for i in chosen])))
        return [refused[i] if i in refused else answers[i] for i in range(len(items))]

    def request_returns_bulk(self, requests: Iterable[tuple[int, RequestInput, str]], *, by: str = "",
                             source: str = "import") -> list[RequestView]:
        """``request_returns`` by the batch path: the same rows, a fixed number of queries per
        batch of lines instead of ~25 per line. All written or none; the first problem is
        raised with its file line number."""
        items = list(requests)
        with self.transaction() as db:
            if db.get_bind().dialect.name == "sqlite":
                # A bigger page cache for this connection: the file's indexes are touched all over.
                db.connection().exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
            out: list[RequestView] = []
            for start in range(0, len(items), BULK_BATCH):
                part = items[start:start + BULK_BATCH]
                answers = decide_and_write(self, db, [NewRequest(r, by, source, key) for _, r, key in part])
                for (line_no, _, _), answer in zip(part, answers):
                    if isinstance(answer, StationError):
                        raise type(answer)(f"line {line_no}: {answer.message}",
                                           next_step=answer.next_step) from answer
                    out.append(answer)
            return out

    def _authorise(self, db: Session, row: RmaRequest, order: Order, by: str, now: dt.datetime) -> Rma:
        """Create the RMA the dock receives, under the request's number (a supervisor's
        authorisation; the policy's own are written by ``station.intake.bulk``)."""
        products = {p.sku: (p.id, p.category) for p in db.scalars(
            select(Product).where(Product.sku.in_([l.sku for l in row.lines])))}
        draft = draft_rma(
            number=row.number, order=order, resolution=row.resolution, photos=row.photos or (),
            lines=[RequestLineView(l.line_no, l.sku, l.quantity, l.reason, l.comment, l.unit_price, l.exchange_sku)
                   for l in row.lines],
            serials={l.sku: list(l.serials or ()) for l in order.lines if l.quantity > 0}, products=products,
            lots={l.sku: l.lot for l in order.lines if l.quantity > 0},
            policy=self.ctx.policy, now=now, station_id=self.ctx.station_id)
        rma = Rma(**draft.rma, lines=[RmaLine(**values) for values in draft.lines])
        db.add(rma)
        db.flush()
        row.rma_id = rma.id
        row.status = Outcome.AUTHORISED.value
        row.decided_at = now
        row.decided_by = by
        self.audit(db, None, "rma.authorised", "rmas", rma.id, {"rma": rma.number, "by": by})
        events.emit(db, "rma.authorised", rma, draft.event, now)
        return rma

    # ----------------------------------------------------------------- review
    def pending_reviews(self) -> list[RequestView]:
        """Requests waiting for a supervisor, oldest first (the desk's approvals list)."""
        with self.reading() as db:
            rows = db.scalars(select(RmaRequest).where(RmaRequest.status == Outcome.PENDING_REVIEW.value)
                              .order_by(RmaRequest.requested_at).options(selectinload(RmaRequest.lines)))
            return [self._view(db, r) for r in rows]

    def authorise(self, actor: Actor, rma_number: str, note: str = "", *,
                  replay: ReplayKey | None = None) -> RequestView:
        """A supervisor (at the desk, or an order system with ``returns:review``) authorises a
        request the policy sent to review. ``replay``: the API call's Idempotency-Key."""
        self.require(actor, Permission.APPROVE)
        with self.transaction() as db:
            if (done := self._replayed(db, replay)) is not None:
                return done
            try:
                row = self._pending(db, rma_number)
            except Conflict:
                if (done := self._replayed(db, replay, waited=True)) is not None:
                    return done
                raise
            rma = self._authorise(db, row, row.order, actor.badge, self.ctx.now())
            self.audit(db, actor, "rma_request.authorised", "rma_requests", row.id,
                       {"rma": rma.number, "note": note.strip()[:500]})
            replays.remember(db, replay, row.number, self.ctx.now())
            return self._view(db, row)

    def refuse(self, actor: Actor, rma_number: str, reason_en: str, reason_zh: str = "", *,
               replay: ReplayKey | None = None) -> RequestView:
        """A supervisor refuses a request; the reason is needed in the customer's language."""
        self.require(actor, Permission.APPROVE)
        with self.transaction() as db:
            if (done := self._replayed(db, replay)) is not None:
                return done
            try:
                row = self._pending(db, rma_number)
            except Conflict:
                if (done := self._replayed(db, replay, waited=True)) is not None:
                    return done
                raise
            language = row.order.customer_language
            if not reason_en.strip() or (language == "zh" and not reason_zh.strip()):
                message = "Give the reason for the refusal" + (
                    " in Chinese too: the customer reads Chinese." if language == "zh" else ".")
                raise FieldErrors(message, (("reason" if not reason_en.strip() else "reason_zh", message),))
            now = self.ctx.now()
            words = Words(reason_en.strip(), reason_zh.strip() or reason_en.strip())
            row.status = Outcome.REFUSED.value
            row.decided_at, row.decided_by = now, actor.badge
            row.refusal_reason = words.text(language)
            row.decision = Decision(Outcome.REFUSED, "review.refused", (words,)).as_json()
            self.audit(db, actor, "rma_request.refused", "rma_requests", row.id,
                       {"rma": row.number, "reason": words.en})
            events.emit(db, "rma.refused", _RmaRef(row.number, row.order.order_number),  # type: ignore[arg-type]
                        {"rule": "review.refused", "reasons": [{"en": words.en, "zh": words.zh}]}, now)
            replays.remember(db, replay, row.number, now)
            return self._view(db, row)

    def cancel(self, actor: Actor, rma_number: str, reason: str = "", *,
               replay: ReplayKey | None = None) -> RequestView:
        """The shop withdraws a request the dock has not received anything for: one waiting
        for review, or an authorised one whose parcel has not arrived (its RMA is cancelled,
        so the dock quarantines a parcel that comes anyway and its units count as returned
        by nobody). Once a parcel is received the return runs its course: ``Conflict``."""
        self.require(actor, Permission.APPROVE)
        with self.transaction() as db:
            if (done := self._replayed(db, replay)) is not None:
                return done
            try:
                row, rma = self._cancellable(db, rma_number)
            except Conflict:
                if (done := self._replayed(db, replay, waited=True)) is not None:
                    return done
                raise
            now = self.ctx.now()
            if rma is not None:
                move_rma(rma, RmaState.CANCELLED)
            row.status = CANCELLED
            row.decided_at, row.decided_by = now, actor.badge
            row.refusal_reason = reason.strip()[:500]
            self.audit(db, actor, "rma_request.cancelled", "rma_requests", row.id,
                       {"rma": row.number, "reason": row.refusal_reason, "was": "authorised" if rma else "pending_review"})
            events.emit(db, "rma.cancelled", rma or _RmaRef(row.number, row.order.order_number),  # type: ignore[arg-type]
                        {"reason": row.refusal_reason, "by": actor.badge}, now)
            replays.remember(db, replay, row.number, now)
            return self._view(db, row)

    def _cancellable(self, db: Session, rma_number: str) -> tuple[RmaRequest, Rma | None]:
        """The request (locked) and its RMA if the shop may still withdraw it; else ``Conflict``."""
        row = db.scalar(select(RmaRequest).where(RmaRequest.number == rma_number.strip().upper())
                        .with_for_update())
        if row is None:
            raise NotFound(f"No return request {rma_number}.")
        rma = db.get(Rma, row.rma_id) if row.rma_id is not None else None
        if row.status not in (Outcome.PENDING_REVIEW.value, Outcome.AUTHORISED.value):
            raise Conflict(f"Request {row.number} is already {row.status.replace('_', ' ')}; "
                           "there is nothing to cancel.")
        if rma is not None and (rma.state not in (RmaState.AUTHORISED, RmaState.EXPIRED) or db.scalar(
                select(Receipt.id).where(Receipt.rma_id == rma.id).limit(1)) is not None):
            raise Conflict(f"Return {row.number} is {rma.state.value.replace('_', ' ')} at the dock; "
                           "a return whose parcel arrived cannot be cancelled.",
                           next_step="It is inspected and resolved as usual; refuse the refund there if needed.")
        return row, rma

    def _replayed(self, db: Session, replay: ReplayKey | None, *, waited: bool = False) -> RequestView | None:
        """The request as it now stands if this Idempotency-Key already did its change.

        ``waited``: asked again after the request's row lock was waited for. A retry sent while
        the first call was still running (a client's timeout) waits on that lock and then finds
        the request decided; on PostgreSQL the first call's key is visible to this statement
        by then, so the retry answers as a replay, not a 409."""
        number = replays.seen(db, replay)
        if number is None:
            return None
        row = db.scalar(select(RmaRequest).where(RmaRequest.number == number))
        if row is None:  # the key's request is gone (never: requests are not deleted)
            raise NotFound(f"No return request {number}.")
        return dataclasses.replace(self._view(db, row), replayed=True)

    def _pending(self, db: Session, rma_number: str) -> RmaRequest:
        row = db.scalar(select(RmaRequest).where(RmaRequest.number == rma_number.strip().upper())
                        .with_for_update())
        if row is None:
            raise NotFound(f"No return request {rma_number}.")
        if row.status != Outcome.PENDING_REVIEW.value:
            raise Conflict(f"Request {row.number} is already {row.status.replace('_', ' ')}.")
        return row

    # ----------------------------------------------------------------- reading
    def get(self, rma_number: str) -> RequestView:
        number = rma_number.strip().upper()
        if not is_valid_rma_number(number):
            raise NotFound(f"{rma_number} is not an RMA number ({RMA_FORMS}, with a check digit).")
        with self.reading() as db:
            row = db.scalar(select(RmaRequest).where(RmaRequest.number == number)
                            .options(selectinload(RmaRequest.lines)))
            if row is None:
                raise NotFound(f"No return request {number}.")
            return dataclasses.replace(self._view(db, row), progress=progress_of(db, [row])[row.number])

    def returns_of_order(self, order_number: str) -> list[RequestView]:
        """The order's return requests, newest first, each with its progress: what the
        customer's look-up lists."""
        with self.reading() as db:
            rows = list(db.scalars(select(RmaRequest).join(Order, Order.id == RmaRequest.order_id)
                                   .where(Order.order_number == order_number)
                                   .order_by(RmaRequest.requested_at.desc(), RmaRequest.number.desc()).limit(100)
                                   .options(selectinload(RmaRequest.lines))))
            progress = progress_of(db, rows)
            return [dataclasses.replace(self._view(db, r), progress=progress[r.number]) for r in rows]

    def returnable_lines(self, order_number: str) -> list[ReturnableLine]:
        """What the customer may still return from an order, with outright refusals named.

        The request page's look-up: Core reads on a read-only connection (never waits for a
        writer), the same queries the batch path uses (``station.intake.bulk``).
        """
        from station.policy.decision import _refusals

        with self.read_connection() as conn:
            order = order_lines_of(conn, order_number)
            if order is None:
                raise NotFound(f"Order {order_number} is not known here.")
            taken = taken_of(conn, [order])[order.id]
            products = {p.sku: p for p in conn.execute(
                select(Product.sku, Product.name_en, Product.name_zh, Product.category)
                .where(Product.sku.in_([line.sku for line in order.ordered])))}
            variants = variants_of(conn, [line.sku for line in order.ordered])
        out = []
        facts = RequestFacts((), order.delivered_at, self.ctx.now())
        for line in order.ordered:
            product = products.get(line.sku)
            category = product.category if product else ""
            refused = _refusals(self.ctx.policy, facts, LineFacts(
                line.sku, category, 1, "", line.unit_price, product.name_en if product else "",
                product.name_zh if product else ""))
            if refused is not None and refused[0].startswith("request.reasons_allowed"):
                refused = None  # depends on the reason the customer picks
            out.append(ReturnableLine(
                line.sku, product.name_en if product else line.sku, product.name_zh if product else line.sku,
                category, line.quantity, max(0, line.quantity - taken.get(line.sku, 0)), line.unit_price,
                refused[1].en if refused else None, refused[1].zh if refused else None, order.currency,
                tuple(c for c in self.reasons.codes if self.ctx.policy.request.reason_allowed(category, c)),
                tuple((v.sku, v.name("en"), v.name("zh")) for v in variants.get(line.sku, ()))))
        return out

    def product_names(self, skus: Iterable[str], lang: str) -> dict[str, str]:
        """Product names by SKU in the customer's language (a SKU the catalogue lacks reads as itself)."""
        wanted = sorted(set(skus))
        with self.read_connection() as conn:
            found = {sku: (zh if lang == "zh" and zh else en) for sku, en, zh in conn.execute(
                select(Product.sku, Product.name_en, Product.name_zh).where(Product.sku.in_(wanted)))}
        return {sku: found.get(sku, sku) for sku in wanted}

    def explain(self, order_number: str, sku: str, reason: str) -> tuple[Decision, str | None]:
        """What the policy would decide for one unit of ``sku`` with ``reason`` (``policy explain``).

        The second value names a reason that needs a photo, if any.
        """
        with self.reading() as db:
            conn = db.connection()
            order = order_lines_of(conn, order_number)
            if order is None:
                raise NotFound(f"Order {order_number} is not known here.")
            if sku not in order.lines:
                raise NotFound(f"{sku} is not on order {order_number}.")
            ordered = order.lines[sku][0]
            if taken_of(conn, [order])[order.id].get(sku, 0) >= ordered:  # what a request would be told
                raise InvalidInput(f"Nothing of {sku} on order {order_number} can be returned any more: "
                                   f"all {ordered} ordered were already asked for.")
            request = RequestInput(order_number, (RequestLineInput(sku, 1, reason.lower()),), "refund")
            facts = facts_of(self, conn, order, request)
            return decide(self.ctx.policy, facts), photos_missing(self.ctx.policy, [reason.lower()], 0)

    def _view(self, db: Session, row: RmaRequest) -> RequestView:
        order = row.order
        rma_state = None
        units: tuple[UnitInfo, ...] = ()
        if row.rma_id is not None:
            rma = db.get(Rma, row.rma_id)
            rma_state = rma.state.value if rma else None
            found = list(db.scalars(select(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
                                    .where(Receipt.rma_id == row.rma_id).options(selectinload(Unit.product))
                                    .order_by(Unit.lpn)))
            last: dict[Any, str] = {}
            if found:
                for unit_id, kind in db.execute(
                        select(Disposition.unit_id, Disposition.kind)
                        .where(Disposition.unit_id.in_([u.id for u in found]))
                        .order_by(Disposition.decided_at)):
                    last[unit_id] = kind.value
            units = tuple(UnitInfo(u.lpn, u.product.sku if u.product else (u.sku_received or ""),
                                   u.state.value, u.grade.value if u.grade else None, last.get(u.id))
                          for u in found)
        return RequestView(
            rma_number=row.number, order_number=order.order_number, status=row.status,
            decision=Decision.from_json(row.decision), resolution=row.resolution,
            lines=tuple(RequestLineView(l.line_no, l.sku, l.quantity, l.reason, l.comment, l.unit_price,
                                        l.exchange_sku) for l in row.lines),
            requested_at=row.requested_at, customer_language=order.customer_language,
            photos=tuple(row.photos or ()), rma_state=rma_state, units=units,
            refusal_reason=row.refusal_reason, currency=order.currency)



    # ----------------------------------------------------------------- the customer's page
    def find_order_for_customer(self, order_number: str, contact: str) -> str:
        """The order's number if ``contact`` is the e-mail or phone on it; the same
        ``OrderNotMatched`` for an unknown order and for a wrong contact (``station.intake.lookup``)."""
        from station.intake.lookup import match_order

        with self.reading() as db:
            return match_order(db, order_number, contact).order_number

    def order_summary(self, order_number: str) -> tuple[str, str, dt.datetime | None]:
        """(customer name, customer language, delivered at) of an order, for the request page."""
        with self.reading() as db:
            order = db.scalar(select(Order).where(Order.order_number == order_number))
            if order is None:
                raise NotFound(f"Order {order_number} is not known here.")
            return order.customer_name, order.customer_language, order.delivered_at

    def customer_history(self, rma_number: str) -> list[RequestView]:
        """The same customer's other return requests (any order), newest first: what the
        supervisor weighs when reviewing a request."""
        with self.reading() as db:
            row = db.scalar(select(RmaRequest).where(RmaRequest.number == rma_number.strip().upper()))
            if row is None:
                raise NotFound(f"No return request {rma_number}.")
            rows = db.scalars(select(RmaRequest).join(Order, Order.id == RmaRequest.order_id)
                              .where(Order.customer_ref == row.order.customer_ref, RmaRequest.id != row.id)
                              .order_by(RmaRequest.requested_at.desc()).limit(50)
                              .options(selectinload(RmaRequest.lines)))
            return [self._view(db, r) for r in rows]

    def photo_bytes(self, digest: str) -> bytes:
        """A customer photo's bytes from the photo store, by its SHA-256."""
        return self.photos.read(digest)
