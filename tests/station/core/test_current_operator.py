"""A signed-in session is only as good as the operator's record now.

The window keeps the ``Actor`` it got at sign-in for hours. If an admin demotes or blocks
that operator meanwhile (here, or on another station through sync), every service call must
see it: the role and active flag are read again, inside the call's own transaction.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, update

from station.core.context import Actor
from station.core.errors import PermissionDenied
from station.models import Approval, ApprovalKind, ApprovalState, AuditEvent, Operator, Role
from station.supervision.desk import SupervisionService
from tests.station.supervision_desk import make_desk


@pytest.fixture
def desk(session_factory):
    return make_desk(session_factory)


@pytest.fixture
def service(desk):
    return SupervisionService(desk.dock.qc.ctx)


def scrap_approval(desk) -> Approval:
    with desk.dock.sf() as db:
        return db.scalars(select(Approval).where(Approval.kind == ApprovalKind.SCRAP)).one()


def change_operator(desk, actor: Actor, **values) -> None:
    with desk.dock.sf.begin() as db:
        db.execute(update(Operator).where(Operator.id == actor.id).values(**values))


def test_supervisor_demoted_while_signed_in_cannot_approve(desk, service):
    change_operator(desk, desk.dock.supervisor, role=Role.INSPECTOR)
    with pytest.raises(PermissionDenied) as err:
        service.decide(desk.dock.supervisor, scrap_approval(desk).id, True, "looks fine")
    assert str(err.value) == "Your role changed; sign in again."
    assert scrap_approval(desk).state == ApprovalState.PENDING


def test_supervisor_blocked_while_signed_in_cannot_approve(desk, service):
    change_operator(desk, desk.dock.supervisor, active=False)
    with pytest.raises(PermissionDenied, match="has been blocked. Ask an admin."):
        service.decide(desk.dock.supervisor, scrap_approval(desk).id, True, "looks fine")
    assert scrap_approval(desk).state == ApprovalState.PENDING


def test_blocked_inspector_cannot_start_an_inspection(desk):
    change_operator(desk, desk.dock.inspector, active=False)
    with pytest.raises(PermissionDenied, match="blocked"):
        desk.dock.qc.start(desk.dock.inspector, desk.waiting)


def test_actor_with_no_operator_record_changes_nothing(desk, service):
    """``require`` lets a record-less actor read (the command line's); the write's own
    transaction refuses it."""
    ghost = Actor(id=uuid.uuid4(), badge="EMP3999", name="Nobody", role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied, match="EMP3999 is not an operator of this station"):
        service.decide(ghost, scrap_approval(desk).id, True, "looks fine")
    assert scrap_approval(desk).state == ApprovalState.PENDING
    with desk.dock.sf() as db:
        assert db.scalar(select(AuditEvent).where(AuditEvent.operator_badge == "EMP3999")) is None


def test_blocked_operator_can_still_sign_out(desk):
    from station.operators.service import AuthService

    change_operator(desk, desk.dock.supervisor, active=False, role=Role.CLERK)
    AuthService(desk.dock.qc.ctx).sign_out(desk.dock.supervisor)
    with desk.dock.sf() as db:
        last = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (last.action, last.operator_badge) == ("auth.signed_out", desk.dock.supervisor.badge)


def test_supervisor_still_approves_when_nothing_changed(desk, service):
    assert service.decide(desk.dock.supervisor, scrap_approval(desk).id, True, "burnt motor") == ApprovalState.APPROVED
