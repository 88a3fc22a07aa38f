"""Net cost from the per-day summaries: how the two net tables are rebuilt and read.

``rebuild_net`` is called by ``summary._rebuild`` for the days being recomputed, in the same
transaction and with the same day bounds as the other summaries; ``net_cost`` reads them for
a period and gives the same ``NetCost`` as the raw-table reference
(``station.analytics.net_cost.net_cost``), which the tests compare it with. A finished
refurbishment marks its unit's day dirty (``RefurbishService``); price lists and product
values are joined when read, so they need no refresh.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, case, func, insert, literal, not_, select

from station.analytics.costs import WRITE_OFF, CostRates
from station.analytics.net_cost import (
    NO_REASON, NetCost, cohort_lines, combine, rtv_credit_by_unit, share_of, shipping_paid,
)
from station.analytics.period import Period
from station.analytics.returns import UNCATALOGUED
from station.analytics.sql import utc_day
from station.models import (
    DailyCost, DailyNetShares, DailyNetUnits, DispositionKind, Product, Receipt, Refurbishment, ResalePrice, Rma,
    Unit,
)

log = logging.getLogger(__name__)

NU, NS = DailyNetUnits, DailyNetShares
_UNITS: Any = DailyNetUnits.__table__
_SHARES: Any = DailyNetShares.__table__


def rebuild_net(conn: Connection, within: Any, ranged: bool) -> None:
    """Recompute both net tables for the units received / RMAs first received ``within``."""
    restocked = Unit.disposition == DispositionKind.RESTOCK
    repaired = (Unit.disposition == DispositionKind.REFURBISH) & Refurbishment.id.is_not(None)
    q = Unit.quantity
    per_unit = (
        select(utc_day(Receipt.received_at).label("day"), Unit.product_id,
               func.coalesce(Product.sku, Unit.sku_received).label("sku"), Rma.reason_code,
               case((restocked, Unit.grade), (repaired, Refurbishment.outcome_grade), else_=None).label("grade"),
               q.label("q"), case((restocked | repaired, q), else_=0).label("priced"),
               case((Unit.disposition == DispositionKind.DONATE, q), else_=0).label("donated"),
               case((Unit.disposition == DispositionKind.RECYCLE, q), else_=0).label("recycled"),
               case((Unit.disposition.in_(WRITE_OFF), q), else_=0).label("written_off"),
               func.coalesce(Refurbishment.cost, 0).label("refurb"), rtv_credit_by_unit(Unit.id).label("rtv"))
        .select_from(Unit).join(Receipt, Receipt.id == Unit.receipt_id)
        .outerjoin(Rma, Rma.id == Receipt.rma_id).outerjoin(Product, Product.id == Unit.product_id)
        .outerjoin(Refurbishment, Refurbishment.unit_id == Unit.id)
        .where(within(Receipt.received_at))
    ).subquery("per_unit")
    u = per_unit.c
    keys = (u.day, u.product_id, u.sku, u.reason_code, u.grade)
    conn.execute(insert(_UNITS).from_select(
        ["day", "product_id", "sku", "reason_code", "price_grade", "units", "priced_units", "donated", "recycled",
         "written_off", "refurbishment", "rtv_credit"],
        select(*keys, func.sum(u.q), func.sum(u.priced), func.sum(u.donated), func.sum(u.recycled),
               func.sum(u.written_off), func.sum(u.refurb), func.sum(u.rtv)).group_by(*keys)))

    first = func.min(Receipt.received_at)
    firsts = select(Receipt.rma_id, first.label("first")).where(Receipt.rma_id.is_not(None))
    if ranged:  # RMAs with a parcel in these days whose first parcel is in them (as the costs summary)
        here = Receipt.__table__.alias("here")
        firsts = (firsts.where(Receipt.rma_id.in_(select(here.c.rma_id).where(within(here.c.received_at))))
                  .group_by(Receipt.rma_id).having(within(first)))
    else:
        firsts = firsts.group_by(Receipt.rma_id)
    rmas = firsts.subquery("cohort")
    lines = cohort_lines(rmas).add_columns(utc_day(rmas.c.first).label("day")).subquery("lines")
    per_line = (select(lines.c.day, lines.c.product_id, func.coalesce(Product.sku, lines.c.sku).label("sku"),
                       lines.c.reason_code, share_of(lines.c.shipping, lines).label("ship"),
                       share_of(lines.c.paid, lines).label("refunds"))
                .select_from(lines).outerjoin(Product, Product.id == lines.c.product_id).subquery("per_line"))
    s = per_line.c
    line_keys = (s.day, s.product_id, s.sku, s.reason_code)
    conn.execute(insert(_SHARES).from_select(
        ["day", "product_id", "sku", "reason_code", "shipping", "refunds"],
        select(*line_keys, func.sum(s.ship), func.sum(s.refunds)).group_by(*line_keys)))


def net_cost(conn: Connection, period: Period, rates: CostRates) -> NetCost:
    """The period's net cost read from the summaries (the caller refreshed them)."""
    days_u, days_s = NU.day.between(period.start, period.end), NS.day.between(period.start, period.end)
    vendor, category = func.coalesce(Product.supplier, ""), func.coalesce(Product.category, UNCATALOGUED)
    merchant = shipping_paid(rates, NS.reason_code)
    shares = conn.execute(
        select(NS.sku, vendor, category, NS.reason_code, func.sum(case((merchant, NS.shipping), else_=0)),
               func.sum(case((not_(merchant), NS.shipping), else_=0)), func.sum(NS.refunds))
        .select_from(NS).outerjoin(Product, Product.id == NS.product_id).where(days_s)
        .group_by(NS.sku, Product.supplier, Product.category, NS.reason_code)).all()
    price = ResalePrice.__table__
    units = conn.execute(
        select(NU.sku, vendor, category, func.coalesce(NU.reason_code, NO_REASON), func.sum(NU.units),
               func.sum(NU.refurbishment), func.sum(price.c.price * NU.priced_units), func.sum(NU.donated),
               func.sum(NU.recycled), func.sum(NU.rtv_credit), func.sum(Product.unit_value * NU.written_off),
               func.sum(case((price.c.price.is_(None), NU.priced_units), else_=0)))
        .select_from(NU).outerjoin(Product, Product.id == NU.product_id)
        .outerjoin(price, (price.c.sku == NU.sku) & (price.c.grade == NU.price_grade)).where(days_u)
        .group_by(NU.sku, Product.supplier, Product.category, NU.reason_code)).all()
    returns = conn.scalar(select(func.coalesce(func.sum(DailyCost.rmas), literal(0)))
                          .where(DailyCost.day.between(period.start, period.end)))
    return combine(shares, units, int(returns or 0), rates)
