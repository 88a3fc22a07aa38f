"""No dead ends at the dock (issue 15, problem 3): every situation has a way forward."""

from __future__ import annotations

from sqlalchemy import select

from station.models import Disposition, Unit, UnitState
from station.supervision import SupervisionService
from tests.helpers.builders import make_context
from tests.station.builders_qc import make_dock, receive_unit
from tests.station.test_inspection import inspect
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
        from station.receiving import ReceivingService
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
