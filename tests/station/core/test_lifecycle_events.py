"""The state changes beyond an RMA's main path are events too: a parcel quarantined and later
matched to its RMA, scrap approved or rejected, a unit refurbished (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from station.inspection.refurbishment import RefurbishService
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    AuditEvent,
    DispositionKind,
    DomainEvent,
    Receipt,
    Rma,
    Unit,
)
from station.supervision.desk import SupervisionService
from tests.helpers.builders import add_product, add_rma
from tests.station.supervision_desk import make_desk


@pytest.fixture
def desk(session_factory):
    return make_desk(session_factory)


def events(desk, name: str) -> list[DomainEvent]:
    with desk.dock.sf() as db:
        return list(db.scalars(select(DomainEvent).where(DomainEvent.name == name)))


def test_unknown_parcel_quarantined_then_matched_to_its_rma(desk):
    (quarantined,) = events(desk, "parcel.quarantined")
    assert quarantined.payload["scanned_code"] == desk.unknown_code
    assert quarantined.rma_number.startswith("parcel:")
    with desk.dock.sf() as db:
        receipt = db.scalars(select(Receipt).where(Receipt.scanned_code == desk.unknown_code)).one()
    with desk.dock.sf.begin() as db:  # the parcel's RMA, not yet received
        number = add_rma(db, [(add_product(db, "TEE-MATCH"), 2)]).number
    with pytest.raises(PermissionDenied):
        desk.dock.receiving.match_unknown(desk.dock.clerk, receipt.id, number, "invoice in the box")
    with pytest.raises(InvalidInput, match="how the parcel was matched"):
        desk.dock.receiving.match_unknown(desk.dock.supervisor, receipt.id, number, " ")
    assert desk.dock.receiving.match_unknown(desk.dock.supervisor, receipt.id, number, "invoice in the box").rma_number == number
    (matched,) = events(desk, "parcel.matched")
    assert (matched.rma_number, matched.payload["scanned_code"]) == (number, desk.unknown_code)
    with desk.dock.sf() as db:
        approval = db.scalars(select(Approval).where(Approval.kind == ApprovalKind.UNKNOWN_PARCEL)).one()
        assert approval.state == ApprovalState.APPROVED and number in approval.decision_reason
        assert db.scalars(select(AuditEvent).where(AuditEvent.action == "parcel.matched")).one().details["rma"] == number
    with pytest.raises(IllegalTransition, match="already decided"):
        desk.dock.receiving.match_unknown(desk.dock.supervisor, receipt.id, number, "again")


@pytest.mark.parametrize(("approve", "name"), [(True, "scrap.approved"), (False, "scrap.rejected")])
def test_scrap_decision_is_an_event(desk, approve, name):
    with desk.dock.sf() as db:
        approval = db.scalars(select(Approval).where(Approval.kind == ApprovalKind.SCRAP)).one()
    SupervisionService(desk.dock.qc.ctx).decide(desk.dock.supervisor, approval.id, approve, "checked the motor")
    (event,) = events(desk, name)
    assert event.payload["lpn"] == desk.scrapped and event.payload["reason"] == "checked the motor"
    assert events(desk, "scrap.rejected" if approve else "scrap.approved") == []


class TestRefurbish:
    def test_technician_finishes_a_refurbishment_once(self, desk):
        with desk.dock.sf.begin() as db:
            db.scalars(select(Unit).where(Unit.lpn == desk.scrapped)).one().disposition = DispositionKind.REFURBISH
        service = RefurbishService(desk.dock.qc.ctx)
        done = service.finish(desk.dock.inspector, desk.scrapped.lower(), "35.5", "  motor,\n brushes ", "b")
        assert (done.cost, done.parts, done.outcome_grade.value) == (35.50, "motor, brushes", "B")
        (event,) = events(desk, "unit.refurbished")
        assert event.payload["outcome_grade"] == "B" and event.payload["cost"] == "35.50"
        with desk.dock.sf() as db:
            audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "unit.refurbished")).one()
            assert audit.details["parts"] == "motor, brushes" and audit.operator_id == desk.dock.inspector.id
        with pytest.raises(IllegalTransition, match="already refurbished"):
            service.finish(desk.dock.inspector, desk.scrapped, "10", "", "A")

    @pytest.mark.parametrize(("cost", "grade", "message"), [
        ("-5", "A", "Cost '-5' is not an amount"), ("12.345", "A", "is not an amount like 35.00"),
        ("1e9", "A", "is not an amount"), ("10", "E", "Grade 'E' is not A, B, C or D"),
        ("200000", "A", "over 100000"),
    ])
    def test_bad_cost_or_grade_is_refused(self, desk, cost, grade, message):
        with pytest.raises(InvalidInput, match=message):
            RefurbishService(desk.dock.qc.ctx).finish(desk.dock.inspector, desk.scrapped, cost, "", grade)

    def test_only_a_unit_sent_to_refurbishing_and_only_by_qc(self, desk):
        service = RefurbishService(desk.dock.qc.ctx)
        with pytest.raises(IllegalTransition, match="is not for refurbishing \\(scrap\\)"):
            service.finish(desk.dock.inspector, desk.scrapped, "10", "", "A")
        with pytest.raises(NotFound, match="No unit with LPN NOPE"):
            service.finish(desk.dock.inspector, "nope", "10", "", "A")
        with pytest.raises(PermissionDenied):
            service.finish(desk.dock.clerk, desk.scrapped, "10", "", "A")
