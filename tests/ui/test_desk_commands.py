"""Every desk step by scan: a supervisor with the scanner in hand works the return-to-vendor
and approvals tabs with the command sheet's barcodes, as the window receives them (wedge
bursts into whatever has focus), and each command does what its key does, in SQLite."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from station.models import Approval, ApprovalState, RtvBatch, RtvItem, RtvState
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.station.builders_qc import make_dock
from tests.ui.conftest import Station, sign_in


def batch_row(station: Station) -> RtvBatch:
    with station.session_factory() as db:
        return db.scalars(select(RtvBatch)).one()


def type_into(station: Station, qtbot, field, text: str) -> None:  # noqa: ANN001
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    station.keys.type(text)
    qtbot.waitUntil(lambda: field.text() == text)  # the wedge filter hands the last key back as typing


def test_supervisor_opens_ships_and_settles_a_batch_by_command_scans(station: Station, qtbot) -> None:  # noqa: ANN001
    dock = make_dock(station.session_factory)
    with_vendor(dock)
    units = [rtv_unit(dock, value="1000.00"), rtv_unit(dock, value="2000.00")]
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    station.keys.press("F2")
    rtv = station.window.views["rtv"].inner
    qtbot.waitUntil(lambda: rtv.vendor.currentData() == "SZPT")

    station.keys.scan("CMD:OPENBATCH")
    assert station.last.title == "Batch RTV-DOCK01-00001 opened"
    assert batch_row(station).state == RtvState.OPEN
    for lpn in units:
        station.keys.scan(lpn)
        assert station.last.title == f"Added {lpn}"
    with station.session_factory() as db:
        assert len(db.scalars(select(RtvItem)).all()) == 2

    type_into(station, qtbot, rtv.ra, "RA-7788")
    type_into(station, qtbot, rtv.carrier, "SF Express")
    rtv.tracking.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rtv.tracking)
    station.keys.scan("SF7000100200")  # the carrier's own barcode, scanned into its field
    assert rtv.tracking.text() == "SF7000100200", station.last
    station.keys.scan("CMD:SHIP")  # scanned while the RA field has focus: a command, not text
    assert station.last.title == "Batch RTV-DOCK01-00001 shipped", station.last
    shipped = batch_row(station)
    assert (shipped.state, shipped.ra_number) == (RtvState.SHIPPED, "RA-7788")

    station.keys.scan("CMD:ACK")
    assert station.last.title == "Claim RTV-DOCK01-00001 acknowledged"
    assert batch_row(station).state == RtvState.ACKNOWLEDGED

    type_into(station, qtbot, rtv.amount, "2500.00")
    station.keys.scan("CMD:CREDIT")
    assert station.last.title == "Claim RTV-DOCK01-00001 credited"
    credited = batch_row(station)
    assert (credited.state, credited.credited_amount) == (RtvState.CREDITED, Decimal("2500.00"))
    assert rtv.amount.text() == ""  # the amount went into the claim, not a half-typed command


def test_supervisor_approves_and_rejects_by_command_scans(station: Station, qtbot) -> None:  # noqa: ANN001
    dock = make_dock(station.session_factory)
    with_vendor(dock)
    rtv_unit(dock, approve=None)
    rtv_unit(dock, approve=None)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 2)

    def decide_first_by_scan(command: str, reason: str) -> None:
        approvals.table.selectRow(0)
        type_into(station, qtbot, approvals.reason, reason)
        station.keys.scan(command)

    decide_first_by_scan("CMD:APPROVE", "vendor takes it back")
    assert (station.last.title, station.last.text) == ("Approved", "vendor takes it back")
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 1)
    decide_first_by_scan("CMD:REJECT", "vendor refuses this model")
    assert (station.last.title, station.last.text) == ("Rejected", "vendor refuses this model")
    with station.session_factory() as db:
        decided = {a.decision_reason: a.state for a in db.scalars(select(Approval))}
    assert decided == {"vendor takes it back": ApprovalState.APPROVED, "vendor refuses this model": ApprovalState.REJECTED}


def test_a_command_of_another_tab_changes_nothing_and_says_so(station: Station, qtbot) -> None:  # noqa: ANN001
    dock = make_dock(station.session_factory)
    with_vendor(dock)
    rtv_unit(dock, approve=None)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 1)
    approvals.table.selectRow(0)
    station.keys.scan("CMD:SHIP")
    assert (station.last.code, station.last.title) == ("command_elsewhere", "CMD:SHIP does nothing in this tab")
    station.keys.press("F2")
    station.keys.scan("CMD:APPROVE")  # the RTV desk: the approval stays pending
    assert station.last.code == "command_elsewhere"
    with station.session_factory() as db:
        assert db.scalars(select(Approval.state)).one() == ApprovalState.PENDING
        assert db.scalars(select(RtvBatch)).all() == []
