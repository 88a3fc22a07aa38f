"""Resolution rules, table-driven and as properties: refund less the grade's fee, full refund
when the shop was at fault, exchange (same or other SKU), compensation, rejection texts, and
exact decimals per currency."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.core.errors import ConfigError, InvalidInput
from station.core.return_policy import load_policy
from station.models import Grade, Product, RequestedResolution, ResolutionKind, Rma, RmaLine, Unit
from station.resolution.rules import SHIPPED, load_rules, read_rules_file
from station.resolution.service import compensation_for, compute

POLICY = load_policy(Path("/nonexistent"))  # the shipped policy: A 0, B 0.10, C 0.25, D 0
RULES = load_rules(SHIPPED)


def rma_with(prices: list[str], grades: list[Grade], *, reason: str = "size", currency: str = "CNY",
             requested: RequestedResolution = RequestedResolution.REFUND, flags: tuple[str, ...] = (),
             quantities: list[int] | None = None) -> tuple[Rma, list[Unit]]:
    """Transient records (no database): compute() is a pure calculation over them."""
    rma = Rma(number="RMA1", order_number="SO-1", reason_code=reason, requested_resolution=requested,
              currency=currency)
    units = []
    for no, (price, grade) in enumerate(zip(prices, grades, strict=True), start=1):
        qty = quantities[no - 1] if quantities else 1
        line = RmaLine(id=uuid.uuid4(), line_no=no, sku=f"SKU-{no}", quantity=qty, unit_price=Decimal(price))
        rma.lines.append(line)
        units.append(Unit(lpn=f"LPN{no}", rma_line_id=line.id, quantity=qty, grade=grade, flags=list(flags)))
    return rma, units


CASES = [
    # id, prices, grades, reason, requested, flags, currency -> kind, gross, fee, amount, supervisor, rule
    ("grade A and B less fee", ["400.00", "400.00"], [Grade.A, Grade.B], "size", "refund", (), "CNY",
     "refund", "800.00", "40.00", "760.00", False, "refund_less_fee"),
    ("grade C keeps a quarter", ["400.00"], [Grade.C], "changed_mind", "refund", (), "CNY",
     "refund", "400.00", "100.00", "300.00", False, "refund_less_fee"),
    ("shop at fault: full refund", ["400.00"], [Grade.C], "defective", "refund", (), "CNY",
     "refund", "400.00", "0.00", "400.00", False, "refund_less_fee"),
    ("grade D is never charged", ["129.90"], [Grade.D], "size", "refund", (), "CNY",
     "refund", "129.90", "0.00", "129.90", False, "refund_less_fee"),
    # 3.335 rounds up to 3.34 on each unit: 10.02, not 10.01 from rounding the 10.005 total
    ("cents round half up per unit", ["33.35", "33.35", "33.35"], [Grade.B] * 3, "size", "refund", (), "CNY",
     "refund", "100.05", "10.02", "90.03", False, "refund_less_fee"),
    ("yen has no minor unit", ["999"], [Grade.B], "size", "refund", (), "JPY",
     "refund", "999", "100", "899", False, "refund_less_fee"),
    ("exchange pays nothing back", ["400.00"], [Grade.B], "size", "exchange", (), "CNY",
     "exchange", "400.00", "0.00", "0.00", False, "exchange_requested"),
    ("fraud flag needs a supervisor", ["400.00"], [Grade.A], "size", "refund", ("wrong_item",), "CNY",
     "refund", "400.00", "0.00", "400.00", True, "suspected_fraud"),
    ("above the auto limit", ["2999.00"], [Grade.A], "size", "refund", (), "CNY",
     "refund", "2999.00", "0.00", "2999.00", True, "refund_less_fee"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_resolution_table(case):
    _, prices, grades, reason, requested, flags, currency, kind, gross, fee, amount, sup, rule = case
    rma, units = rma_with(prices, grades, reason=reason, requested=RequestedResolution(requested),
                          flags=flags, currency=currency)
    p = compute(POLICY, rma, units, RULES)
    assert (p.kind, str(p.gross), str(p.fee), str(p.amount), p.needs_supervisor, p.rule) == (
        ResolutionKind(kind), gross, fee, amount, sup, rule)


def test_fraud_rule_suggests_the_rejection_text():
    rma, units = rma_with(["400.00"], [Grade.A], flags=("serial_mismatch",))
    p = compute(POLICY, rma, units, RULES)
    assert p.suggested_rejection == "not_the_item_sold"
    assert p.details["suggested_rejection"]["zh"] == "我们收到的商品与您订单中所购商品不符。"


def test_exchange_for_a_cheaper_sku_refunds_the_difference_and_refuses_a_dearer_one():
    rma, units = rma_with(["299.00"], [Grade.A], requested=RequestedResolution.EXCHANGE)
    cheaper = Product(sku="AP-SH-30", unit_value=Decimal("199.00"))
    p = compute(POLICY, rma, units, RULES, exchange_to=cheaper)
    assert (p.kind, p.amount, p.units[0].exchange_sku) == (ResolutionKind.EXCHANGE, Decimal("100.00"), "AP-SH-30")
    with pytest.raises(InvalidInput, match="0.01 more than what came back"):
        compute(POLICY, rma, units, RULES, exchange_to=Product(sku="X", unit_value=Decimal("299.01")))


@pytest.mark.parametrize("reason, price, qty, form, amount", [
    ("defective", "299.00", 1, "coupon", "59.80"),
    ("quality", "99.90", 3, "partial_refund", "44.96"),       # 299.70 x 0.15 = 44.955 -> 44.96
    ("damaged", "4000.00", 1, "partial_refund", "300.00"),    # capped
    ("not_as_described", "9999.00", 1, "coupon", "500.00"),   # capped
])
def test_compensation_table(reason, price, qty, form, amount):
    rma, _ = rma_with([price], [Grade.B], reason=reason, quantities=[qty])
    gross, paid, details = compensation_for(RULES, rma, form)
    assert (str(paid), details["form"]) == (amount, form)
    assert gross == Decimal(price) * qty


def test_compensation_only_for_faults_and_known_forms():
    rma, _ = rma_with(["100.00"], [Grade.A], reason="size")
    with pytest.raises(InvalidInput, match="does not qualify"):
        compensation_for(RULES, rma, "coupon")
    rma, _ = rma_with(["100.00"], [Grade.A], reason="defective")
    with pytest.raises(InvalidInput, match="coupon or a partial refund"):
        compensation_for(RULES, rma, "voucher")


def test_rejection_codes_and_free_text():
    assert RULES.rejection_text("outside_return_window")[1] == "The parcel arrived after the return period had ended."
    assert RULES.rejection_text("Box contained a brick instead of the phone.")[0] == "other"
    with pytest.raises(InvalidInput, match="neither a rejection code"):
        RULES.rejection_text("nope")


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('[[rule]]\nname = "refund_less_fee"\nkind = "refund"',
                         '[[rule]]\nname = "refund_less_fee"\nwhen = { requested = "refund" }\nkind = "refund"'),
     "last \\[\\[rule\\]\\] must have no `when`"),
    (lambda t: t.replace('kind = "exchange"', 'kind = "store_credit"'), "kind must be refund or exchange"),
    (lambda t: t.replace('rate = "0.20"', 'rate = "1.5"'), "compensation.coupon.rate must be between"),
    (lambda t: t.replace('supervisor = true', 'supervisr = true'), "line 21: unknown field 'supervisr'"),
    (lambda t: t.replace('suggest_rejection = "not_the_item_sold"', 'suggest_rejection = "nope"'),
     "unknown rejection 'nope'"),
])
def test_a_bad_rules_file_names_the_problem(tmp_path, edit, message):
    path = tmp_path / "resolution_rules.toml"
    path.write_text(edit(SHIPPED.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_rules_file(path)
    assert load_rules(path) == RULES  # a bad site file falls back to the shipped rules


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(money, st.sampled_from(list(Grade)), st.integers(1, 5)), min_size=1, max_size=6),
       st.sampled_from(["size", "changed_mind", "defective"]))
def test_refund_is_gross_less_fees_in_exact_cents(units_spec, reason):
    prices = [str(p) for p, _, _ in units_spec]
    rma, units = rma_with(prices, [g for _, g, _ in units_spec], reason=reason,
                          quantities=[q for _, _, q in units_spec])
    p = compute(POLICY, rma, units, RULES)
    cent = Decimal("0.01")
    expected_fee = sum(((Decimal(price) * q * POLICY.fee_rate(g, reason)).quantize(cent, ROUND_HALF_UP)
                        for price, (_, g, q) in zip(prices, units_spec)), Decimal("0.00"))
    assert p.fee == expected_fee and p.amount == p.gross - p.fee
    assert Decimal(0) <= p.amount <= p.gross
    assert all(x.as_tuple().exponent == -2 for x in (p.gross, p.fee, p.amount))
    if reason == "defective":
        assert p.amount == p.gross
