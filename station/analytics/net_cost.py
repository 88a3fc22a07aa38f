"""Net cost of returns: what they cost in cash less what they bring back, per return and broken down.

The cash view (docs/supervisor.md, "Net cost"):

    net = shipping the merchant pays + handling + refurbishment + refunds/compensations
          - resale value - donation value - recycling value - RTV credit

* RMA-level amounts (return shipping, refunds) belong to the cost cohort (RMAs whose first
  parcel arrived in the period, as in ``costs``) and are shared among the RMA's lines by
  quantity, so they can be shown per SKU, vendor and category; a reason is the RMA's.
  Shipping counts only where the merchant pays it (``CostRates.merchant_pays_for``, from the
  policy); what customers paid is shown beside it, outside the net.
* Unit-level amounts belong to the units received in the period: handling (site rate),
  refurbishment (``Refurbishment.cost``), resale (the price list for the unit's SKU at its
  grade when restocked, or at the refurbishment's outcome grade once refurbished; an
  unfinished refurbishment recovers nothing yet), donation and recycling values (site rates
  per unit), RTV credit (a credited batch's amount shared over its units by claimed amount,
  ``rtv_credit_by_unit``).
* Write-off (value of scrapped/recycled/donated goods) is shown but not added: the refund
  already paid the customer back, and adding the goods' value again would count the loss twice.

The vendor is the product's ``supplier``. Everything is summed in SQL, grouped by (SKU,
vendor, category, reason); the breakdowns are sums of those groups. Amounts are integer
hundredths in SQL (``station.core.money``) and shares are allocated so an RMA's add up to its
amount exactly: every breakdown sums to the total, and the refunds here equal the refunds in
``costs`` to the cent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import case, false, func, not_, select, true
from sqlalchemy.engine import Connection

from station.analytics.costs import PAID, WRITE_OFF, CostRates, cohort
from station.analytics.period import Period
from station.analytics.returns import UNCATALOGUED
from station.analytics.sql import share
from station.core.money import ZERO, round_stored
from station.models import (
    DispositionKind, Product, Receipt, Refurbishment, ResalePrice, Resolution, Rma, RmaLine, RtvBatch, RtvItem,
    RtvState, Unit,
)

log = logging.getLogger(__name__)

NO_VENDOR = "(no vendor)"
NO_REASON = "(no RMA)"
AMOUNTS = ("shipping", "handling", "refurbishment", "refunds", "resale", "donation", "recycling",
           "rtv_credit", "write_off", "customer_shipping")


def rtv_credit_by_unit(unit_id: Any) -> Any:
    """The RTV credit received for the unit whose id is the SQL expression ``unit_id``.

    A vendor credits a batch as a whole (``RtvBatch.credited_amount`` once it is ``credited``);
    each unit's part is the batch's credit shared by the amounts claimed for its units
    (``RtvItem.claimed_amount``), evenly where nothing was claimed, allocated by running totals
    as the RMA shares are (``share_of``), so a batch's unit credits add up to its credit. A correlated scalar subquery, so the raw figures and the daily summaries
    (``net_summary.rebuild_net``) use the very same expression and agree to the cent.
    """
    other = RtvItem.__table__.alias("rtv_other")
    in_batch = other.c.batch_id == RtvItem.batch_id
    up_to = in_batch & (other.c.position <= RtvItem.position)
    claimed = select(func.sum(other.c.claimed_amount)).where(in_batch).scalar_subquery()
    claimed_upto = select(func.sum(other.c.claimed_amount)).where(up_to).scalar_subquery()
    count = select(func.count()).where(in_batch).scalar_subquery()
    count_upto = select(func.count()).where(up_to).scalar_subquery()
    credited = RtvBatch.credited_amount
    by_claim = (share(credited, claimed_upto, claimed)
                - share(credited, claimed_upto - RtvItem.claimed_amount, claimed))
    evenly = share(credited, count_upto, count) - share(credited, count_upto - 1, count)
    part = case((claimed > 0, by_claim), else_=evenly)
    return (select(func.coalesce(func.sum(part), 0))
            .select_from(RtvItem).join(RtvBatch, RtvBatch.id == RtvItem.batch_id)
            .where(RtvItem.unit_id == unit_id, RtvBatch.state == RtvState.CREDITED,
                   RtvBatch.credited_amount.is_not(None))
            .scalar_subquery())


@dataclass(frozen=True)
class NetCostRow:
    """Net cost of one slice (a SKU, a vendor, a category, a reason, or everything)."""

    key: str
    units: int = 0
    shipping: Decimal = Decimal("0.00")
    handling: Decimal = Decimal("0.00")
    refurbishment: Decimal = Decimal("0.00")
    refunds: Decimal = Decimal("0.00")
    resale: Decimal = Decimal("0.00")
    donation: Decimal = Decimal("0.00")
    recycling: Decimal = Decimal("0.00")
    rtv_credit: Decimal = Decimal("0.00")
    write_off: Decimal = Decimal("0.00")           # shown, not in net
    customer_shipping: Decimal = Decimal("0.00")   # shipping the customers paid, not in net

    @property
    def costs(self) -> Decimal:
        return self.shipping + self.handling + self.refurbishment + self.refunds

    @property
    def recovered(self) -> Decimal:
        return self.resale + self.donation + self.recycling + self.rtv_credit

    @property
    def net(self) -> Decimal:
        return self.costs - self.recovered

    @property
    def net_per_unit(self) -> Decimal | None:
        return round_stored(self.net / self.units) if self.units else None


@dataclass(frozen=True)
class NetCost:
    total: NetCostRow
    returns: int                      # RMAs in the cost cohort
    unpriced_units: int               # restocked/refurbished units with no price for their grade
    by_sku: list[NetCostRow] = field(default_factory=list)
    by_vendor: list[NetCostRow] = field(default_factory=list)
    by_category: list[NetCostRow] = field(default_factory=list)
    by_reason: list[NetCostRow] = field(default_factory=list)

    @property
    def per_return(self) -> Decimal | None:
        return round_stored(self.total.net / self.returns) if self.returns else None


def shipping_paid(rates: CostRates, reason: Any) -> Any:
    """True where the merchant pays the return shipping of an RMA with this ``reason``."""
    if rates.merchant_pays_for is None:
        return true()
    if not rates.merchant_pays_for:
        return false()
    return reason.in_(sorted(rates.merchant_pays_for))


def share_of(amount: Any, lines: Any) -> Any:
    """A line's share of an RMA amount (by quantity), so that the shares of one RMA add up to
    the amount exactly: each line gets the rounded running share up to and including it less
    the rounded running share before it. A plain rounded share per line lost or gained cents
    (two exports of the same refunds differed by 2 cents); this never does, and each share is
    still within a cent of the exact one. ``lines`` is the ``cohort_lines`` subquery; the same
    expression builds the summaries, so summary and raw figures agree to the cent."""
    upto, before = lines.c.upto, lines.c.upto - lines.c.quantity
    return share(amount, upto, lines.c.total) - share(amount, before, lines.c.total)


def cohort_lines(rmas: Any) -> Any:
    """Lines of the RMAs in the subquery ``rmas`` (column ``rma_id``) with their RMA's line
    quantity, paid amount, shipping and reason: (rma_id, product_id, sku, quantity, total,
    paid, shipping, reason_code, upto), ``upto`` being the RMA's quantity up to and including
    this line (for ``share_of``)."""
    line_total = (select(RmaLine.rma_id, func.sum(RmaLine.quantity).label("q"))
                  .where(RmaLine.rma_id.in_(select(rmas.c.rma_id))).group_by(RmaLine.rma_id).subquery("lt"))
    paid = (select(Resolution.rma_id, func.sum(Resolution.amount).label("amount"))
            .where(Resolution.kind.in_(PAID), Resolution.rma_id.in_(select(rmas.c.rma_id)))
            .group_by(Resolution.rma_id).subquery("paid"))
    return (select(RmaLine.rma_id, RmaLine.product_id, RmaLine.sku, RmaLine.quantity, line_total.c.q.label("total"),
                   paid.c.amount.label("paid"), Rma.return_shipping_cost.label("shipping"), Rma.reason_code,
                   func.sum(RmaLine.quantity).over(partition_by=RmaLine.rma_id,
                                                   order_by=(RmaLine.line_no, RmaLine.id)).label("upto"))
            .select_from(RmaLine).join(rmas, rmas.c.rma_id == RmaLine.rma_id).join(Rma, Rma.id == RmaLine.rma_id)
            .join(line_total, line_total.c.rma_id == RmaLine.rma_id)
            .outerjoin(paid, paid.c.rma_id == RmaLine.rma_id))


def _rma_shares(conn: Connection, period: Period, rates: CostRates) -> Iterable[Any]:
    """Shipping and refunds of the cohort's RMAs, shared among their lines by quantity."""
    lines = cohort_lines(cohort(period).subquery("cohort")).subquery("lines")
    ship = share_of(lines.c.shipping, lines)
    merchant = shipping_paid(rates, lines.c.reason_code)
    shares = (select(func.coalesce(Product.sku, lines.c.sku).label("sku"),
                     func.coalesce(Product.supplier, "").label("vendor"),
                     func.coalesce(Product.category, UNCATALOGUED).label("category"), lines.c.reason_code,
                     case((merchant, ship), else_=0).label("ship"), case((not_(merchant), ship), else_=0).label("customer"),
                     share_of(lines.c.paid, lines).label("refunds"))
              .select_from(lines).outerjoin(Product, Product.id == lines.c.product_id).subquery("shares"))
    return conn.execute(select(shares.c.sku, shares.c.vendor, shares.c.category, shares.c.reason_code,
                               func.sum(shares.c.ship), func.sum(shares.c.customer), func.sum(shares.c.refunds))
                        .group_by(shares.c.sku, shares.c.vendor, shares.c.category, shares.c.reason_code))


def _unit_amounts(conn: Connection, period: Period, rates: CostRates) -> Iterable[Any]:
    """Handling, write-off, refurbishment and recoveries of the units received in the period."""
    as_is = ResalePrice.__table__.alias("as_is")
    refurbished = ResalePrice.__table__.alias("refurbished")
    q = Unit.quantity
    sku = func.coalesce(Product.sku, Unit.sku_received)
    restocked = Unit.disposition == DispositionKind.RESTOCK
    repaired = (Unit.disposition == DispositionKind.REFURBISH) & Refurbishment.id.is_not(None)
    resale = case((restocked, as_is.c.price * q), (repaired, refurbished.c.price * q), else_=0)
    unpriced = case((restocked & as_is.c.price.is_(None), q), (repaired & refurbished.c.price.is_(None), q),
                    else_=0)
    write_off = case((Unit.disposition.in_(WRITE_OFF), func.coalesce(Product.unit_value, 0) * q), else_=0)
    keys = (sku, func.coalesce(Product.supplier, ""), func.coalesce(Product.category, UNCATALOGUED),
            func.coalesce(Rma.reason_code, NO_REASON))
    return conn.execute(
        select(*keys, func.sum(q), func.sum(func.coalesce(Refurbishment.cost, 0)),
               func.sum(resale), func.sum(case((Unit.disposition == DispositionKind.DONATE, q), else_=0)),
               func.sum(case((Unit.disposition == DispositionKind.RECYCLE, q), else_=0)),
               func.sum(rtv_credit_by_unit(Unit.id)), func.sum(write_off), func.sum(unpriced))
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .outerjoin(Rma, Rma.id == Receipt.rma_id).outerjoin(Product, Product.id == Unit.product_id)
        .outerjoin(Refurbishment, Refurbishment.unit_id == Unit.id)
        .outerjoin(as_is, (as_is.c.sku == sku) & (as_is.c.grade == Unit.grade))
        .outerjoin(refurbished, (refurbished.c.sku == sku) & (refurbished.c.grade == Refurbishment.outcome_grade))
        .where(Receipt.received_at >= period.lower, Receipt.received_at < period.upper)
        .group_by(Product.sku, Unit.sku_received, Product.supplier, Product.category, Rma.reason_code))


def _d(value: Decimal | None) -> Decimal:
    """A summed amount as SQL gave it: ``Decimal`` through the money type, never a bare number
    (which would be hundredths read as units)."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        raise TypeError(f"an amount came back untyped from SQL: {value!r}")
    return value


def net_cost(conn: Connection, period: Period, rates: CostRates = CostRates()) -> NetCost:
    """The period's net cost from the raw tables (the reference definition)."""
    returns = int(conn.scalar(select(func.count()).select_from(cohort(period).subquery())) or 0)
    return combine(_rma_shares(conn, period, rates), _unit_amounts(conn, period, rates), returns, rates)


def combine(shares: Iterable[Any], units: Iterable[Any], returns: int, rates: CostRates) -> NetCost:
    """The figures from the grouped rows (raw or summary): shares are (sku, vendor, category,
    reason, shipping, customer shipping, refunds); units are (sku, vendor, category, reason,
    units, refurbishment, resale, donated, recycled, rtv credit, write-off, unpriced units)."""
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = defaultdict(lambda: defaultdict(Decimal))
    for sku, vendor, category, reason, ship, customer_ship, refunds in shares:
        g = groups[(sku or "", vendor, category, reason)]
        g["shipping"] += _d(ship)
        g["customer_shipping"] += _d(customer_ship)
        g["refunds"] += _d(refunds)
    unpriced = 0
    for sku, vendor, category, reason, count, refurb, resale, donate, recycle, rtv, write_off, missing in units:
        g = groups[(sku or "", vendor, category, reason)]
        g["units"] += int(count or 0)
        g["handling"] += rates.handling_per_unit * int(count or 0)
        g["refurbishment"] += _d(refurb)
        g["resale"] += _d(resale)
        g["donation"] += rates.donation_value_per_unit * int(donate or 0)
        g["recycling"] += rates.recycling_value_per_unit * int(recycle or 0)
        g["rtv_credit"] += _d(rtv)
        g["write_off"] += _d(write_off)
        unpriced += int(missing or 0)

    def rows(index: int | None, blank: str = "") -> list[NetCostRow]:
        sums: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(Decimal))
        for key, g in groups.items():
            name = "all" if index is None else (key[index] or blank)
            for k, v in g.items():
                sums[name][k] += v
        out = [_row(name, s) for name, s in sums.items()]
        return sorted(out, key=lambda r: (-r.net, r.key))

    total = rows(None)
    return NetCost(total=total[0] if total else NetCostRow("all"), returns=returns, unpriced_units=unpriced,
                   by_sku=rows(0), by_vendor=rows(1, NO_VENDOR), by_category=rows(2), by_reason=rows(3))


def _row(key: str, sums: dict[str, Any]) -> NetCostRow:
    values = {f.name: round_stored(sums.get(f.name, 0)) for f in fields(NetCostRow)
              if f.name in AMOUNTS}
    return NetCostRow(key, int(sums.get("units", 0)), **values)
