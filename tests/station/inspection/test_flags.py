"""Fraud and mismatch flags: each flag raised by the facts meant to raise it, and not otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.catalog.reasons import load_reasons
from station.core.return_policy import load_policy
from station.inspection.checklists import ChecklistLibrary
from station.inspection.flags import UnitFacts, compute_flags
from station.receiving.flags import FlagCode

LIBRARY = ChecklistLibrary(override_dir=Path("/nonexistent/config"), archive_dir=Path("/nonexistent/archive"))
POLICY = load_policy(Path(__file__).resolve().parents[3] / "station" / "data" / "policy.toml")
REASONS = load_reasons(Path(__file__).resolve().parents[3] / "station" / "data" / "reasons.toml")
ELECTRONICS = LIBRARY.for_category("electronics")
APPAREL = LIBRARY.for_category("apparel")
SOLD = dict(expected_sku="PH-X1", expected_gtin="06901234567892", expected_serial="SN-A1",
            reason_code="defective", customer_returns=1)


def flags(facts: UnitFacts, answers=None, checklist=ELECTRONICS) -> dict[FlagCode, str]:
    return {f.code: f.detail for f in compute_flags(facts, checklist, answers or {}, REASONS, POLICY)}


# (facts, answers, checklist, expected flag, words in the detail)
CASES = [
    (UnitFacts(**SOLD, received_sku="PH-X2"), {}, ELECTRONICS, FlagCode.WRONG_ITEM, "scanned PH-X2, sold PH-X1"),
    (UnitFacts(**SOLD, received_gtin="4006381333931"), {}, ELECTRONICS, FlagCode.WRONG_ITEM, "GTIN 4006381333931"),
    (UnitFacts(**SOLD), {"item_matches": "fail"}, ELECTRONICS, FlagCode.WRONG_ITEM, "inspector: item_matches"),
    (UnitFacts(**SOLD, unit_flags=("wrong_item",)), {}, ELECTRONICS, FlagCode.WRONG_ITEM, "flagged at receiving"),
    (UnitFacts(**SOLD, received_serial="SN-B7"), {}, ELECTRONICS, FlagCode.SERIAL_MISMATCH, "received SN-B7, sold SN-A1"),
    (UnitFacts(**SOLD), {"serial_matches": "fail"}, ELECTRONICS, FlagCode.SERIAL_MISMATCH, "serial_matches failed"),
    (UnitFacts(**SOLD), {"accessories": "fail"}, ELECTRONICS, FlagCode.MISSING_PARTS, "accessories failed"),
    (UnitFacts(**SOLD, parcel_weight_g=120, expected_parcel_weight_g=400), {}, ELECTRONICS,
     FlagCode.LIGHT_PARCEL, "parcel weighed 120 g; its contents should weigh 400 g"),
    (UnitFacts(**SOLD, receipt_flags=("light_parcel", "partial")), {}, ELECTRONICS, FlagCode.LIGHT_PARCEL,
     "flagged at receiving"),
    (UnitFacts(**{**SOLD, "reason_code": "size"}), {"unworn": "fail"}, APPAREL, FlagCode.USED_AND_RETURNED,
     "reason 'Did not fit (size)' but wear signs found: unworn"),
    (UnitFacts(**{**SOLD, "reason_code": "changed_mind"}), {"stains": "small"}, APPAREL,
     FlagCode.USED_AND_RETURNED, "stains"),
    (UnitFacts(**{**SOLD, "customer_returns": 6}), {}, ELECTRONICS, FlagCode.REPEAT_RETURNER,
     "6 returns in 90 days (limit 5)"),
]


@pytest.mark.parametrize(("facts", "answers", "checklist", "code", "words"), CASES,
                         ids=[f"{c[3].value}-{n}" for n, c in enumerate(CASES)])
def test_flag_raised_with_its_facts(facts, answers, checklist, code, words):
    found = flags(facts, answers, checklist)
    assert list(found) == [code]
    assert words in found[code]


@pytest.mark.parametrize(
    ("facts", "answers", "checklist"),
    [
        (UnitFacts(**SOLD, received_sku="PH-X1", received_serial="sn-a1"), {}, ELECTRONICS),
        (UnitFacts(**SOLD, received_sku="6901234567892"), {}, ELECTRONICS),  # GTIN scanned, zero-padded
        (UnitFacts(**SOLD, parcel_weight_g=200, expected_parcel_weight_g=400), {}, ELECTRONICS),  # exactly 50 %
        (UnitFacts(**SOLD, parcel_weight_g=None, expected_parcel_weight_g=400), {}, ELECTRONICS),
        (UnitFacts(**SOLD), {"unworn": "fail"}, APPAREL),  # worn, but returned as defective
        (UnitFacts(**{**SOLD, "reason_code": "size"}), {"damage": "fail"}, APPAREL),  # damage is no wear sign
        (UnitFacts(**{**SOLD, "customer_returns": 5}), {}, ELECTRONICS),
        (UnitFacts(**SOLD), {"serial_matches": "na", "powers_on": "fail"}, ELECTRONICS),
    ],
)
def test_no_flag_without_cause(facts, answers, checklist):
    assert flags(facts, answers, checklist) == {}


def test_answers_to_skipped_questions_raise_nothing():
    # the accessories answer counts, the screen answer does not (no power: screen not asked)
    found = flags(UnitFacts(**SOLD), {"powers_on": "fail", "screen": "cracked_or_dead_pixels"})
    assert found == {}


def test_several_flags_come_in_a_fixed_order():
    facts = UnitFacts(**{**SOLD, "customer_returns": 9, "received_serial": "X"}, parcel_weight_g=10,
                      expected_parcel_weight_g=500)
    found = compute_flags(facts, ELECTRONICS, {"accessories": "fail"}, REASONS, POLICY)
    assert [f.code for f in found] == [FlagCode.SERIAL_MISMATCH, FlagCode.MISSING_PARTS,
                                       FlagCode.LIGHT_PARCEL, FlagCode.REPEAT_RETURNER]
    assert all(f.en and f.zh for f in found)
