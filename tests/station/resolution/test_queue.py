"""The resolution desk's queue, the policy's own resolutions and closing, through the real
receiving and inspection services, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from station.analytics.cycle import cycle_times
from station.analytics.period import Period
from station.core.errors import InvalidInput, PermissionDenied
from station.inspection.service import InspectionService
from station.models import AuditEvent, DomainEvent, ResolutionKind, ResolutionQueueEntry, Rma, RmaState, Role, Unit, UnitState
from station.receiving.service import ParcelInput, ReceivingService
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from tests.helpers.builders import Clock, add_operator, add_product, add_rma, make_context
from tests.helpers.qc import good_answer


def build(session_factory, auto: bool):
    with session_factory.begin() as db:
        people = {r: add_operator(db, r) for r in (Role.CLERK, Role.INSPECTOR, Role.SUPERVISOR)}
        jeans = add_product(db, "AP-JN-32", name_en="Slim jeans", name_zh="修身牛仔裤", value="299.00")
        phone = add_product(db, "PH-1", category="electronics", value="2999.00", weight_g=None)
        numbers = dict(jeans=add_rma(db, [(jeans, 1)], reason="size", price="299.00").number,
                       pair=add_rma(db, [(jeans, 2)], reason="size", price="299.00").number,
                       phone=add_rma(db, [(phone, 1)], reason="changed_mind", price="2999.00",
                                     customer_ref="C-2002").number)
    clock = Clock()
    ctx = make_context(session_factory, clock)
    ctx = dataclasses.replace(ctx, policy=dataclasses.replace(ctx.policy, auto_resolve=auto))
    return dict(sf=session_factory, clock=clock, ctx=ctx, clerk=people[Role.CLERK],
                inspector=people[Role.INSPECTOR], supervisor=people[Role.SUPERVISOR],
                receiving=ReceivingService(ctx), inspection=InspectionService(ctx),
                resolution=ResolutionService(ctx), queue=ResolutionQueue(ctx), **numbers)


def grade_a_and_dispose(s, lpn: str) -> None:
    view = s["inspection"].start(s["inspector"], lpn)
    while view.next_question is not None:
        view = s["inspection"].answer(s["inspector"], view.inspection_id, view.next_question.id,
                                      good_answer(view.next_question))
    s["inspection"].finish(s["inspector"], view.inspection_id)
    s["inspection"].dispose(s["inspector"], lpn)


def receive_and_dispose(s, number: str, parcel: ParcelInput | None = None) -> list[str]:
    lpns = [u.lpn for u in s["receiving"].receive(s["clerk"], number, parcel).units]
    for lpn in lpns:
        grade_a_and_dispose(s, lpn)
    return lpns


def events(s, number: str) -> list[str]:
    with s["sf"]() as db:
        return list(db.scalars(select(DomainEvent.name).where(DomainEvent.rma_number == number)
                               .order_by(DomainEvent.rma_seq)))


@pytest.fixture
def desk(session_factory):
    return build(session_factory, auto=False)


@pytest.fixture
def auto_desk(session_factory):
    return build(session_factory, auto=True)


class TestQueue:
    def test_the_rma_reaches_the_desk_only_when_its_last_unit_is_dispositioned(self, desk):
        lpns = [u.lpn for u in desk["receiving"].receive(desk["clerk"], desk["pair"]).units]
        grade_a_and_dispose(desk, lpns[0])
        assert desk["queue"].page().total == 0
        grade_a_and_dispose(desk, lpns[1])
        page = desk["queue"].page()
        assert page.total == 1
        row = page.rows[0]
        assert (row.rma, row.kind, row.proposal.gross, row.proposal.amount, row.proposal.currency) == (
            desk["pair"], ResolutionKind.REFUND, Decimal("598.00"), Decimal("598.00"), "CNY")
        assert row.grades == ("A", "A") and row.unit_flags == () and not row.auto
        assert (row.history.returns, row.history.recent, row.history.flags) == (2, 2, ())
        assert row.why_en.startswith("Full refund 598.00 CNY") and row.why_zh.startswith("全额退款 598.00 CNY")

    def test_a_partial_parcel_waits_for_the_policys_deadline(self, desk):
        receive_and_dispose(desk, desk["pair"], ParcelInput(quantities={1: 1}))
        assert desk["queue"].page().total == 0
        desk["clock"].advance(days=desk["ctx"].policy.partial_wait_days, minutes=1)
        row = desk["queue"].page().rows[0]
        assert row.partial and row.proposal.amount == Decimal("299.00") and "Partial parcel" in row.why_en
        desk["resolution"].issue(desk["inspector"], desk["pair"])
        with desk["sf"]() as db:
            assert db.scalar(select(Rma.state).where(Rma.number == desk["pair"])) == RmaState.CLOSED

    def test_issuing_closes_the_rma_with_its_event_and_fills_the_cycle_time(self, desk):
        receive_and_dispose(desk, desk["jeans"])
        desk["clock"].advance(hours=5)
        desk["resolution"].issue(desk["inspector"], desk["jeans"])
        assert events(desk, desk["jeans"])[-2:] == ["resolution.issued", "rma.closed"]
        with desk["sf"]() as db:
            assert db.scalar(select(Rma.state).where(Rma.number == desk["jeans"])) == RmaState.CLOSED
            assert set(db.scalars(select(Unit.state))) == {UnitState.CLOSED}
        with desk["sf"].kw["bind"].connect() as conn:
            day = desk["clock"]().date()
            figures = {c.stage: c for c in cycle_times(conn, Period(day, day))}
        assert figures["received_to_resolved"].units == 1 and figures["received_to_resolved"].p50_h == 5.0
        assert desk["queue"].page().total == 0
        [history] = desk["queue"].history()
        assert (history.rma, history.kind, history.amount, history.automatic, history.closed) == (
            desk["jeans"], ResolutionKind.REFUND, Decimal("299.00"), False, True)
        assert history.decided_by == desk["inspector"].name  # a name, not a badge

    def test_history_lists_resolutions_that_never_passed_through_this_queue(self, desk):
        """Resolutions pulled from another dock, or made before the queue existed, are history too."""
        receive_and_dispose(desk, desk["jeans"])
        desk["resolution"].issue(desk["inspector"], desk["jeans"])
        with desk["sf"].begin() as db:
            db.execute(delete(ResolutionQueueEntry))
        [history] = desk["queue"].history()
        assert (history.rma, history.decided_by, history.closed) == (desk["jeans"], desk["inspector"].name, True)


class TestPermissions:
    def test_inspector_may_not_adjust_reject_or_go_above_the_limit(self, desk):
        receive_and_dispose(desk, desk["jeans"])
        receive_and_dispose(desk, desk["phone"])
        with pytest.raises(PermissionDenied, match="adjust a refund"):
            desk["resolution"].issue(desk["inspector"], desk["jeans"], adjusted_amount=Decimal("280"), note="scuff")
        with pytest.raises(PermissionDenied, match="adjust a refund"):
            desk["resolution"].issue(desk["inspector"], desk["jeans"], kind=ResolutionKind.EXCHANGE, note="asked")
        with pytest.raises(PermissionDenied, match="approve"):
            desk["resolution"].issue(desk["inspector"], desk["jeans"], reject_reason="used_or_damaged_by_customer")
        with pytest.raises(Exception, match="above the 2000.00 limit"):
            desk["resolution"].issue(desk["inspector"], desk["phone"])
        assert desk["queue"].page().total == 2

    def test_supervisor_changes_the_kind_only_with_a_reason(self, desk):
        receive_and_dispose(desk, desk["jeans"])
        with pytest.raises(InvalidInput, match="Say why"):
            desk["resolution"].issue(desk["supervisor"], desk["jeans"], kind=ResolutionKind.EXCHANGE)
        done = desk["resolution"].issue(desk["supervisor"], desk["jeans"], kind=ResolutionKind.EXCHANGE,
                                        note="customer asked on the phone")
        assert (done.kind, done.amount) == (ResolutionKind.EXCHANGE, Decimal("0.00"))


    def test_an_exchange_of_two_products_swaps_each_for_its_own_sku(self, desk):
        with desk["sf"].begin() as db:
            shirt = add_product(db, "AP-TS-M", value="99.00")
            socks = add_product(db, "AP-SK-1", value="19.00")
            number = add_rma(db, [(shirt, 1), (socks, 1)], reason="size").number
        receive_and_dispose(desk, number)
        done = desk["resolution"].issue(desk["supervisor"], number, kind=ResolutionKind.EXCHANGE,
                                        note="customer wants other sizes")
        assert (done.kind, done.amount) == (ResolutionKind.EXCHANGE, Decimal("0.00"))
        assert sorted((x["returned_sku"], x["new_sku"]) for x in done.details["exchange"]) == [
            ("AP-SK-1", "AP-SK-1"), ("AP-TS-M", "AP-TS-M")]


class TestPolicy:
    def test_policy_issues_a_routine_refund_when_the_last_unit_is_dispositioned(self, auto_desk):
        receive_and_dispose(auto_desk, auto_desk["jeans"])
        assert events(auto_desk, auto_desk["jeans"])[-2:] == ["resolution.issued", "rma.closed"]
        with auto_desk["sf"]() as db:
            audit_row = db.scalar(select(AuditEvent).where(AuditEvent.action == "rma.resolved"))
            assert (audit_row.operator_badge, audit_row.details["decided_by"]) == ("policy", "policy")
        [history] = auto_desk["queue"].history()
        assert history.automatic and history.closed and history.amount == Decimal("299.00")
        assert auto_desk["queue"].page().total == 0

    def test_policy_leaves_a_refund_above_the_limit_to_a_supervisor(self, auto_desk):
        receive_and_dispose(auto_desk, auto_desk["phone"])
        [row] = auto_desk["queue"].page().rows
        assert not row.auto and row.proposal.needs_supervisor and "Needs a supervisor" in row.why_en

    def test_resolve_auto_applies_the_policy_to_what_waits(self, desk):
        receive_and_dispose(desk, desk["jeans"])
        receive_and_dispose(desk, desk["phone"])
        ctx = desk["ctx"]
        auto = dataclasses.replace(ctx, policy=dataclasses.replace(ctx.policy, auto_resolve=True))
        outcomes = {o.rma: o for o in ResolutionQueue(auto).auto_resolve(desk["supervisor"])}
        assert outcomes[desk["jeans"]].issued and outcomes[desk["jeans"]].amount == Decimal("299.00")
        assert not outcomes[desk["phone"]].issued
        assert "above the 2000.00 limit" in outcomes[desk["phone"]].because
        assert [r.rma for r in desk["queue"].page().rows] == [desk["phone"]]
