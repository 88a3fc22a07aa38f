"""The money module: amounts taken exactly, one rounding rule, shares that lose no cent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.core import money
from station.core.errors import InvalidInput


class TestTakingAmounts:
    @pytest.mark.parametrize("text, expected", [
        ("12.5", D("12.50")), ("0", D("0.00")), ("1,234.50", D("1234.50")), (" 7.05 ", D("7.05")),
        (".5", D("0.50")), ("1,234,567", D("1234567.00")),
    ])
    def test_an_amount_a_clerk_types_is_taken_exactly(self, text, expected):
        value = money.parse(text, "CNY")
        assert value == expected and value.as_tuple().exponent == -2

    @pytest.mark.parametrize("text, words", [
        ("12.345", "more decimal places than CNY allows"), ("1,5", "not a number"), ("abc", "not a number"),
        ("-3", "zero or more"), ("NaN", "not a number"), ("1e3", "not a number"), ("¥12", "not a number"),
        ("9" * 16, "not a number"), ("", "not a number"),
    ])
    def test_an_amount_that_cannot_be_taken_exactly_is_refused_in_words(self, text, words):
        with pytest.raises(InvalidInput, match=words):
            money.parse(text, "CNY", "price")

    def test_yen_have_no_minor_unit(self):
        assert money.parse("1200", "JPY") == D("1200")
        with pytest.raises(money.MoneyError, match="JPY"):
            money.parse("1200.50", "JPY")

    def test_a_three_place_currency_cannot_be_stored_and_says_so(self):
        with pytest.raises(money.MoneyError, match="keeps 2"):
            money.parse("1.250", "KWD")

    def test_a_float_never_becomes_money(self):
        with pytest.raises(TypeError):
            money.parse(0.1, "CNY")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            money.round_money(0.1, "CNY")  # type: ignore[arg-type]


class TestTheOneRoundingRule:
    @pytest.mark.parametrize("value, expected", [
        ("2.345", "2.35"), ("0.125", "0.13"), ("2.344", "2.34"), ("2.5", "2.50"), ("-0.125", "-0.13"),
    ])
    def test_half_up_to_the_cent(self, value, expected):
        assert money.round_money(D(value), "CNY") == D(expected)

    def test_half_up_to_the_yen(self):
        assert money.round_money(D("100.5"), "JPY") == D("101")
        assert money.round_money(D("100.4"), "JPY") == D("100")

    def test_a_share_is_rounded_by_the_same_rule(self):
        assert money.share(D("10.00"), 1, 3, "CNY") == D("3.33")
        assert money.share(D("0.05"), 1, 2, "CNY") == D("0.03")  # 0.025 half up
        assert money.share(D("5.00"), 1, 0, "CNY") == D("0.00")


class TestAllocating:
    def test_a_fee_split_three_ways_loses_no_cent(self):
        assert money.allocate(D("10.00"), [1, 1, 1], "CNY") == [D("3.34"), D("3.33"), D("3.33")]

    def test_the_biggest_remainder_gets_the_cent(self):
        assert money.allocate(D("1.00"), [1, 2], "CNY") == [D("0.33"), D("0.67")]

    def test_no_weights_split_evenly(self):
        assert money.allocate(D("0.05"), [0, 0], "CNY") == [D("0.03"), D("0.02")]

    @given(st.decimals(min_value=D("-99999.99"), max_value=D("99999.99"), places=2),
           st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12))
    def test_shares_always_add_up_and_stay_within_a_cent(self, amount, weights):
        shares = money.allocate(amount, weights, "CNY")
        assert sum(shares) == amount
        whole = sum(weights) or len(weights)
        for share, weight in zip(shares, weights if sum(weights) else [1] * len(weights)):
            assert abs(share - amount * weight / whole) < D("0.01")


class TestStoring:
    @given(st.decimals(min_value=D("-9999999999.99"), max_value=D("9999999999.99"), places=2))
    def test_every_amount_survives_storage(self, amount):
        assert money.from_stored(money.to_stored(amount)) == amount

    def test_an_amount_with_a_third_place_is_not_stored_silently(self):
        with pytest.raises(money.MoneyError):
            money.to_stored(D("1.005"))

    def test_formatting_says_the_currency(self):
        assert money.format_money(D("1234.5"), "CNY") == "CNY 1,234.50"
        assert money.format_money(D("1234"), "JPY", code=False) == "1,234"
        assert money.format_money(None, "CNY") == ""
