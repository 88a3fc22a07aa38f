"""The supervisor's queues and decisions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    AuditEvent,
    DispositionKind,
    Receipt,
    ReceiptStatus,
    Unit,
    UnitState,
)
from station.supervision.desk import SupervisionService
from station.supervision.sheets import scrap_rows
from tests.helpers.builders import NOW
from tests.station.supervision_desk import make_desk


@pytest.fixture
def desk(session_factory):
    return make_desk(session_factory)


@pytest.fixture
def service(desk):
    return SupervisionService(desk.dock.qc.ctx)


def approval_of(desk, kind):
    with desk.dock.sf() as db:
        return db.scalars(select(Approval).where(Approval.kind == kind)).one()


class TestQueues:
    def test_each_queue_holds_what_the_dock_left(self, desk, service):
        sup = desk.dock.supervisor
        assert [r[0] for r in service.queue(sup, "awaiting_inspection").rows] == [desk.waiting]
        assert {r[0] for r in service.queue(sup, "quarantine").rows} == {desk.unknown_code}
        late = service.queue(sup, "expired_rmas")
        assert len(late.rows) == 1 and late.columns[0] == "rma"
        overrides = service.queue(sup, "grade_overrides")
        assert [(r[0], r[1], r[2], r[3]) for r in overrides.rows] == [
            (desk.overridden, "A", "B", "small stain on the sleeve")]
        kinds = sorted(r[0] for r in service.queue(sup, "approvals").rows)
        assert kinds == ["expired_rma", "scrap", "unknown_parcel"]
        assert service.counts(sup) == {"awaiting_inspection": 1, "quarantine": 1, "expired_rmas": 1,
                                       "grade_overrides": 1, "approvals": 3}

    def test_search_filter_sort(self, desk, service):
        sup = desk.dock.supervisor
        assert [r[0] for r in service.queue(sup, "approvals", search="MOTOR").rows] == []
        assert [r[0] for r in service.queue(sup, "approvals", search=desk.scrapped).rows] == ["scrap"]
        assert [r[0] for r in service.queue(sup, "approvals", filters={"kind": "unknown_parcel"}).rows] == [
            "unknown_parcel"]
        asc = [r[0] for r in service.queue(sup, "approvals", sort="kind").rows]
        desc = [r[0] for r in service.queue(sup, "approvals", sort="kind", descending=True).rows]
        assert asc == sorted(asc) and desc == asc[::-1]
        assert service.queue(sup, "approvals", search="100%_").rows == ()
        with pytest.raises(InvalidInput, match="Cannot sort the queue by 'colour'"):
            service.queue(sup, "approvals", sort="colour")
        with pytest.raises(InvalidInput, match="'nope' is not a queue"):
            service.queue(sup, "nope")

    def test_sync_conflicts_without_central_are_those_last_pulled(self, desk, service):
        # Offline, the queue lists the conflicts the sync worker mirrored at its last pull
        # (none here) instead of a dead end saying "not connected".
        view = service.queue(desk.dock.supervisor, "sync_conflicts")
        assert (view.rows, view.columns[0]) == ((), "entity_type")

    def test_clerk_and_inspector_see_no_queue(self, desk, service):
        for actor in (desk.dock.clerk, desk.dock.inspector):
            with pytest.raises(PermissionDenied):
                service.queue(actor, "approvals")


class TestDecisions:
    def test_supervisor_approves_scrap_with_a_reason_audited(self, desk, service):
        approval = approval_of(desk, ApprovalKind.SCRAP)
        state = service.decide(desk.dock.supervisor, approval.id, True, "confirmed burnt motor")
        assert state == ApprovalState.APPROVED
        after = approval_of(desk, ApprovalKind.SCRAP)
        assert (after.state, after.decided_by, after.decision_reason) == (
            ApprovalState.APPROVED, desk.dock.supervisor.id, "confirmed burnt motor")
        with desk.dock.sf() as db:
            event = db.scalars(select(AuditEvent).where(AuditEvent.action == "approval.scrap_approved")).one()
            assert event.details["reason"] == "confirmed burnt motor"
        with pytest.raises(IllegalTransition, match="already approved"):
            service.decide(desk.dock.supervisor, approval.id, False, "changed my mind")

    def test_rejected_scrap_leaves_the_scrap_sheet_for_quarantine(self, desk, service):
        approval = approval_of(desk, ApprovalKind.SCRAP)
        with desk.dock.sf() as db:
            assert [r.lpn for r in scrap_rows(db, NOW.date())] == [desk.scrapped]
        service.decide(desk.dock.supervisor, approval.id, False, "repairable, send to refurb")
        with desk.dock.sf() as db:
            assert scrap_rows(db, NOW.date()) == []
            unit = db.scalars(select(Unit).where(Unit.lpn == desk.scrapped)).one()
            assert unit.disposition == DispositionKind.QUARANTINE
            assert unit.state == UnitState.QUARANTINED
        assert desk.scrapped in {r[0] for r in service.queue(desk.dock.supervisor, "quarantine").rows}

    def test_late_parcel_accepted_through_receiving(self, desk, service):
        approval = approval_of(desk, ApprovalKind.EXPIRED_RMA)
        service.decide(desk.dock.supervisor, approval.id, True, "customer was abroad")
        with desk.dock.sf() as db:
            unit = db.scalars(select(Unit).where(Unit.lpn == desk.late)).one()
            assert unit.state == UnitState.RECEIVED
        assert approval_of(desk, ApprovalKind.EXPIRED_RMA).state == ApprovalState.APPROVED
        assert service.queue(desk.dock.supervisor, "expired_rmas").rows == ()
        assert desk.late in {r[0] for r in service.queue(desk.dock.supervisor, "awaiting_inspection").rows}

    def test_late_parcel_rejected(self, desk, service):
        approval = approval_of(desk, ApprovalKind.EXPIRED_RMA)
        service.decide(desk.dock.supervisor, approval.id, False, "90 days late, policy")
        with desk.dock.sf() as db:
            assert db.get(Receipt, approval.entity_id).status == ReceiptStatus.REJECTED
        assert approval_of(desk, ApprovalKind.EXPIRED_RMA).state == ApprovalState.REJECTED

    def test_only_supervisors_decide_and_always_with_a_reason(self, desk, service):
        approval = approval_of(desk, ApprovalKind.SCRAP)
        for actor in (desk.dock.clerk, desk.dock.inspector):
            with pytest.raises(PermissionDenied, match="may not approve exceptions"):
                service.decide(actor, approval.id, True, "looks fine")
        with pytest.raises(InvalidInput, match="Give a reason"):
            service.decide(desk.dock.supervisor, approval.id, True, "  ")
        assert approval_of(desk, ApprovalKind.SCRAP).state == ApprovalState.PENDING

    def test_reviewing_an_override_takes_it_off_the_queue(self, desk, service):
        sup = desk.dock.supervisor
        inspection_id = service.queue(sup, "grade_overrides").ids[0]
        service.review_override(sup, inspection_id, True, "stain confirmed on photo")
        assert service.queue(sup, "grade_overrides").rows == ()
        review = approval_of(desk, ApprovalKind.GRADE_OVERRIDE)
        assert (review.state, review.decision_reason) == (ApprovalState.APPROVED, "stain confirmed on photo")


def test_a_queue_shows_reasons_and_categories_in_the_readers_words_and_keeps_codes_for_search() -> None:
    from station.catalog.reasons import load_reasons
    from station.supervision.desk import QueueView

    view = QueueView("awaiting_inspection", "Awaiting inspection", ("lpn", "category", "reason"),
                     (("LP1", "small_appliances", "size"), ("LP2", "mystery_box", "not_a_code"), ("LP3", None, "")),
                     ("1", "2", "3"))
    reasons = load_reasons()
    assert view.in_words("en", reasons).rows == (
        ("LP1", "small appliances", reasons.get("size").en), ("LP2", "mystery box", "not_a_code"), ("LP3", None, ""))
    assert view.in_words("zh_CN", reasons).rows[0] == ("LP1", "小家电", reasons.get("size").zh)
    assert view.rows[0] == ("LP1", "small_appliances", "size")  # the codes stay for search and export
