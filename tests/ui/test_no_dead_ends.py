"""No dead ends at the dock (issue 15, problem 3): every situation has a way forward."""

from __future__ import annotations

from sqlalchemy import select

from station.models import Disposition, Unit, UnitState
from station.supervision.desk import SupervisionService
from tests.helpers.builders import make_context
from tests.station.builders_qc import make_dock, receive_unit
from tests.station.inspection.test_service import inspect
from tests.ui.conftest import Station
from tests.ui.test_inspection_story import inspector, press  # noqa: F401 - fixture
from ui.views.inspection import InspectionView


class TestApprovedFlaggedUnit:
    def test_an_approved_flagged_unit_goes_on_to_its_disposition(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        qc = make_dock(station.session_factory)
        lpn = receive_unit(qc, "electronics", serial_sold="SN-A1", serial_received="SN-ZZ9",
                           rtv_allowed=True, reason="defective")
        held = inspect(qc, lpn)
        assert held.unit_state == UnitState.QUARANTINED
        SupervisionService(make_context(station.session_factory, station.clock)).decide(
            qc.supervisor, held.approval_id, True, "serial typo on the order, checked the invoice")
        station.keys.scan(lpn)
        assert inspector.result is not None and inspector.result.released
        assert station.last.title == "Released by a supervisor: grade A"
        press(station, qtbot, "Return", inspector)
        assert station.last.code == "disposed" and station.last.title == f"Unit {lpn} done"
        with station.session_factory() as db:
            unit = db.scalar(select(Unit).where(Unit.lpn == lpn))
            disposition = db.scalars(select(Disposition)).one()
        assert unit.state == UnitState.DISPOSITIONED and disposition.kind.value == "restock"

    def test_a_flagged_unit_still_waiting_says_so(self, station: Station, inspector: InspectionView) -> None:
        qc = make_dock(station.session_factory)
        lpn = receive_unit(qc, "electronics", serial_sold="SN-A1", serial_received="SN-ZZ9",
                           rtv_allowed=True, reason="defective")
        inspect(qc, lpn)
        station.keys.scan(lpn)
        assert inspector.result is None
        assert station.last.text == f"Unit {lpn} is in quarantine until a supervisor decides."


class TestCancelledRma:
    import pytest

    @pytest.mark.parametrize(("state", "key"), [("cancelled", "Return"), ("cancelled", "F9"), ("closed", "Return"),
                                                ("closed", "F9")])
    def test_a_cancelled_or_closed_rmas_parcel_goes_to_quarantine_by_enter_or_f9(
            self, station: Station, catalogue, state: str, key: str) -> None:  # noqa: ANN001
        from station.models import Receipt, ReceiptStatus, Rma, RmaState
        from tests.ui.conftest import sign_in
        from tests.ui.test_receiving_story import make_rma

        sign_in(station, "EMP1001", "1234")
        number = make_rma(station, catalogue).number
        with station.session_factory.begin() as db:
            db.scalar(select(Rma).where(Rma.number == number)).state = RmaState(state)
        station.keys.scan(number)
        assert station.last.code == "rma_not_receivable"
        assert station.last.title == f"RMA {number} was {state}"
        station.keys.press(key)
        assert station.last.title == "Quarantined"
        assert station.last.text == f"RMA {number} was {state}: parcel recorded in quarantine."
        with station.session_factory() as db:
            receipt = db.scalars(select(Receipt)).one()
        assert receipt.status == ReceiptStatus.QUARANTINED and receipt.flags == [f"rma_{state}"]
        station.keys.scan(number)
        station.keys.press("F9")
        assert station.last.title == "Already received" and "already in quarantine" in station.last.text


class TestReprintAtReceiving:
    def test_cmd_reprint_after_receiving_and_an_lpn_scan_reprint_the_labels_audited(
            self, station: Station, catalogue) -> None:  # noqa: ANN001
        from station.models import AuditEvent, LabelJob
        from tests.ui.conftest import sign_in
        from tests.ui.test_receiving_story import make_rma

        sign_in(station, "EMP1001", "1234")
        number = make_rma(station, catalogue, lines=[(catalogue["phone"], 2, "SN-1")]).number
        station.keys.scan(number)
        station.keys.press("Return")
        assert station.last.title == "Received"
        assert station.count(LabelJob, LabelJob.kind == "lpn") == 1
        station.keys.scan("CMD:REPRINT")
        assert station.last.title == "2 labels reprinted"
        with station.session_factory() as db:
            lpns = list(db.scalars(select(Unit.lpn).order_by(Unit.lpn)))
        station.keys.scan(lpns[1])
        assert station.last.title == "1 label reprinted" and station.last.text == lpns[1]
        assert station.count(LabelJob, LabelJob.kind == "lpn") == 3
        assert station.count(AuditEvent, AuditEvent.action == "labels.reprinted") == 2

    def test_cmd_reprint_with_nothing_on_the_card_asks_for_the_rma(self, station: Station, catalogue) -> None:  # noqa: ANN001
        from station.models import LabelJob
        from station.models import Role as R
        from station.receiving.service import ReceivingService
        from tests.helpers.builders import add_operator
        from tests.ui.conftest import sign_in
        from tests.ui.test_receiving_story import make_rma

        number = make_rma(station, catalogue).number
        with station.session_factory.begin() as db:
            clerk = add_operator(db, R.CLERK)
        ReceivingService(make_context(station.session_factory, station.clock)).receive(clerk, number)
        sign_in(station, "EMP1001", "1234")
        station.keys.scan("CMD:REPRINT")
        assert station.last.code == "reprint_asked"
        station.keys.scan(number)
        assert station.last.code == "reprinted"
        assert station.count(LabelJob, LabelJob.kind == "lpn") == 1


class TestPhotoWaiver:
    def walk_to_blocked_summary(self, station: Station, inspector: InspectionView, qtbot) -> str:  # noqa: ANN001
        from tests.ui.test_inspection_story import received_unit

        lpn = received_unit(station)
        station.keys.scan(lpn)
        press(station, qtbot, "P P F", inspector)
        while inspector.current is not None:
            if inspector.current.id == "notes":
                inspector.enter()
            else:
                inspector.answer_current("1" if inspector.current.kind.value == "choice" else "pass")
        assert "W: no camera, a supervisor waives the photo" in inspector.summary.text()
        return lpn

    def waive(self, station: Station, inspector: InspectionView, qtbot, badge: str, pin: str) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QApplication

        qtbot.waitUntil(lambda: QApplication.focusWidget() is inspector)
        station.keys.press("W")
        qtbot.waitUntil(lambda: inspector.waiver_dialog is not None)
        dialog = inspector.waiver_dialog
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)
        station.keys.type("camera broken")
        station.keys.scan(badge)
        assert dialog.badge.text() == badge and QApplication.focusWidget() is dialog.pin
        station.keys.type(pin)
        station.keys.press("Return")
        qtbot.waitUntil(lambda: inspector.waiver_dialog is None)

    def test_a_supervisor_waives_a_required_photo_with_badge_pin_and_reason_audited(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        from station.models import AuditEvent, Grade, Operator
        from tests.ui.test_inspection_story import grade_of

        lpn = self.walk_to_blocked_summary(station, inspector, qtbot)
        self.waive(station, inspector, qtbot, "EMP3001", "3456")
        assert station.last.title == "Photo waived" and station.last.text == "camera broken"
        assert "Provisional grade C" in inspector.summary.text()
        assert inspector.photos.text() == "Photos: 0"  # a waiver is not a picture
        station.keys.scan("CMD:FINISH")
        assert inspector.result is not None and grade_of(station, lpn) == Grade.C
        with station.session_factory() as db:
            event = db.scalars(select(AuditEvent).where(AuditEvent.action == "inspection.photo_waived")).one()
            supervisor = db.scalar(select(Operator.id).where(Operator.badge == "EMP3001"))
        assert event.operator_id == supervisor

    def test_the_inspectors_own_badge_cannot_waive_it(
            self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        self.walk_to_blocked_summary(station, inspector, qtbot)
        self.waive(station, inspector, qtbot, "EMP2001", "2345")
        assert station.last.code == "permission_denied"
        assert "Cannot finish yet" in inspector.summary.text()


class TestSessionEnded:
    def test_a_clerk_demoted_while_signed_in_is_signed_out_with_the_reason(self, station: Station,
                                                                          catalogue) -> None:  # noqa: ANN001
        from sqlalchemy import update

        from station.models import Operator, Receipt, Role
        from tests.helpers.builders import add_rma
        from tests.ui.conftest import sign_in

        with station.session_factory.begin() as db:
            number = add_rma(db, [(catalogue["shirt"], 1)]).number
        sign_in(station, "EMP1001", "1234")
        with station.session_factory.begin() as db:  # an admin at another station makes her an inspector
            db.execute(update(Operator).where(Operator.badge == "EMP1001").values(role=Role.INSPECTOR))

        station.keys.scan(number)
        station.keys.press("Return")

        assert station.window.actor is None, "no more work under a role she no longer has"
        assert station.window.current_view() is station.window.signin
        assert station.last.code == "session_ended" and station.last.title == "Session ended"
        assert station.last.text == "Your role changed; sign in again."
        assert station.window.signin.banner.message == station.last
        assert station.count(Receipt) == 0
