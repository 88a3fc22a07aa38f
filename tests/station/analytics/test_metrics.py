"""Every dashboard figure against the hand-worked expectations in ``dataset.py``, on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from station.analytics import (
    CostRates,
    Period,
    build_dashboard,
    costs,
    cycle_times,
    disposition_mix,
    grade_mix,
    rate_by_category,
    rate_by_sku,
    reason_mix,
    return_rate,
    supplier_defects,
    units_behind,
    weekly,
    weekly_reasons,
)
from station.core.errors import InvalidInput
from tests.station.analytics.dataset import PERIOD, WEEK1, WEEK2, build


@pytest.fixture
def data(session_factory):
    return build(session_factory)


@pytest.fixture
def conn(engine, data):
    with engine.connect() as c:
        yield c


def approx(x: float) -> object:
    return pytest.approx(x, abs=1e-9)


class TestReturnRate:
    def test_overall_is_returned_units_over_units_sold_in_the_period(self, conn):
        r = return_rate(conn, PERIOD)
        assert (r.returned, r.sold) == (9, 180)
        assert r.rate == approx(9 / 180)

    def test_per_sku_highest_first_and_sales_without_returns_rate_zero(self, conn):
        rows = rate_by_sku(conn, PERIOD)
        assert [(r.key, r.returned, r.sold) for r in rows] == [
            ("EL-001", 2, 20), ("TS-002", 3, 50), ("TS-001", 4, 100), ("ZZ-999", 0, 10)]
        assert [r.rate for r in rows] == [approx(0.1), approx(0.06), approx(0.04), approx(0.0)]
        assert rows[0].label == "Phone"

    def test_per_sku_minimum_sales_and_limit(self, conn):
        assert [r.key for r in rate_by_sku(conn, PERIOD, min_sold=50)] == ["TS-002", "TS-001"]
        assert [r.key for r in rate_by_sku(conn, PERIOD, limit=1)] == ["EL-001"]

    def test_per_category_groups_uncatalogued_sales_apart(self, conn):
        rows = rate_by_category(conn, PERIOD)
        assert [(r.key, r.returned, r.sold) for r in rows] == [
            ("electronics", 2, 20), ("apparel", 7, 150), ("(not in catalogue)", 0, 10)]
        assert rows[1].rate == approx(7 / 150)


class TestMixes:
    def test_reason_mix_counts_units_with_labels(self, conn):
        rows = reason_mix(conn, PERIOD)
        assert [(m.key, m.units) for m in rows] == [("size", 5), ("defective", 3), ("changed_mind", 1)]
        assert [m.share for m in rows] == [approx(5 / 9), approx(3 / 9), approx(1 / 9)]
        assert rows[0].label == "Did not fit (size)"
        assert reason_mix(conn, PERIOD, locale="zh")[0].label == "尺码不合适"

    def test_grade_mix_leaves_ungraded_units_out(self, conn):
        assert [(m.key, m.units, m.share) for m in grade_mix(conn, PERIOD)] == [
            ("A", 2, 0.25), ("B", 1, 0.125), ("C", 3, 0.375), ("D", 2, 0.25)]

    def test_disposition_mix(self, conn):
        assert [(m.key, m.units) for m in disposition_mix(conn, PERIOD)] == [
            ("recycle", 3), ("restock", 3), ("return_to_vendor", 1), ("scrap", 1)]

    def test_supplier_defect_rate(self, conn):
        rows = supplier_defects(conn, PERIOD)
        assert [(s.supplier, s.graded, s.defective) for s in rows] == [("Volt", 2, 1), ("Acme", 6, 1)]
        assert rows[1].rate == approx(1 / 6)
        assert [s.supplier for s in supplier_defects(conn, PERIOD, min_graded=3)] == ["Acme"]


class TestCycleTime:
    def test_nearest_rank_percentiles_per_stage(self, conn):
        by = {c.stage: c for c in cycle_times(conn, PERIOD)}
        ri = by["received_to_inspected"]  # 2, 4, 8, 10, 24, 24
        assert (ri.units, ri.p50_h, ri.p90_h, ri.mean_h) == (6, 8.0, 24.0, 12.0)
        ir = by["inspected_to_resolved"]  # 16, 22, 24, 26, 44
        assert (ir.units, ir.p50_h, ir.p90_h, ir.mean_h) == (5, 24.0, 44.0, 26.4)
        rr = by["received_to_resolved"]  # 24, 24, 36, 48, 48, 48
        assert (rr.units, rr.p50_h, rr.p90_h, rr.mean_h) == (6, 36.0, 48.0, 38.0)


class TestCosts:
    def test_shipping_handling_write_off_refunds(self, conn):
        c = costs(conn, PERIOD, CostRates(Decimal("6.50")))
        assert (c.shipping, c.handling, c.write_off, c.refunds) == (
            Decimal("55.00"), Decimal("58.50"), Decimal("1150.00"), Decimal("1170.00"))
        assert c.total == Decimal("2433.50")
        assert all(isinstance(v, Decimal) for v in (c.shipping, c.write_off, c.refunds))


class TestTrends:
    def test_weeks_start_on_monday(self, conn):
        rows = weekly(conn, PERIOD)
        assert [(w.week, w.returned, w.sold) for w in rows] == [(WEEK1, 4, 130), (WEEK2, 5, 50)]
        assert rows[1].rate == approx(0.1)

    def test_reason_share_per_week(self, conn):
        rows = weekly_reasons(conn, PERIOD)
        assert [(w.week, w.reason, w.units, w.share) for w in rows] == [
            (WEEK1, "changed_mind", 1, 0.25), (WEEK1, "defective", 1, 0.25), (WEEK1, "size", 2, 0.5),
            (WEEK2, "defective", 2, 0.4), (WEEK2, "size", 3, 0.6)]


class TestDrillDown:
    @pytest.mark.parametrize(("dimension", "key", "names"), [
        ("sku", "TS-001", {"U1", "U2", "U5", "U6"}),
        ("grade", "D", {"U3", "U6"}),
        ("week", "2026-11-09", {"U4", "U5", "U6"}),
        ("reason", "size", {"U1", "U2", "U4"}),
        ("category", "electronics", {"U3", "U8"}),
        ("disposition", "restock", {"U1", "U2", "U8"}),
        ("supplier", "Volt", {"U3", "U8"}),
    ])
    def test_slice_lists_exactly_its_units(self, conn, data, dimension, key, names):
        rows = units_behind(conn, PERIOD, dimension, key)
        assert {r.lpn for r in rows} == {data.lpns[n] for n in names}

    def test_unknown_dimension_is_refused(self, conn):
        with pytest.raises(InvalidInput, match="Cannot drill into 'colour'"):
            units_behind(conn, PERIOD, "colour", "red")


class TestEmptyAndBadPeriods:
    def test_empty_period_gives_zeros_not_errors(self, conn):
        d = build_dashboard(conn, Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
        assert d.empty and d.overall.rate is None
        assert d.by_sku == [] and d.reasons == [] and d.weeks == []
        assert all(c.units == 0 and c.p50_h is None for c in d.cycle)
        assert d.costs.total == Decimal("0.00")

    def test_period_ending_before_it_starts(self):
        with pytest.raises(InvalidInput, match="ends .* before it starts"):
            Period(dt.date(2026, 11, 5), dt.date(2026, 11, 1))

    def test_not_a_date(self):
        with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
            Period.parse("2026-13-01", "2026-12-01")

    def test_dashboard_gathers_the_same_figures(self, conn):
        d = build_dashboard(conn, PERIOD, rates=CostRates(Decimal("6.50")))
        assert d.overall.returned == 9 and d.costs.total == Decimal("2433.50")
        assert [w.week for w in d.weeks] == [WEEK1, WEEK2]
