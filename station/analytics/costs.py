"""Cost of returns: shipping, handling, write-off and refunds, summed in SQL.

The cohort is the RMAs whose first parcel was received in the period (so an RMA that arrives
in two parcels is paid for once) and the units received in the period:

* shipping  = sum of ``Rma.return_shipping_cost`` over the cohort's RMAs;
* handling  = returned units x ``handling_per_unit`` (a site rate, ``[costs]`` in alerts.toml);
* write-off = sum of ``Product.unit_value x Unit.quantity`` over returned units dispositioned
  to scrap, recycle or donate (value that will never be sold again);
* refunds   = sum of ``Resolution.amount`` of kind refund or compensation for the cohort.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from station.core.money import ZERO, round_stored
from station.analytics.period import Period
from station.analytics.rows import Costs
from station.models import DispositionKind, Product, Receipt, Resolution, ResolutionKind, Rma, Unit

log = logging.getLogger(__name__)

WRITE_OFF = (DispositionKind.SCRAP, DispositionKind.RECYCLE, DispositionKind.DONATE)
PAID = (ResolutionKind.REFUND, ResolutionKind.COMPENSATION)


@dataclass(frozen=True)
class CostRates:
    """Site rates that are not in the database.

    ``donation_value_per_unit`` and ``recycling_value_per_unit`` are what a donated or
    recycled unit brings back (a recycler's price, a donation's tax value); ``merchant_pays_for``
    are the RMA reasons whose return shipping the merchant pays (``None``: every reason, the
    policy's ``return_shipping = "merchant"``) - see ``with_policy``.
    """

    handling_per_unit: Decimal = Decimal("0.00")
    donation_value_per_unit: Decimal = Decimal("0.00")
    recycling_value_per_unit: Decimal = Decimal("0.00")
    merchant_pays_for: frozenset[str] | None = None

    def with_policy(self, policy: Any) -> CostRates:
        """These rates with who pays return shipping taken from the return policy."""
        everything = policy.return_shipping_default == "merchant"
        return replace(self, merchant_pays_for=None if everything else frozenset(policy.merchant_pays_for))


def _money(value: Decimal | None) -> Decimal:
    """A summed amount (``Decimal`` through the money type; ``None`` when nothing was summed)."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        raise TypeError(f"an amount came back untyped from SQL: {value!r}")
    return round_stored(value)


def cohort(period: Period) -> Any:
    """Ids of RMAs whose first parcel arrived in the period."""
    first = func.min(Receipt.received_at)
    return (select(Receipt.rma_id).where(Receipt.rma_id.is_not(None)).group_by(Receipt.rma_id)
            .having(first >= period.lower, first < period.upper))


def costs(conn: Connection, period: Period, rates: CostRates = CostRates()) -> Costs:
    rmas = cohort(period).subquery("cohort")
    shipping = conn.scalar(select(func.sum(Rma.return_shipping_cost)).join(rmas, rmas.c.rma_id == Rma.id))
    refunds = conn.scalar(select(func.sum(Resolution.amount)).join(rmas, rmas.c.rma_id == Resolution.rma_id)
                          .where(Resolution.kind.in_(PAID)))
    value = Product.unit_value * Unit.quantity
    units, write_off = conn.execute(
        select(func.coalesce(func.sum(Unit.quantity), 0),
               func.sum(case((Unit.disposition.in_(WRITE_OFF), value), else_=0)))
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .outerjoin(Product, Product.id == Unit.product_id)
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper)
    ).one()
    handling = rates.handling_per_unit * int(units or 0)
    return Costs(_money(shipping), _money(handling), _money(write_off), _money(refunds))

