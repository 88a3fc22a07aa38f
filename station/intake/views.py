"""Frozen views of intake records, for the API, the CLI and the request page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from station.intake.progress import Progress, asks_for_parcel
from station.policy.decision import Decision


@dataclass(frozen=True)
class OrderOutcome:
    order_number: str
    status: str  # created | updated | unchanged


@dataclass(frozen=True)
class UnitInfo:
    lpn: str
    sku: str
    state: str
    grade: str | None
    disposition: str | None


@dataclass(frozen=True)
class RequestLineView:
    line_no: int
    sku: str
    quantity: int
    reason: str
    comment: str
    unit_price: Decimal
    exchange_sku: str = ""  # the variant the customer chose for an exchange ("" = the same)


@dataclass(frozen=True)
class RequestView:
    """A return request as the shop and the customer see it."""

    rma_number: str
    order_number: str
    status: str
    decision: Decision
    resolution: str
    lines: tuple[RequestLineView, ...]
    requested_at: dt.datetime
    customer_language: str
    photos: tuple[str, ...] = ()
    rma_state: str | None = None
    units: tuple[UnitInfo, ...] = ()
    refusal_reason: str = ""
    replayed: bool = False
    currency: str = "CNY"  # the order's: a value without it is read in the wrong money
    progress: Progress | None = None  # where the return stands (``station.intake.progress``), when read

    @property
    def parcel(self) -> bool:
        """Whether the customer ships anything: a voucher asks for no parcel, so no label."""
        return asks_for_parcel(self.resolution)

    @property
    def label_path(self) -> str:
        return f"/api/v1/rmas/{self.rma_number}/label.pdf"

    def as_json(self) -> dict[str, Any]:
        return {
            "rma_number": self.rma_number, "order_number": self.order_number, "status": self.status,
            "decision": self.decision.as_json(), "resolution": self.resolution,
            "requested_at": self.requested_at.isoformat(),
            "lines": [{"line_no": l.line_no, "sku": l.sku, "quantity": l.quantity, "reason": l.reason,
                       "comment": l.comment, "unit_price": str(l.unit_price),
                       "exchange_sku": l.exchange_sku} for l in self.lines],
            "rma_state": self.rma_state,
            "units": [{"lpn": u.lpn, "sku": u.sku, "state": u.state, "grade": u.grade,
                       "disposition": u.disposition} for u in self.units],
            "refusal_reason": self.refusal_reason, "currency": self.currency,
            "label_url": self.label_path if self.status == "authorised" and self.parcel else None,
            **({"progress": self.progress.as_json()} if self.progress is not None else {}),
        }


@dataclass(frozen=True)
class ReturnableLine:
    """One order line as the customer may return it (for the request page)."""

    sku: str
    name_en: str
    name_zh: str
    category: str
    ordered: int
    remaining: int
    unit_price: Decimal
    refused_because: str | None  # rule words (en) when the policy refuses this line outright
    refused_because_zh: str | None
    currency: str = "CNY"  # the order's, printed beside the price
    reasons: tuple[str, ...] = ()
    """The reason codes the policy accepts for this line's category: the only ones offered."""
    variants: tuple[tuple[str, str, str], ...] = ()
    """Other sizes/colours of the product (SKU, words en, words zh) an exchange may be for."""


@dataclass(frozen=True)
class TokenInfo:
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    scopes: tuple[str, ...] = ()
