"""``rma-station operators list`` asks the station: every badge with whether it can sign in."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from station.core.context import Actor
from station.core.errors import AuthenticationFailed, PermissionDenied
from station.models import Operator, Role
from station.operators.roster import RosterService
from station.operators.service import AuthService
from tests.helpers.builders import Clock, add_operator, make_context


def test_the_roster_names_active_locked_and_blocked_badges(session_factory):
    with session_factory.begin() as db:
        add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min")
        add_operator(db, Role.INSPECTOR, badge="EMP2001", name="Li Na")
        add_operator(db, Role.SUPERVISOR, badge="EMP3001", name="Chen Jing")
        db.execute(update(Operator).where(Operator.badge == "EMP2001").values(active=False))
    clock = Clock()
    auth = AuthService(make_context(session_factory, clock))
    for _ in range(10):
        with pytest.raises(AuthenticationFailed) as refused:
            auth.sign_in("EMP1001", "0000")
        clock.advance(seconds=getattr(refused.value, "retry_after_s", 0))
    roster = RosterService(make_context(session_factory)).operators(Actor.command_line())
    assert [(r.badge, r.role, r.state, r.name) for r in roster] == [
        ("EMP1001", Role.CLERK, "locked", "Zhang Min"), ("EMP2001", Role.INSPECTOR, "blocked", "Li Na"),
        ("EMP3001", Role.SUPERVISOR, "active", "Chen Jing")]


def test_only_who_manages_operators_lists_them(session_factory):
    with session_factory.begin() as db:
        supervisor = add_operator(db, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        RosterService(make_context(session_factory)).operators(supervisor)
