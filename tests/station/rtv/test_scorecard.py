"""The vendor scorecard's figures on SQLite and PostgreSQL: only the vendor's products count,
returns by the day their parcel arrived, claims shipped in the period or still open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from station.analytics.period import Period
from station.core.errors import PermissionDenied
from station.models import Product, SalesDay, Unit
from station.rtv.scorecard import ScorecardService
from tests.helpers.builders import NOW
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.station.builders_qc import make_dock, receive_unit


@pytest.fixture
def dock(session_factory):
    return make_dock(session_factory)


def test_scorecard_counts_the_vendors_units_sales_grades_reasons_and_claims(dock):
    rtv = with_vendor(dock)
    mine = [rtv_unit(dock, value="100.00"), rtv_unit(dock, value="200.00")]
    receive_unit(dock, "apparel", supplier="Someone Else")  # another vendor's return: not counted
    dock.clock.advance(days=40)
    late = receive_unit(dock, "electronics", supplier="Shenzhen Power Tech", reason="size")  # next period
    with dock.sf.begin() as db:
        skus = list(db.scalars(select(Product.sku).join(Unit, Unit.product_id == Product.id)
                               .where(Unit.lpn.in_([*mine, late])).order_by(Unit.lpn)))
        for n, sku in enumerate(skus):
            db.add(SalesDay(sku=sku, sold_on=dt.date(2026, 11, 16), channel="web", units=4 * (n + 1), source="t",
                            imported_at=NOW))
    batch = rtv.open_batch(dock.inspector, "SZPT").number
    rtv.add(dock.inspector, batch, mine[0])
    rtv.ship(dock.inspector, batch, ra_number="RA-1", carrier="SF", tracking="SF1")

    card = ScorecardService(dock.qc.ctx).scorecard(dock.supervisor, "SZPT",
                                                   Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert (card.returned, card.sold, card.defective) == (2, 24, 2)
    assert [(r.key, r.returned, r.sold) for r in card.skus] == [(skus[0], 1, 4), (skus[1], 1, 8), (skus[2], 0, 12)]
    assert [(g.key, g.units) for g in card.grades] == [("D", 2)]
    assert [(r.key, r.units) for r in card.reasons] == [("defective", 2)]
    assert [(w.week, w.returned, w.sold) for w in card.weeks] == [(dt.date(2026, 11, 16), 2, 24)]
    assert (card.claims_open, card.claimed_open, card.credited_count) == (1, Decimal("100.00"), 0)
    assert [(c.batch, c.state, c.units, c.days_open) for c in card.claims] == [(batch, "shipped", 1, 0)]


def test_an_inspector_may_not_read_vendor_money(dock):
    with_vendor(dock)
    with pytest.raises(PermissionDenied, match="may not view analytics"):
        ScorecardService(dock.qc.ctx).scorecard(dock.inspector, "SZPT", Period(NOW.date(), NOW.date()))
