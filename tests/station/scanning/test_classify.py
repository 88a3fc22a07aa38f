"""The scan classifier: one meaning per scan, misreads rejected with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.core.errors import ConfigError, ScanRejected
from station.core.identifiers import make_lpn, make_rma_number
from station.scanning.classify import ScanClassifier, ScanKind, classify_scan, s10_check_ok, ups_check_ok
from station.scanning.formats import DEFAULT_FORMATS_FILE


class TestStationIdentifiers:
    def test_rma_number_is_recognised(self) -> None:
        m = classify_scan(make_rma_number(1234), "code128")
        assert (m.kind, m.value) == (ScanKind.RMA, "RMA000012344")

    def test_misread_rma_check_digit_is_rejected_with_message(self) -> None:
        m = classify_scan("RMA000012345", "code128")
        assert m.kind is ScanKind.REJECTED
        assert m.reason == "RMA number RMA000012345 fails its check digit: a misread."
        with pytest.raises(ScanRejected, match="fails its check digit"):
            m.raise_if_rejected()

    def test_truncated_rma_is_rejected_not_taken_for_something_else(self) -> None:
        m = classify_scan("RMA00001234")
        assert m.kind is ScanKind.REJECTED and "not a whole RMA number" in m.reason

    def test_lpn_and_its_misread(self) -> None:
        lpn = make_lpn(7, 420)
        assert classify_scan(lpn).kind is ScanKind.LPN
        bad = lpn[:-1] + str((int(lpn[-1]) + 1) % 10)
        assert classify_scan(bad).kind is ScanKind.REJECTED


class TestCarrierTracking:
    def test_ups_1z_with_good_and_bad_check_digit(self) -> None:
        assert ups_check_ok("1Z999AA10123456784")
        good = classify_scan("1Z999AA10123456784", "code128")
        assert (good.kind, good.details["carrier"]) == (ScanKind.TRACKING, "UPS")
        assert classify_scan("1Z999AA10123456785", "code128").kind is ScanKind.REJECTED

    def test_ems_s10_check_digit(self) -> None:
        assert s10_check_ok("EE123456785CN") and not s10_check_ok("EE123456784CN")
        m = classify_scan("EE123456785CN")
        assert m.kind is ScanKind.TRACKING and "S10" in m.details["carrier"]

    def test_sf_express_and_generic_carriers(self) -> None:
        assert classify_scan("SF1234567890123", "code128").details["carrier"] == "SF Express"
        assert classify_scan("123456789012", "code128").details["carrier"] == "FedEx"


class TestProductCodes:
    def test_ean13_and_upca_become_gtin14(self) -> None:
        assert classify_scan("4006381333931", "ean13").value == "04006381333931"
        assert classify_scan("036000291452", "upca").value == "00036000291452"
        assert classify_scan("01234565", "upce").value == "00012345000065"

    def test_product_code_misread_is_rejected(self) -> None:
        m = classify_scan("4006381333932", "ean13")
        assert m.kind is ScanKind.REJECTED and "check digit" in m.reason

    @pytest.mark.parametrize(
        "text",
        [
            "]C1010950110153000310AB12\x1d21XYZ",
            "]d2010950110153000310AB12\x1d21XYZ",
            "]Q3010950110153000310AB12\x1d21XYZ",
            "\x1d010950110153000310AB12\x1d21XYZ",
        ],
    )
    def test_gs1_element_strings_with_aim_or_fnc1(self, text: str) -> None:
        m = classify_scan(text)
        assert m.kind is ScanKind.GS1
        assert m.details["ais"] == {"01": "09501101530003", "10": "AB12", "21": "XYZ"}
        assert m.value == "(01)09501101530003(10)AB12(21)XYZ"

    def test_gs1_sscc_and_expiry(self) -> None:
        sscc = "106141411234567897"
        m = classify_scan(f"]C100{sscc}1725123110LOT7", "unknown")
        assert m.kind is ScanKind.GS1
        assert (m.details["sscc"], m.details["expiry"], m.details["lot"]) == (sscc, "251231", "LOT7")
        bad = classify_scan(f"]C100{sscc[:-1]}{(int(sscc[-1]) + 1) % 10}17251231", "unknown")
        assert bad.kind is ScanKind.REJECTED and "SSCC" in bad.reason

    def test_gs1_from_a_camera_symbology_name(self) -> None:
        assert classify_scan("010950110153000310AB12", "gs1-datamatrix").kind is ScanKind.GS1


class TestDockCodes:
    def test_badge_bin_and_commands(self) -> None:
        assert classify_scan("EMP00042").kind is ScanKind.BADGE
        assert classify_scan("A01-02-03").kind is ScanKind.BIN
        for name in ("CONFIRM", "CANCEL", "PASS", "FAIL", "NA", "NEXT", "BACK", "FINISH", "PRINT", "SIGNOUT", "PHOTO"):
            m = classify_scan(f"CMD:{name}", "qrcode")
            assert (m.kind, m.value) == (ScanKind.COMMAND, name)

    def test_quarantine_command_from_the_sheet(self) -> None:
        m = classify_scan("cmd:quarantine\r", "code128")
        assert (m.kind, m.value) == (ScanKind.COMMAND, "QUARANTINE")

    def test_unknown_command_is_rejected(self) -> None:
        assert classify_scan("CMD:LAUNCH").kind is ScanKind.REJECTED

    def test_unknown_text_gets_a_reason(self) -> None:
        m = classify_scan("hello world")
        assert m.kind is ScanKind.UNKNOWN and "not a code this station knows" in m.reason

    def test_control_characters_are_stripped_and_length_bounded(self) -> None:
        assert classify_scan("\x02RMA000012344\x03\r\n").value == "RMA000012344"
        assert classify_scan("\x00\x07").kind is ScanKind.UNKNOWN
        long = classify_scan("A" * 100_000)
        assert long.kind is ScanKind.UNKNOWN and "too long" in long.reason


class TestFormatsFile:
    def test_site_file_adds_a_bin_layout(self, tmp_path: Path) -> None:
        text = DEFAULT_FORMATS_FILE.read_text() + '\n[[bin]]\nname = "cage"\npattern = \'^CAGE\\d{3}$\'\n'
        path = tmp_path / "formats.toml"
        path.write_text(text)
        assert ScanClassifier.from_file(path).classify("CAGE042").kind is ScanKind.BIN
        assert classify_scan("CAGE042").kind is ScanKind.UNKNOWN

    def test_broken_pattern_is_a_config_error_naming_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "formats.toml"
        path.write_text('[badge]\npattern = "EMP(\\\\d"\n')
        with pytest.raises(ConfigError, match="formats.toml"):
            ScanClassifier.from_file(path)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=600), st.sampled_from(["unknown", "code128", "ean13", "upca", "upce", "gs1-128", "qrcode", ""]))
def test_classifier_never_raises_on_any_input(text: str, symbology: str) -> None:
    m = classify_scan(text, symbology)
    assert isinstance(m.kind, ScanKind)
    assert m.ok or m.reason


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789RMALP\x1d]C1dQ3()-:", max_size=60))
def test_classifier_never_raises_on_code_like_input(text: str) -> None:
    assert classify_scan(text).kind in ScanKind
