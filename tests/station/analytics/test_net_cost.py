"""Net cost of returns on the fixed history (tests/station/analytics/dataset.py), worked out by hand.

On top of the history: U2 (TS-001, B) goes to refurbishing and comes out grade A for 12.00;
the price list values TS-001 A 80.00, TS-001 B 60.00, EL-001 A 700.00 (TS-002 unpriced);
recycling brings 2.00 a unit; the merchant pays return shipping for "defective" only.

    cohort RMAs (first parcel in period): R1 R2 R3 R4 -> 4 returns
    shipping merchant pays: R2 20 + R4 15 = 35     customers paid: R1 10 + R3 10 = 20
    refunds + compensation: 150 + 1000 + 20 = 1170
    units received: U1 U2 U3 U4(3) U5 U6 U8 = 9  -> handling 58.50
    refurbishment: U2 12.00
    resale: U1 TS-001 A 80 + U2 refurbished A 80 + U8 EL-001 A 700 = 860
    recycling: U4 3 x 2.00 = 6.00
    net = 35 + 58.50 + 12 + 1170 - 860 - 6 = 409.50; per return 409.50 / 4 = 102.38 (102.375)
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from station.analytics import CostRates, build_dashboard
from station.analytics.net_cost import net_cost
from station.analytics.tables import analytic_table
from station.catalog.prices import PriceListService
from station.core.context import Actor
from station.inspection.refurbishment import RefurbishService
from station.models import DispositionKind, Role, Unit
from tests.helpers.builders import add_operator, make_context
from tests.station.analytics.dataset import PERIOD, build

RATES = CostRates(handling_per_unit=Decimal("6.50"), recycling_value_per_unit=Decimal("2.00"),
                  merchant_pays_for=frozenset({"defective"}))


@pytest.fixture
def history(session_factory, tmp_path: Path):
    built = build(session_factory)
    ctx = make_context(session_factory)
    with session_factory.begin() as db:
        tech = add_operator(db, Role.INSPECTOR)
        unit = db.scalar(select(Unit).where(Unit.lpn == built.lpns["U2"]))
        unit.disposition = DispositionKind.REFURBISH
    RefurbishService(ctx).finish(tech, built.lpns["U2"], "12.00", "zip, buttons", "A")
    prices = tmp_path / "prices.csv"
    prices.write_text("sku,grade,price,currency\nTS-001,A,80.00,CNY\nTS-001,B,60.00,CNY\nEL-001,A,700.00,CNY\n")
    PriceListService(ctx).import_csv(Actor.command_line(), prices)
    return built


def D(text: str) -> Decimal:
    return Decimal(text)


class TestNetCost:
    def test_net_cost_of_the_period_is_what_was_paid_less_what_came_back(self, engine, history):
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, RATES)
        t = n.total
        assert (t.shipping, t.customer_shipping, t.handling, t.refurbishment, t.refunds) == (
            D("35.00"), D("20.00"), D("58.50"), D("12.00"), D("1170.00"))
        assert (t.resale, t.recycling, t.donation, t.rtv_credit) == (D("860.00"), D("6.00"), D("0.00"), D("0.00"))
        assert t.write_off == D("1150.00")  # shown beside the net, not in it
        assert t.net == D("409.50") and t.units == 9
        assert n.returns == 4 and n.per_return == D("102.38")
        assert n.unpriced_units == 0

    def test_net_cost_per_sku_vendor_category_and_reason_add_up(self, engine, history):
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, RATES)
        assert {r.key: r.net for r in n.by_sku} == {"TS-001": D("63.00"), "TS-002": D("13.50"),
                                                    "EL-001": D("333.00")}
        assert {r.key: r.net for r in n.by_vendor} == {"Acme": D("76.50"), "Volt": D("333.00")}
        assert {r.key: r.net for r in n.by_category} == {"apparel": D("76.50"), "electronics": D("333.00")}
        assert {r.key: r.net for r in n.by_reason} == {"size": D("28.50"), "defective": D("1074.50"),
                                                       "changed_mind": D("-693.50")}
        assert [r.key for r in n.by_sku] == ["EL-001", "TS-001", "TS-002"]  # dearest first

    def test_when_the_customer_pays_every_return_label_shipping_leaves_the_net(self, engine, history):
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, replace(RATES, merchant_pays_for=frozenset()))
            everything = net_cost(conn, PERIOD, replace(RATES, merchant_pays_for=None))
        assert (n.total.shipping, n.total.customer_shipping, n.total.net) == (D("0.00"), D("55.00"), D("374.50"))
        assert (everything.total.shipping, everything.total.net) == (D("55.00"), D("429.50"))

    def test_a_restocked_unit_without_a_price_is_counted_as_unpriced(self, engine, history, session_factory):
        with session_factory.begin() as db:
            db.scalar(select(Unit).where(Unit.lpn == history.lpns["U4"])).disposition = DispositionKind.RESTOCK
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, RATES)
        assert n.unpriced_units == 3 and n.total.recycling == D("0.00")

    def test_dashboard_and_export_tables_carry_the_net_cost(self, engine, history):
        with engine.begin() as conn:
            d = build_dashboard(conn, PERIOD, rates=RATES)
        assert d.net.total.net == D("409.50")
        items = dict(analytic_table(d, "net_cost").rows)
        assert items["net"] == D("409.50") and items["net_per_return"] == D("102.38")
        vendors = analytic_table(d, "net_cost_by_vendor")
        assert vendors.columns[0] == "vendor" and [r[0] for r in vendors.rows] == ["Volt", "Acme"]


class TestFromSummaries:
    def test_summaries_give_the_raw_figures_and_follow_prices_and_repairs(self, engine, history, session_factory,
                                                                          tmp_path):
        with engine.begin() as conn:
            summary = build_dashboard(conn, PERIOD, rates=RATES).net
            raw = build_dashboard(conn, PERIOD, rates=RATES, raw=True).net
        assert summary == raw and summary.total.net == D("409.50")
        # a new price list shows at once (joined when read, no refresh needed)
        prices = tmp_path / "new.csv"
        prices.write_text("sku,grade,price,currency\nEL-001,A,650.00,CNY\n")
        PriceListService(make_context(session_factory)).import_csv(Actor.command_line(), prices)
        # a refurbishment finished after the last refresh dirties its unit's day
        with session_factory.begin() as db:
            tech = add_operator(db, Role.INSPECTOR)
            db.scalar(select(Unit).where(Unit.lpn == history.lpns["U4"])).disposition = DispositionKind.REFURBISH
        with engine.begin() as conn:
            assert build_dashboard(conn, PERIOD, rates=RATES).net.total.refurbishment == D("12.00")
        RefurbishService(make_context(session_factory)).finish(tech, history.lpns["U4"], "9.00", "", "B")
        with engine.begin() as conn:
            summary = build_dashboard(conn, PERIOD, rates=RATES).net
            raw = build_dashboard(conn, PERIOD, rates=RATES, raw=True).net
        assert summary == raw
        # 409.50 + 50 less resale of EL-001 + 9 repair + 6 recycling no longer earned; TS-002 B unpriced
        assert summary.total.net == D("474.50") and summary.unpriced_units == 3


def credit_rtv_batch(session_factory, history, amount: str, before_credit=lambda: None) -> None:
    """U5 and U6 (TS-001, Acme, defective) go back to Acme in one batch through the RTV
    service: approved, scanned in, shipped, acknowledged and credited ``amount``."""
    from station.models import Approval, ApprovalKind, ApprovalState, Disposition, Grade, UnitState
    from station.rtv.batches import RtvService
    from tests.helpers.builders import NOW

    with session_factory.begin() as db:
        boss = add_operator(db, Role.SUPERVISOR)
        for name in ("U5", "U6"):
            unit = db.scalar(select(Unit).where(Unit.lpn == history.lpns[name]))
            unit.state, unit.disposition, unit.grade = UnitState.DISPOSITIONED, DispositionKind.RETURN_TO_VENDOR, Grade.D
            d = Disposition(unit_id=unit.id, kind=DispositionKind.RETURN_TO_VENDOR, grade=Grade.D, decided_by=boss.id,
                            decided_at=NOW, station_id="DOCK01")
            db.add(d)
            db.flush()
            db.add(Approval(kind=ApprovalKind.RETURN_TO_VENDOR, state=ApprovalState.APPROVED, entity_type="dispositions",
                            entity_id=d.id, requested_by=boss.id, requested_at=NOW, decided_by=boss.id, decided_at=NOW,
                            station_id="DOCK01"))
    rtv = RtvService(make_context(session_factory))
    rtv.save_vendor(boss, "ACME", "Acme")
    batch = rtv.open_batch(boss, "ACME").number
    rtv.add(boss, batch, history.lpns["U5"])
    rtv.add(boss, batch, history.lpns["U6"])
    rtv.ship(boss, batch, ra_number="RA-1", carrier="SF", tracking="SF100")
    rtv.acknowledge(boss, batch)
    before_credit()
    rtv.credit(boss, batch, amount)


class TestRtvCredit:
    def test_a_credited_rtv_batch_lowers_the_net_cost_of_its_units(self, engine, history, session_factory):
        def summaries_built() -> None:  # up to date just before the credit: it alone must dirty the days
            with engine.begin() as conn:
                assert build_dashboard(conn, PERIOD, rates=RATES).net.total.rtv_credit == D("0.00")

        credit_rtv_batch(session_factory, history, "45.00", summaries_built)
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, RATES)
        assert n.total.rtv_credit == D("45.00") and n.total.net == D("364.50")  # 409.50 - 45.00
        assert {r.key: r.rtv_credit for r in n.by_vendor} == {"Acme": D("45.00"), "Volt": D("0.00")}
        assert {r.key: r.net for r in n.by_reason}["defective"] == D("1029.50")
        with engine.begin() as conn:
            incremental = build_dashboard(conn, PERIOD, rates=RATES).net
        with engine.begin() as conn:
            from station.analytics.summary import refresh

            refresh(conn, full=True)
            rebuilt = build_dashboard(conn, PERIOD, rates=RATES).net
            raw = build_dashboard(conn, PERIOD, rates=RATES, raw=True).net
        assert incremental == rebuilt == raw == n

    def test_a_batch_credited_in_part_is_shared_by_what_was_claimed_per_unit(self, engine, history,
                                                                             session_factory):
        credit_rtv_batch(session_factory, history, "45.01")  # two equal claims: 22.505 each, to the cent
        with engine.connect() as conn:
            n = net_cost(conn, PERIOD, RATES)
        assert D("45.00") <= n.total.rtv_credit <= D("45.02")
        with engine.begin() as conn:
            assert build_dashboard(conn, PERIOD, rates=RATES).net == n
