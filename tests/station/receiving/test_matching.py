"""One answer to "is this the same item / serial" (issue 15: three copies disagreed)."""

from __future__ import annotations

import pytest

from station.receiving.matching import normalise_gtin, same_gtin, same_item, same_serial, serial_differs


class TestGtin:
    @pytest.mark.parametrize("code", ["6901234567892", "06901234567892", "0006901234567892"[2:]])
    def test_gtin_13_and_its_gtin_14_form_are_the_same_item(self, code: str) -> None:
        assert same_gtin(code, "06901234567892")

    def test_upc_a_equals_its_ean_13_with_a_leading_zero(self) -> None:
        assert same_gtin("036000291452", "0036000291452")

    def test_a_misread_check_digit_matches_nothing(self) -> None:
        assert normalise_gtin("6901234567893") == ""
        assert not same_gtin("6901234567893", "6901234567893")

    def test_zeros_inside_a_code_are_not_stripped_away(self) -> None:
        # lstrip("0") made "0AB" equal "AB"; a SKU is never a GTIN.
        assert not same_item("0TS-100", "TS-100", "")
        assert normalise_gtin("00012") == ""


class TestSerial:
    def test_serials_differing_only_in_case_and_spaces_are_the_same(self) -> None:
        assert same_serial(" sn-abc123 ", "SN-ABC123")
        assert not serial_differs("sn-abc123", "SN-ABC123")

    def test_another_serial_differs(self) -> None:
        assert serial_differs("SN-XYZ", "SN-ABC123")

    def test_no_serial_on_either_side_is_no_difference(self) -> None:
        assert not serial_differs("", "SN-ABC123") and not serial_differs("SN-1", "")


class TestItem:
    def test_sku_any_case_or_the_gtin_names_the_item(self) -> None:
        assert same_item("ts-100", "TS-100", "06901234567892")
        assert same_item("6901234567892", "TS-100", "06901234567892")
        assert not same_item("PH-200", "TS-100", "06901234567892")


def test_receiving_flags_and_inspection_flags_agree_on_a_lower_case_serial() -> None:
    """Receiving and the inspection flags give the same answer for the same facts."""
    from station.inspection.flags import UnitFacts, serial_findings, wrong_item_findings
    from station.receiving.service import ItemCheck, item_flags

    check = ItemCheck("TS-100", "sn-abc123")
    assert "serial_mismatch" not in item_flags("TS-100", "06901234567892", "SN-ABC123", check)
    assert serial_findings(UnitFacts(expected_serial="SN-ABC123", received_serial="sn-abc123")) == []
    assert wrong_item_findings(UnitFacts(expected_sku="TS-100", expected_gtin="06901234567892",
                                         received_sku="6901234567892")) == []
    assert "wrong_item" not in item_flags("TS-100", "06901234567892", "", ItemCheck("6901234567892"))
