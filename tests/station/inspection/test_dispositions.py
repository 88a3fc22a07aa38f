"""Disposition rules: every shipped rule fires for the units it is meant for, every kind is
reachable, bad rule files are refused with file and line, ``rules check`` finds dead rules,
and any unit gets exactly one disposition."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.core.errors import ConfigError
from station.inspection.dispositions import SHIPPED, UnitCase, check_rules, load_rules, read_rules
from station.receiving.flags import FlagCode
from station.models import DispositionKind, Grade
from ui.cli import main

DATA = Path(__file__).resolve().parents[2] / "data" / "qc"
RULES = read_rules(SHIPPED)
A, B, C, D = Grade.A, Grade.B, Grade.C, Grade.D


def case(grade: Grade, category: str = "apparel", value: str = "100", reason: str = "size",
         rtv: bool = False, flags: tuple[str, ...] = ()) -> UnitCase:
    return UnitCase(grade=grade, flags=frozenset(flags), reason=reason, category=category,
                    value=Decimal(value), rtv_allowed=rtv)


# (unit, expected kind, expected rule, expected bin class)
TABLE = [
    (case(A, flags=("wrong_item",)), "quarantine", "flagged_to_quarantine", "QUARANTINE"),
    (case(D, "cosmetics", "89"), "scrap", "cosmetics_opened_scrap", "HYGIENE-WASTE"),
    (case(C, "cosmetics", "89", rtv=True, reason="defective"), "donate", "cosmetics_short_dated_donate", "DONATE"),
    (case(A, "electronics", "2999"), "restock", "restock_as_new", "RESALE-A"),
    (case(B, "shoes", "459"), "restock", "restock_open_box", "RESALE-B"),
    (case(D, "electronics", "2999", "defective", rtv=True), "return_to_vendor", "defective_back_to_vendor", "RTV"),
    (case(C, "small_appliances", "329", "quality", rtv=True), "return_to_vendor", "defective_back_to_vendor", "RTV"),
    (case(C, "electronics", "2999", "defective", rtv=False), "refurbish", "refurbish_worth_it", "REFURB"),
    (case(C, "apparel", "200.00"), "refurbish", "refurbish_worth_it", "REFURB"),
    (case(D, "electronics", "1000.00"), "refurbish", "repair_valuable_electrical", "REPAIR"),
    (case(C, "apparel", "199.99"), "donate", "textiles_donate", "DONATE"),
    (case(C, "electronics", "150"), "recycle", "electrical_recycle", "WEEE"),
    (case(D, "small_appliances", "999.99"), "recycle", "electrical_recycle", "WEEE"),
    (case(C, "toys", "50"), "donate", "low_value_donate", "DONATE"),
    (case(D, "shoes", "459"), "recycle", "defective_textiles_recycle", "TEXTILE"),
    (case(D, "toys", "50"), "scrap", "defective_scrap", "SCRAP"),
]


class TestShippedRules:
    @pytest.mark.parametrize(("unit", "kind", "rule", "bin_class"), TABLE,
                             ids=[f"{row[2]}-{row[0].grade}-{row[0].category}" for row in TABLE])
    def test_decision(self, unit, kind, rule, bin_class):
        decision = RULES.decide(unit)
        assert (decision.kind.value, decision.rule.name, decision.bin_class) == (kind, rule, bin_class)
        assert decision.because_en == decision.rule.en and decision.because_zh

    def test_table_covers_every_rule_but_the_fallback_and_every_kind(self):
        fired = {row[2] for row in TABLE}
        assert fired == {r.name for r in RULES.rules[:-1]}
        assert {row[1] for row in TABLE} == {k.value for k in DispositionKind}

    def test_no_unreachable_rules(self):
        report = check_rules(RULES)
        assert report.ok, [r.name for r in report.unreachable]

    def test_trail_says_why_earlier_rules_did_not_fire(self):
        trail = RULES.trail(case(C, "apparel", "150"))
        assert [r.name for r, _ in trail][-1] == "textiles_donate"
        assert trail[0][1] == ["the unit has no flags"]
        assert "value 150 is below 200.00" in trail[[r.name for r, _ in trail].index("refurbish_worth_it")][1]
        assert trail[-1][1] == []


class TestBadRulesRefused:
    @pytest.mark.parametrize(
        ("name", "line", "words"),
        [
            ("rules_no_fallback.toml", 11, "there is no fallback"),
            ("rules_duplicate_name.toml", 12, "duplicate rule name 'restock'"),
            ("rules_bad_kind.toml", 6, "kind 'sell_on_ebay' is not one of"),
        ],
    )
    def test_refused_with_file_line_and_reason(self, name, line, words):
        with pytest.raises(ConfigError) as err:
            read_rules(DATA / name)
        assert str(err.value).startswith(f"{DATA / name}, line {line}: ")
        assert words in str(err.value)

    def test_fallback_in_the_middle_is_refused(self, tmp_path):
        text = SHIPPED.read_text(encoding="utf-8").replace(
            'name = "restock_as_new"\ngrade = ["A"]\n', 'name = "restock_as_new"\n')
        path = tmp_path / "rules.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=r"line \d+: rule 'restock_as_new' has no conditions"):
            read_rules(path)

    def test_invalid_site_rules_fall_back_to_shipped(self, tmp_path, caplog):
        path = tmp_path / "disposition_rules.toml"
        path.write_text((DATA / "rules_no_fallback.toml").read_text(encoding="utf-8"), encoding="utf-8")
        assert load_rules(path).rules == RULES.rules
        assert "there is no fallback" in caplog.text

    def test_unreachable_rule_reported(self):
        report = check_rules(read_rules(DATA / "rules_unreachable.toml"))
        assert [r.name for r in report.unreachable] == ["expensive_c_rtv"]
        assert report.fallback_reached


class TestRulesCommand:
    def test_check_shipped_rules_ok(self, capsys):
        assert main(["rules", "check", str(SHIPPED)]) == 0
        out = capsys.readouterr().out
        assert "14 rules, fallback 'fallback_supervisor_decides'" in out and out.rstrip().endswith("OK.")
        assert "overlap: 'flagged_to_quarantine' (quarantine) wins over 'restock_as_new'" in out

    def test_check_reports_unreachable_and_fails(self, capsys):
        assert main(["rules", "check", str(DATA / "rules_unreachable.toml")]) == 1
        out = capsys.readouterr().out
        assert "UNREACHABLE line 10: rule 'expensive_c_rtv'" in out

    def test_check_bad_file_names_file_and_line(self, capsys):
        assert main(["rules", "check", str(DATA / "rules_bad_kind.toml")]) == 2
        assert f"{DATA / 'rules_bad_kind.toml'}, line 6:" in capsys.readouterr().err

    def test_check_accepts_a_checklist_template(self, capsys):
        path = SHIPPED.parent / "checklists" / "cosmetics.toml"
        assert main(["rules", "check", str(path)]) == 0
        assert "checklist cosmetics v2" in capsys.readouterr().out


    @pytest.mark.parametrize(("shipped", "typo", "message"), [
        ('category = ["electronics", "small_appliances"]', 'category = ["electronic", "small_appliances"]',
         "category 'electronic' is not a known category. Did you mean 'electronics'?"),
        ('reason = ["defective", "quality", "not_as_described"]', 'reason = ["defectve", "quality", "not_as_described"]',
         "reason 'defectve' is not a known reason. Did you mean 'defective'?"),
    ])
    def test_misspelt_category_or_reason_is_refused_with_its_line(self, tmp_path, capsys, shipped, typo, message):
        """A misspelt name matches no unit: the rule would silently never fire."""
        text = SHIPPED.read_text(encoding="utf-8")
        assert shipped in text
        path = tmp_path / "rules.toml"
        path.write_text(text.replace(shipped, typo, 1), encoding="utf-8")
        line = text[:text.index(shipped)].count("\n") + 1
        assert main(["rules", "check", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(f"rma-station: {path}, line ") and message in err
        assert len(err.splitlines()) == 1
        reported = int(err.split(", line ")[1].split(":")[0])
        assert reported <= line  # the rule's header, at or above the misspelt key

    @pytest.mark.parametrize("nesting", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000])
    def test_toml_nested_thousands_deep_is_one_line(self, tmp_path, capsys, nesting):
        path = tmp_path / "rules.toml"
        path.write_text(nesting + "\n", encoding="utf-8")
        assert main(["rules", "check", str(path)]) == 2
        err = capsys.readouterr().err
        assert err == (f"rma-station: {path}: nests arrays or tables too deeply to be a station data file. "
                       "Fix the file; the last good version stays in use.\n")


units = st.builds(
    UnitCase,
    grade=st.sampled_from(list(Grade)),
    flags=st.frozensets(st.sampled_from([f.value for f in FlagCode])),
    reason=st.sampled_from(["size", "defective", "quality", "damaged", "changed_mind", "", "weird"]),
    category=st.sampled_from(["apparel", "shoes", "electronics", "small_appliances", "cosmetics", "toys", ""]),
    value=st.decimals(min_value=0, max_value=100000, places=2),
    rtv_allowed=st.booleans(),
)


class TestProperties:
    @settings(max_examples=500, deadline=None)
    @given(units)
    def test_any_unit_gets_exactly_one_disposition_from_the_first_matching_rule(self, unit):
        decision = RULES.decide(unit)
        matching = [r for r in RULES.rules if r.matches(unit)]
        assert matching[0] is decision.rule
        assert decision.kind in DispositionKind
        if unit.flags:
            assert decision.kind == DispositionKind.QUARANTINE
        if decision.kind == DispositionKind.RESTOCK:
            assert unit.grade in (A, B) and not unit.flags
        if decision.kind == DispositionKind.RETURN_TO_VENDOR:
            assert unit.rtv_allowed
