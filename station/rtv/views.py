"""What return-to-vendor shows: batches, their units and claims as frozen values.

The desk, the command line and the paperwork renderers read these; none of them touches an
ORM object. Money is ``Decimal``; ``days_open`` is how long a shipped claim has waited for
the vendor's money (``None`` once credited, or before it ships).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from station.core.money import round_money
from station.models import RtvBatch, RtvState, Vendor



def claim_for(unit_cost: Decimal, quantity: int, rate_pct: Decimal | None, currency: str = "CNY") -> Decimal:
    """The amount claimed for one unit: its cost, or the agreement's percentage of it."""
    amount = unit_cost * quantity
    if rate_pct is not None:
        amount = amount * rate_pct / Decimal(100)
    return round_money(amount, currency)


@dataclass(frozen=True)
class VendorView:
    id: uuid.UUID
    code: str
    name: str
    contact_name: str
    contact_email: str
    agreement_rate_pct: Decimal | None
    currency: str

    @classmethod
    def of(cls, vendor: Vendor) -> VendorView:
        return cls(vendor.id, vendor.code, vendor.name, vendor.contact_name, vendor.contact_email,
                   vendor.agreement_rate_pct, vendor.currency)

    @property
    def terms(self) -> str:
        if self.agreement_rate_pct is None:
            return "full unit cost"
        return f"{self.agreement_rate_pct.normalize():f} % of unit cost"


@dataclass(frozen=True)
class ItemView:
    lpn: str
    sku: str
    description: str
    serial: str
    defect: str
    claimed_amount: Decimal
    rma_number: str
    lot: str = ""
    """The unit's production lot, when its code carried one: the vendor traces the batch by it."""


@dataclass(frozen=True)
class BatchView:
    id: uuid.UUID
    number: str
    vendor: VendorView
    state: RtvState
    opened_at: dt.datetime
    opened_by: str
    ra_number: str
    carrier: str
    tracking_number: str
    shipped_at: dt.datetime | None
    claimed_amount: Decimal
    currency: str
    acknowledged_at: dt.datetime | None
    credited_amount: Decimal | None
    credited_on: dt.date | None
    dispute_reason: str
    items: tuple[ItemView, ...]
    days_open: int | None
    credit_pending: bool = False
    """This station's credit waits for central (``station.rtv.commitments``)."""
    credit_note: str = ""
    """What the desk says about this station's credit: pending and why, or void and why."""

    @property
    def total(self) -> Decimal:
        """The sum of the items' claims (the batch's claim once shipped)."""
        return sum((i.claimed_amount for i in self.items), Decimal("0.00"))


def batch_view(batch: RtvBatch, items: tuple[ItemView, ...], opened_by: str, today: dt.date,
               credit_pending: bool = False, credit_note: str = "") -> BatchView:
    days = None
    if batch.state in (RtvState.SHIPPED, RtvState.ACKNOWLEDGED, RtvState.DISPUTED) and batch.shipped_at:
        days = max(0, (today - batch.shipped_at.date()).days)
    return BatchView(
        id=batch.id, number=batch.number, vendor=VendorView.of(batch.vendor), state=batch.state,
        opened_at=batch.opened_at, opened_by=opened_by, ra_number=batch.ra_number, carrier=batch.carrier,
        tracking_number=batch.tracking_number, shipped_at=batch.shipped_at,
        claimed_amount=batch.claimed_amount if batch.state != RtvState.OPEN else
        sum((i.claimed_amount for i in items), Decimal("0.00")),
        currency=batch.currency, acknowledged_at=batch.acknowledged_at, credited_amount=batch.credited_amount,
        credited_on=batch.credited_on, dispute_reason=batch.dispute_reason, items=items, days_open=days,
        credit_pending=credit_pending, credit_note=credit_note)
