"""An admin's policy file is checked before it is used: every value of the wrong type or
range is named on its line, all at once (negative windows and limits used to pass, and
"thirty" gave a Python message with no line)."""

from __future__ import annotations

import pytest

from station.catalog.reasons import load_reasons
from station.core.errors import ConfigError
from station.core.return_policy import SHIPPED, PolicyProblems, parse_policy
from station.policy.check import check_policy_text, known_categories


def lines_of(text: str) -> dict[str, int]:
    return {line.split("=")[0].strip(): n for n, line in enumerate(text.splitlines(), 1) if "=" in line}


def test_every_bad_number_is_named_on_its_line_at_once():
    shipped = SHIPPED.read_text(encoding="utf-8")
    text = (shipped.replace("default_days = 30", "default_days = -5", 1)
            .replace("shoes = 30", 'shoes = "thirty"', 1)
            .replace("light_parcel_ratio = 0.5", "light_parcel_ratio = 7", 1)
            .replace('refund_limit = "2000.00"', 'refund_limit = "-3"', 1)
            .replace("returns = 5", "returns = -1", 1))
    policy, problems = check_policy_text(text, "site.toml", load_reasons(), known_categories())
    at = lines_of(text)
    assert policy is None
    assert problems == sorted(problems, key=lambda p: int(p.split(":")[1]))
    assert f"site.toml:{at['shoes']}: window.days.shoes must be a whole number from 0 to 3650, not 'thirty'" \
        in problems
    assert f"site.toml:{at['default_days']}: window.default_days must be a whole number from 0 to 3650, not -5" \
        in problems
    assert f"site.toml:{at['light_parcel_ratio']}: weight.light_parcel_ratio must be a number from 0 to 1, not 7" \
        in problems
    assert f"site.toml:{at['refund_limit']}: auto_approve.refund_limit must be an amount from 0 or more, " \
           "not '-3'" in problems
    assert any(p.startswith(f"site.toml:{at['returns']}: repeat_returner.returns must be") for p in problems)
    assert len(problems) == 5


def test_the_shipped_policy_is_valid_and_a_true_is_not_a_number():
    import tomllib

    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    assert parse_policy(data).default_window_days == 30
    data["window"]["grace_days"] = True
    with pytest.raises(PolicyProblems, match="window.grace_days must be a whole number from 0 to 3650, not True"):
        parse_policy(data)
    assert issubclass(PolicyProblems, ConfigError)  # every caller that refused a bad policy still does
