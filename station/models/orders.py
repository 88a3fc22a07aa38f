"""Orders the shop's systems send, the customers' return requests made from them, API tokens.

These are the records *before* the dock: an order the customer may return from, and a
request (``RmaRequest``) that the policy authorises, refuses or sends to review. An
authorised request creates the ``Rma`` the dock receives (``rma_id``), with the same number.
They sync like the records the dock writes (``station.sync.owners``): whichever returns service
took an order or a request (a dock's ``serve`` or central's), central and every dock have it,
so a dock receives against any order and a dock rebuilt from central loses none. An order's id
(and its lines') is derived from the order number (``order_id_for``): the same order sent to
two services is one record, not two rows fighting over one number.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.models.base import Base, SyncedSince0016, SyncedTimesSince0016, utcnow


ORDER_IDS = uuid.UUID("5b0e6a52-6f1c-4d53-9a0e-2f3c9b7d1e44")
"""Namespace of the derived order ids (UUID version 5)."""


def order_id_for(order_number: str) -> uuid.UUID:
    """The id every station gives the order ``order_number``."""
    return uuid.uuid5(ORDER_IDS, order_number)


def order_line_id_for(order_number: str, line_no: int) -> uuid.UUID:
    """The id every station gives line ``line_no`` of the order ``order_number``."""
    return uuid.uuid5(ORDER_IDS, f"{order_number}\x1f{line_no}")


class Order(SyncedSince0016, Base):
    """One order as the order system last sent it. ``content_hash`` makes a repeat a no-op."""

    __tablename__ = "orders"

    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    placed_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    customer_ref: Mapped[str] = mapped_column(String(64), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(254), default="")
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    customer_language: Mapped[str] = mapped_column(String(10), default="en")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", cascade="all, delete-orphan"
    )


class OrderLine(SyncedTimesSince0016, Base):
    """What was sold on one line: SKU, quantity, the price paid, serial numbers if any. A line
    the order system drops later stays with quantity 0 (a deletion would not reach the
    other stations)."""

    __tablename__ = "order_lines"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    serials: Mapped[list[Any]] = mapped_column(default=list)
    lot: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """The production lot the order system says it shipped; empty: not known (issue 26)."""

    order: Mapped[Order] = relationship(back_populates="lines")


class RmaRequest(SyncedTimesSince0016, Base):
    """A customer's request to return lines of an order, and what the policy decided.

    ``number`` is the RMA number (check-digit form) from the moment of the request, so the
    shop can quote it; the dock can find it only once it is authorised (``rma_id`` set).
    ``status`` is ``authorised``, ``pending_review``, ``refused`` or ``cancelled`` (the shop
    withdrew it before the dock received anything); ``decision`` is the
    policy's frozen decision as JSON (rule and plain-words reasons in en and zh).
    """

    __tablename__ = "rma_requests"
    __table_args__ = (Index("ix_rma_requests_order_status", "order_id", "status"),)

    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    resolution: Mapped[str] = mapped_column(String(20))
    decision: Mapped[dict[str, Any]] = mapped_column(default=dict)
    photos: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(String(20), default="api")
    requested_by: Mapped[str] = mapped_column(String(64), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64), default="")
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    rma_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rmas.id"))

    order: Mapped[Order] = relationship()
    lines: Mapped[list[RmaRequestLine]] = relationship(
        back_populates="request", order_by="RmaRequestLine.line_no", cascade="all, delete-orphan"
    )


class RmaRequestLine(SyncedTimesSince0016, Base):
    """One requested line: which SKU, how many, why (a station reason code), the comment."""

    __tablename__ = "rma_request_lines"

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rma_requests.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    exchange_sku: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The variant (same family) the customer asked to exchange for; empty: the same SKU."""

    request: Mapped[RmaRequest] = relationship(back_populates="lines")


class ApiToken(Base):
    """A named bearer token for a shop system; only its SHA-256 is kept.

    Tokens are 32 random bytes, so a plain SHA-256 is enough (nothing to brute-force); the
    ``rate_*`` columns are the per-token request counter, kept here so every service process
    behind a proxy counts against the same limit.
    """

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    rate_window: Mapped[int] = mapped_column(Integer, default=0)
    rate_count: Mapped[int] = mapped_column(Integer, default=0)
    scopes: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """Space-separated ``station.intake.scopes.Scope`` values: what the token may do."""


class ApiReplay(Base):
    """An ``Idempotency-Key`` a token sent with a review call (approve, refuse, cancel).

    A retried call with the same key and the same request answers the request as it now
    stands instead of a 409 for a request already decided; the same key with another request
    is refused. Written in the transaction of the change it stands for, so a call that failed
    left no key behind. Keys belong to one token, as Stripe scopes them to one account.
    """

    __tablename__ = "api_replays"
    __table_args__ = (Index("ux_api_replays_token_key", "token_name", "key", unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    token_name: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    rma_number: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
