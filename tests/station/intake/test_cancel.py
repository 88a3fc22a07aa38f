"""The shop withdraws a return request (``IntakeService.cancel``): a supervisor's call, at
the desk or through the API with ``returns:review``; a clerk may not."""

from __future__ import annotations

import pytest

from station.core.errors import PermissionDenied
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import Role
from tests.helpers.builders import Clock, add_operator, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue


@pytest.fixture
def pending(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    service = IntakeService(ctx)
    service.submit_order(parse_order(order_payload()), by="shop")
    view = service.request_return(parse_request(request_payload(sku="PHONE-1", reason="changed_mind")), by="shop")
    assert view.status == "pending_review"
    return service, ctx, view.rma_number


def test_a_clerk_may_not_cancel_and_a_supervisor_may(pending):
    service, ctx, number = pending
    with ctx.session_factory.begin() as db:
        clerk, supervisor = add_operator(db, Role.CLERK), add_operator(db, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        service.cancel(clerk, number)
    assert service.get(number).status == "pending_review"
    assert service.cancel(supervisor, number, "asked twice").status == "cancelled"
    assert [v.rma_number for v in service.pending_reviews()] == []  # gone from the desk's list


def test_a_retry_that_waited_for_the_first_call_answers_as_a_replay(pending, monkeypatch):
    """A client times out and retries while its first approve still runs: the retry waits on
    the request's lock, then finds it decided. It must answer as the replay it is, not 409."""
    from station.intake import replays
    from station.intake.replays import ReplayKey

    service, ctx, number = pending
    with ctx.session_factory.begin() as db:
        supervisor = add_operator(db, Role.SUPERVISOR)
    key = ReplayKey.of("erp", "k-1", "approve", number, {"note": ""})
    first = service.authorise(supervisor, number, replay=key)
    real_seen, asked = replays.seen, []

    def seen_before_the_first_committed(db, replay):  # what the retry saw before it waited
        asked.append(replay)
        return None if len(asked) == 1 else real_seen(db, replay)

    monkeypatch.setattr(replays, "seen", seen_before_the_first_committed)
    retry = service.authorise(supervisor, number, replay=key)
    assert len(asked) == 2 and retry.replayed and retry.rma_number == first.rma_number
    assert retry.status == "authorised"
