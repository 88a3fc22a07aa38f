"""Clerk stories at the dock, driven through the real window with a fake wedge scanner."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import select

from station.models import LabelJob, Receipt, ReceiptStatus, Unit
from tests.helpers.builders import NOW, add_rma
from tests.ui.conftest import Station, sign_in
from ui.bridge import Level
from ui.views.receiving import ReceivingView


@pytest.fixture
def clerk(station: Station) -> ReceivingView:
    sign_in(station, "EMP1001", "1234")
    view = station.window.views.get("receiving")
    assert isinstance(view, ReceivingView)
    return view


def make_rma(station: Station, catalogue, **kw):  # noqa: ANN001, ANN201
    with station.session_factory.begin() as db:
        lines = kw.pop("lines", None) or [(catalogue["shirt"], 2)]
        return add_rma(db, lines, **kw)


class TestSignIn:
    def test_badge_scan_and_pin_show_the_clerks_views(self, station: Station) -> None:
        sign_in(station, "EMP1001", "1234")
        assert station.window.actor is not None and station.window.actor.name == "Zhang Min"
        assert set(station.window.views) == {"receiving"}
        assert station.last.title == "Welcome, Zhang Min"
        assert "Zhang Min (clerk)" in station.window.status.operator.text()

    def test_wrong_pin_is_refused_with_a_banner(self, station: Station) -> None:
        sign_in(station, "EMP1001", "9999")
        assert station.window.actor is None
        assert station.last.code == "authentication_failed"
        assert station.last.text == "Badge or PIN not recognised."
        assert station.window.signin.banner.message == station.last

    def test_parcel_label_scanned_before_sign_in_is_not_taken_as_a_badge(self, station: Station,
                                                                         catalogue) -> None:  # noqa: ANN001
        number = make_rma(station, catalogue).number
        station.keys.scan(number)
        assert station.window.signin.badge.text() == ""
        assert station.last.code == "locked"
        assert station.last.text == f"{number} is a parcel or product label, not a badge."
        sign_in(station, "EMP1001", "1234")
        assert station.window.actor is not None

    def test_sign_out_by_command_scan_and_idle_lock(self, station: Station, qtbot) -> None:  # noqa: ANN001
        sign_in(station, "EMP1001", "1234")
        station.keys.scan("CMD:SIGNOUT")
        assert station.window.actor is None
        sign_in(station, "EMP1001", "1234")
        station.window.idle.set_minutes(0.001)  # 60 ms
        station.window.idle.arm()
        qtbot.waitUntil(lambda: station.window.actor is None, timeout=2000)
        assert station.last.title == "Station locked"


class TestNormalParcel:
    def test_one_scan_and_one_enter_receive_it_and_queue_lpn_labels(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue, lines=[(catalogue["shirt"], 1), (catalogue["phone"], 2)])
        station.keys.scan(rma.number)
        assert clerk.card.card is not None and clerk.card.card.number == rma.number
        assert station.last.title == f"RMA {rma.number} found"
        assert clerk.card.lines.item(0, 1).text() == "Cotton T-shirt  ·  纯棉T恤"
        station.keys.press("Return")
        assert station.last.level == Level.OK and station.last.code == "received"
        assert station.last.text == f"RMA {rma.number} received: 3 units."
        assert station.last.next_step == "Print 3 LPN labels and send the units to QC."
        assert station.count(Receipt, Receipt.status == ReceiptStatus.RECEIVED) == 1
        assert station.count(Unit) == 3  # the phones are serialised: one unit each
        with station.session_factory() as db:
            lpns = set(db.scalars(select(Unit.lpn)))
            job = db.scalars(select(LabelJob)).one()
        assert job.kind == "lpn" and job.subject == rma.number and job.payload.startswith(b"%PDF")
        assert {clerk.lpns.item(i).text().split()[0] for i in range(clerk.lpns.count())} == lpns
        assert station.dock.sounds.played[-1] == "ok"

    def test_confirm_by_command_barcode_and_keypad_enter_for_the_scan(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue, tracking="SF1234567890")
        station.keys.scan("SF1234567890", terminator="Enter")
        assert clerk.card.card is not None and clerk.card.card.number == rma.number
        station.keys.scan("CMD:CONFIRM")
        assert station.last.code == "received"

    def test_typed_code_and_enter_work_without_a_scanner(
            self, station: Station, clerk: ReceivingView, catalogue, qtbot) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue)
        clerk.code.setFocus()
        station.keys.type(rma.number.lower())
        qtbot.waitUntil(lambda: clerk.code.text() == rma.number.lower())
        station.keys.press("Return")
        qtbot.waitUntil(lambda: clerk.card.card is not None)
        station.keys.press("Return")
        qtbot.waitUntil(lambda: station.last.code == "received")


class TestExceptions:
    def test_unknown_parcel_gets_quarantine_prompt_then_record(
            self, station: Station, clerk: ReceivingView) -> None:
        station.keys.scan("JD0099887766")
        assert station.last.level == Level.ERROR and station.last.title == "Unknown parcel"
        assert station.last.next_step.startswith("Check the label. No RMA? Press F9")
        assert station.dock.sounds.played[-1] == "unknown"
        station.keys.press("F9")
        assert station.last.code == "quarantined"
        assert station.last.text == "Parcel JD0099887766 has no RMA: recorded in quarantine."
        assert station.count(Receipt, Receipt.status == ReceiptStatus.QUARANTINED) == 1

    def test_misread_rma_number_is_rejected_by_its_check_digit(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue)
        bad = rma.number[:-1] + str((int(rma.number[-1]) + 1) % 10)
        station.keys.scan(bad)
        assert station.last.code == "scan_rejected"
        assert station.last.text == f"{bad} fails its check digit: a misread or a mistyped RMA number."
        assert clerk.card.card is None

    def test_expired_rma_is_held_for_a_supervisor(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue, authorised=NOW - dt.timedelta(days=60))
        station.keys.scan(rma.number)
        assert station.last.code == "late" and station.last.level == Level.WARNING
        station.keys.press("Return")
        assert station.last.code == "awaiting_approval"
        assert station.last.title == "Held for a supervisor"
        assert "30 days past its deadline" in station.last.text
        assert station.dock.sounds.played[-1] == "attention"
        assert station.count(Receipt, Receipt.status == ReceiptStatus.AWAITING_APPROVAL) == 1

    def test_duplicate_scan_says_when_and_by_whom_and_writes_nothing(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue)
        station.keys.scan(rma.number)
        station.keys.press("Return")
        station.keys.scan(rma.number)
        assert station.last.code == "duplicate" and station.last.title == "Already received"
        assert "by Zhang Min" in station.last.text
        assert station.count(Receipt) == 1 and station.count(LabelJob) == 1
        assert station.dock.sounds.played[-1] == "duplicate"

    def test_partial_parcel_after_lowering_a_count(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue, lines=[(catalogue["shirt"], 3)])
        station.keys.scan(rma.number)
        clerk.card.spins[1].setValue(1)
        station.keys.scan("CMD:CONFIRM")
        assert station.last.code == "partial" and station.last.title == "Partly received"
        assert station.last.text == f"RMA {rma.number} partly received: 2 item(s) still missing."
        assert station.dock.sounds.played[-1] == "partial"

    def test_outcomes_sound_different(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        ok = make_rma(station, catalogue)
        station.keys.scan(ok.number)
        station.keys.press("Return")
        station.keys.scan(ok.number)
        station.keys.scan("XX-NOT-AN-RMA")
        assert station.dock.sounds.played[-3:] == ["ok", "duplicate", "unknown"]


class TestScanWhileTyping:
    def test_a_scan_into_a_focused_field_is_routed_not_typed(
            self, station: Station, clerk: ReceivingView, catalogue, qtbot) -> None:  # noqa: ANN001
        rma = make_rma(station, catalogue)
        clerk.code.setFocus()
        station.keys.type("ab")
        station.keys.scan(rma.number)
        qtbot.waitUntil(lambda: clerk.code.text() == "ab")
        assert isinstance(QApplication.focusWidget(), QLineEdit)
        assert clerk.card.card is not None and clerk.card.card.number == rma.number
        assert rma.number not in clerk.code.text()


class TestQuarantineCommand:
    def test_cmd_quarantine_does_what_f9_does(self, station: Station, clerk: ReceivingView) -> None:
        station.keys.scan("CMD:QUARANTINE")
        assert station.last.code == "nothing_pending" and station.last.title == "Nothing to quarantine"
        station.keys.scan("JD0099887766")
        station.keys.scan("CMD:QUARANTINE")
        assert station.last.code == "quarantined"
        assert station.last.text == "Parcel JD0099887766 has no RMA: recorded in quarantine."
        assert station.count(Receipt, Receipt.status == ReceiptStatus.QUARANTINED) == 1
