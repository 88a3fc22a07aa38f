"""Issue 26, warn: one reason dominating a lot's returns raises a ``lot_reason_share`` alert
through the same rule engine as the other lot kinds (owner, ``lot.alert`` event, units linked),
in English and Chinese; the rule's fields are checked with their line, by ``rules check`` too."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import select

from station.core.errors import ConfigError
from station.models import DomainEvent
from station.supervision.alert_words import message_zh, subject_words
from station.supervision.alerts import AlertService
from tests.helpers.builders import NOW, make_context
from tests.station.lots.test_lot_alerts_and_holds import rules_from

RULES = """
version = 1
[[rule]]
id = "lot_one_reason"
kind = "lot_reason_share"
min_units = 10
min_share_percent = 60.0
owner_email = "quality@acme.example"
"""


def test_a_lot_where_one_reason_dominates_raises_an_alert_to_its_owner_in_both_languages(lot_dock, tmp_path) -> None:  # noqa: ANN001
    result = AlertService(make_context(lot_dock["sf"], lot_dock["clock"]), rules_from(tmp_path, RULES)).check(NOW.date())
    assert [(a.rule, a.subject) for a in result.raised] == [("lot_one_reason", "lot LS-01 L2")]  # L1, L3: too few
    alert = result.raised[0]
    assert alert.owner_email == "quality@acme.example"
    assert alert.message.startswith("Lot L2 of LS-01: 8 of 12 units returned in ")
    assert alert.message.endswith(" said Defective / does not work (66.7 %; limit 60.0 % of at least 10).")
    assert sorted(alert.figures["lpns"]) == sorted(lot_dock["lpns"]["L2"])
    assert (alert.figures["top_reason"], alert.figures["share_pct"], alert.figures["measure"]) == \
        ("defective", 66.67, "reason_share")
    assert subject_words(alert.subject, alert.figures, True) == "批号 L2（LS-01）"
    zh = message_zh(alert.message, alert.figures)
    assert zh.startswith("批号 L2（LS-01）在 ") and zh != alert.message
    assert zh.endswith("退货 12 件，其中 8 件（66.7%）的原因是\u201c质量问题/无法使用\u201d，达到上限 60.0%（至少 10 件）。")
    with lot_dock["sf"]() as db:
        event = db.scalars(select(DomainEvent).where(DomainEvent.name == "lot.alert")).one()
    assert event.payload["rule"] == "lot_one_reason" and event.payload["figures"]["top_units"] == 8


def test_no_alert_when_the_commonest_reason_is_under_the_share(lot_dock, tmp_path) -> None:  # noqa: ANN001
    rules = rules_from(tmp_path, RULES.replace("min_share_percent = 60.0", "min_share_percent = 70.0"))
    assert AlertService(make_context(lot_dock["sf"], lot_dock["clock"]), rules).check(NOW.date()).raised == ()


def test_no_alert_for_a_lot_with_fewer_returns_than_the_rule_asks(lot_dock, tmp_path) -> None:  # noqa: ANN001
    rules = rules_from(tmp_path, RULES.replace("min_units = 10", "min_units = 13"))
    assert AlertService(make_context(lot_dock["sf"], lot_dock["clock"]), rules).check(NOW.date()).raised == ()


@pytest.mark.parametrize(("change", "says", "line"), [
    (("min_share_percent = 60.0", "min_share_percent = 140.0"), "min_share_percent 140.0 must be above 0", 7),
    (("min_units = 10", "min_units = 0"), "min_units 0 must be at least 1", 6),
    (("min_units = 10", "min_units = 10\nmax_units = 3"), "max_units", 7),
    (('min_share_percent = 60.0\n', ''), "min_share_percent", None),
])
def test_rules_check_refuses_a_bad_reason_share_rule_with_its_line(tmp_path, capsys, change, says, line) -> None:  # noqa: ANN001
    from ui.cli.commands.rules import _check

    path = tmp_path / "alerts.toml"
    path.write_text(RULES.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError, match=says) as refused:
        _check(argparse.Namespace(file=path))
    if line is not None:
        assert f"line {line}:" in str(refused.value)


def test_rules_check_accepts_the_shipped_alerts_file_and_a_good_reason_share_rule(tmp_path, capsys) -> None:  # noqa: ANN001
    from station.analytics.thresholds import SHIPPED
    from ui.cli.commands.rules import _check

    path = tmp_path / "alerts.toml"
    path.write_text(RULES, encoding="utf-8")
    assert _check(argparse.Namespace(file=path)) == 0
    assert "1 alert rules (lot_reason_share). OK." in capsys.readouterr().out
    text = SHIPPED.read_text(encoding="utf-8")
    block = text[text.index('# id = "lot_one_reason"'):].split("\n#\n")[0]
    example = "version = 1\n[[rule]]\n" + "\n".join(line.removeprefix("# ") for line in block.splitlines())
    rule = rules_from(tmp_path, example).rules[0]  # the shipped example, uncommented, is a valid rule
    assert (rule.kind, rule["min_units"], rule["min_share_percent"]) == ("lot_reason_share", 5, 60.0)
    assert _check(argparse.Namespace(file=SHIPPED)) == 0
