"""Reason codes: one bilingual list shared by QC, the return policy and analytics."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.catalog.reasons import SHIPPED, Fault, load_reasons, parse_reasons
from station.core.datafiles import read_toml
from station.core.errors import ConfigError
from station.core.return_policy import load_policy

REASONS = load_reasons(SHIPPED)


def test_codes_named_in_the_issue_are_there_bilingual():
    for code in ("size", "damaged", "not_as_described", "wrong_item_sent", "changed_mind",
                 "defective", "late_delivery"):
        reason = REASONS.get(code)
        assert REASONS.known(code) and reason.en and reason.zh and reason.en != reason.zh


def test_every_reason_the_policy_names_exists():
    policy = load_policy(SHIPPED.with_name("policy.toml"))
    for code in policy.fee_exempt_reasons | policy.merchant_pays_for:
        assert REASONS.known(code), code


def test_did_not_fit_expects_an_unused_item_defective_does_not():
    assert REASONS.get("size").expects_unused and not REASONS.get("defective").expects_unused
    assert REASONS.get("defective").fault == Fault.MERCHANT


def test_unknown_code_reads_as_itself():
    reason = REASONS.get("moon_phase")
    assert (reason.en, reason.fault, reason.expects_unused) == ("moon_phase", Fault.CUSTOMER, False)


def test_duplicate_code_refused_with_line(tmp_path: Path):
    text = SHIPPED.read_text(encoding="utf-8").replace('code = "changed_mind"', 'code = "size"')
    path = tmp_path / "reasons.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}, line 19: duplicate reason code 'size'"):
        parse_reasons(read_toml(path))


def test_invalid_site_list_falls_back_to_shipped(tmp_path: Path):
    path = tmp_path / "reasons.toml"
    path.write_text('version = 1\n[[reason]]\ncode = "size"\nfault = "nobody"\nen = "x"\nzh = "y"\n')
    assert load_reasons(path) == REASONS
