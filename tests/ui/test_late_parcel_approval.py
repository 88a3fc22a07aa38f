"""A supervisor accepts a late parcel at the receiving desk: scan it (or pick it from the
"awaiting approval" list), give a reason, Enter."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from station.models import Approval, ApprovalState, Receipt, ReceiptStatus, Unit, UnitState
from tests.helpers.builders import NOW, add_rma
from tests.ui.conftest import Station, sign_in
from ui.views.receiving import ReceivingView


@pytest.fixture
def held(station: Station, catalogue) -> str:  # noqa: ANN001
    """A clerk received a parcel 30 days late: it waits for a supervisor."""
    with station.session_factory.begin() as db:
        rma = add_rma(db, [(catalogue["shirt"], 1)], authorised=NOW - dt.timedelta(days=60))
    sign_in(station, "EMP1001", "1234")
    station.keys.scan(rma.number)
    station.keys.press("Return")
    assert station.last.code == "awaiting_approval"
    station.keys.scan("CMD:SIGNOUT")
    return rma.number


def supervisor(station: Station) -> ReceivingView:
    sign_in(station, "EMP3001", "3456")
    view = station.window.views["receiving"]
    assert isinstance(view, ReceivingView)
    return view


def decided(station: Station) -> tuple[ReceiptStatus, ApprovalState, str | None, UnitState]:
    with station.session_factory() as db:
        receipt = db.scalars(select(Receipt)).one()
        approval = db.scalars(select(Approval)).one()
        unit = db.scalars(select(Unit)).one()
        return receipt.status, approval.state, approval.decision_reason, unit.state


class TestSupervisorAcceptsLateParcel:
    def test_scan_reason_enter(self, station: Station, held: str, qtbot) -> None:  # noqa: ANN001
        view = supervisor(station)
        assert view.approvals.isVisible() and view.approvals.list.count() == 1
        assert view.approvals.title.text() == "Awaiting approval (1)  ·  Alt+A"
        station.keys.scan(held)
        assert station.last.code == "approval_asked"
        assert station.last.title == f"RMA {held} is waiting for your approval"
        assert view.approvals.reason.hasFocus()
        station.keys.type("customer was in hospital")
        qtbot.waitUntil(lambda: view.approvals.reason.text() == "customer was in hospital")
        station.keys.press("Return")
        assert station.last.code == "approved" and station.last.title == f"Late parcel {held} accepted"
        assert station.last.next_step == "Its unit can go to inspection."
        assert decided(station) == (ReceiptStatus.RECEIVED, ApprovalState.APPROVED, "customer was in hospital",
                                    UnitState.RECEIVED)
        qtbot.waitUntil(lambda: view.approvals.list.count() == 0)  # the list follows the commit
        assert not view.approvals.isVisible()

    def test_from_the_list_and_a_reason_is_required(self, station: Station, held: str, qtbot) -> None:  # noqa: ANN001
        view = supervisor(station)
        station.keys.press("Alt+A")
        assert view.approvals.list.hasFocus()
        station.keys.press("Return")
        assert view.held_receipt is not None and station.last.code == "approval_asked"
        station.keys.press("Return")  # no reason yet
        assert station.last.code == "invalid_input"
        assert station.last.text == "Give a reason for accepting the late parcel."
        assert decided(station)[0] == ReceiptStatus.AWAITING_APPROVAL
        station.keys.type("ok by phone")
        qtbot.waitUntil(lambda: view.approvals.reason.text() == "ok by phone")
        station.keys.press("Return")
        assert decided(station)[:3] == (ReceiptStatus.RECEIVED, ApprovalState.APPROVED, "ok by phone")

    def test_a_clerk_sees_no_list_and_gets_the_duplicate_banner(self, station: Station, held: str) -> None:
        sign_in(station, "EMP1001", "1234")
        view = station.window.views["receiving"]
        assert not view.approvals.isVisible()
        station.keys.scan(held)
        assert station.last.code == "duplicate"
        assert decided(station)[0] == ReceiptStatus.AWAITING_APPROVAL


class TestSupervisorReceivesALateParcelThemselves:
    """The banner used to promise "for supervisor approval" and Enter then received the parcel
    outright, with no approval row and no reason: now the supervisor says why, and it is kept."""

    def test_scan_type_reason_enter_records_the_approval(self, station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            number = add_rma(db, [(catalogue["shirt"], 1)], authorised=NOW - dt.timedelta(days=60)).number
        view = supervisor(station)
        station.keys.scan(number)
        assert station.last.code == "late_accept"
        assert station.last.next_step.startswith("Type why you accept it, then Enter")
        assert view.approvals.reason.isVisible() and view.approvals.reason.hasFocus()
        station.keys.press("Return")  # no reason yet: refused, nothing received
        assert station.last.code == "accept_reason_needed"
        assert view.approvals.reason.isVisible()
        with station.session_factory() as db:
            assert db.scalars(select(Receipt)).all() == []
        view.approvals.reason.setFocus()
        station.keys.type("courier held it at the depot")
        qtbot.waitUntil(lambda: view.approvals.reason.text() == "courier held it at the depot")
        station.keys.press("Return")
        qtbot.waitUntil(lambda: station.last.code != "accept_reason_needed")
        assert decided(station) == (ReceiptStatus.RECEIVED, ApprovalState.APPROVED, "courier held it at the depot",
                                    UnitState.RECEIVED)
        assert not view.approvals.reason.isVisible()
