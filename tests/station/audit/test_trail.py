"""``rma-station audit tail`` asks the station: the newest events, oldest of them first, for an
admin only."""

from __future__ import annotations

import pytest

from station.audit.trail import AuditTrail
from station.core.context import Actor
from station.core.errors import InvalidInput, PermissionDenied
from station.models import Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, make_context


def test_an_admin_reads_the_newest_events_in_the_order_they_happened(session_factory):
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    ctx = make_context(session_factory)
    for code in ("SF100000001", "SF100000002", "SF100000003"):
        ReceivingService(ctx).quarantine_unknown(clerk, code)
    newest = AuditTrail(ctx).newest(Actor.command_line(), 2)
    assert [(e.action, e.details["code"], e.operator_badge) for e in newest] == [
        ("parcel.quarantined", "SF100000002", clerk.badge), ("parcel.quarantined", "SF100000003", clerk.badge)]
    assert newest[0].seq < newest[1].seq
    assert newest[1].as_json()["entity"].startswith("receipts/")


def test_a_supervisor_may_not_read_the_log_and_a_silly_count_is_one_line(session_factory):
    with session_factory.begin() as db:
        supervisor = add_operator(db, Role.SUPERVISOR)
    trail = AuditTrail(make_context(session_factory))
    with pytest.raises(PermissionDenied):
        trail.newest(supervisor, 5)
    with pytest.raises(InvalidInput, match="Show 1 to 100000 events, not 0"):
        trail.newest(Actor.command_line(), 0)
