"""Item checks at receiving, driven without a window (moved from ui/item_checks.py)."""

from __future__ import annotations

from station.core.return_policy import load_policy
from station.receiving.item_checks import ItemChecks, StepKind
from station.receiving.service import ParcelInput
from station.scanning.classify import ScanClassifier
from tests.station.receiving.test_service import dock  # noqa: F401 - fixture


def checks_for(dock, number: str) -> tuple[ItemChecks, object]:  # noqa: ANN001
    card = dock["service"].find(number)
    counts = {line.line_no: line.quantity for line in card.lines}
    return ItemChecks(card, counts.__getitem__, load_policy(), ScanClassifier()), card


class TestItemChecks:
    def test_the_gtin_13_on_the_box_matches_the_line_and_the_serial_in_lower_case_is_the_one_sold(self, dock):  # noqa: ANN001
        checks, card = checks_for(dock, dock["normal"])
        assert checks.take("6901234567892").kind is StepKind.MATCHED
        assert checks.take("PH-X1").kind is StepKind.SERIAL_ASKED
        step = checks.take("sn-a1")
        assert step.kind is StepKind.SERIAL and step.ok
        phone = next(line for line in card.lines if line.sku == "PH-X1")
        assert checks.summary(phone) == ("✓ S/N sn-a1", True)

    def test_receiving_with_those_checks_raises_no_flag(self, dock):  # noqa: ANN001
        checks, card = checks_for(dock, dock["normal"])
        for scan in ("6901234567892", "6901234567892", "PH-X1", "sn-a1"):
            checks.take(scan)
        result = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(items=checks.items))
        assert "serial_mismatch" not in result.flags and "wrong_item" not in result.flags

    def test_another_serial_is_flagged_by_both_the_check_and_the_service(self, dock):  # noqa: ANN001
        checks, _card = checks_for(dock, dock["normal"])
        checks.take("PH-X1")
        assert not checks.take("SN-B2").ok
        result = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(items=checks.items))
        assert "serial_mismatch" in result.flags

    def test_slots_follow_the_policy_one_per_unit_created(self, dock):  # noqa: ANN001
        checks, card = checks_for(dock, dock["normal"])
        shirt = next(line for line in card.lines if line.sku == "TS-RED-M")
        phone = next(line for line in card.lines if line.sku == "PH-X1")
        assert checks.slots(phone) == 1
        assert checks.slots(shirt) in (1, 2)  # apparel: as the policy splits it

    def test_a_lowered_count_drops_the_checks_of_the_items_no_longer_counted(self, dock):  # noqa: ANN001
        card = dock["service"].find(dock["normal"])
        shirt = next(line for line in card.lines if line.sku != "PH-X1")
        counts = {line.line_no: line.quantity for line in card.lines}
        checks = ItemChecks(card, counts.__getitem__, load_policy(), ScanClassifier())
        checks.take("6901234567892")
        checks.take("6901234567892")
        assert checks.summary(shirt) == ("✓  ✓", True)
        counts[shirt.line_no] = 1
        checks.recount(shirt.line_no)
        assert checks.summary(shirt) == ("✓", True)
        counts[shirt.line_no] = 0
        checks.recount(shirt.line_no)
        assert checks.summary(shirt) == ("", True) and shirt.line_no not in checks.items
