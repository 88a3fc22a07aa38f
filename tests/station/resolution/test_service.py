"""Customer resolution: refunds by grade and policy, exchanges, adjustments, closing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from station.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from station.models import Grade, RequestedResolution, Resolution, ResolutionKind, Rma, RmaState, Role, Unit, UnitState
from station.receiving.service import ReceivingService
from station.resolution.service import ResolutionService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context


def grade_units(sf, grades: list[Grade]) -> None:
    """Stand-in for QC: give each received unit a grade and a disposition."""
    with sf.begin() as db:
        for unit, grade in zip(db.scalars(select(Unit).order_by(Unit.lpn)), grades, strict=True):
            unit.grade, unit.state = grade, UnitState.DISPOSITIONED


@pytest.fixture
def desk(session_factory):
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR)
        supervisor = add_operator(db, Role.SUPERVISOR)
        shoes = add_product(db, "SH-1", category="shoes", value="400.00")
        phone = add_product(db, "PH-1", category="electronics", value="2999.00", serialised=True)
        size = add_rma(db, [(shoes, 2)], reason="size", price="400.00")
        defective = add_rma(db, [(shoes, 1)], reason="defective", price="400.00")
        exchange = add_rma(db, [(shoes, 1)], requested=RequestedResolution.EXCHANGE, price="400.00")
        pricey = add_rma(db, [(phone, 1)], reason="changed_mind", price="2999.00")
        numbers = dict(size=size.number, defective=defective.number, exchange=exchange.number,
                       pricey=pricey.number)
    ctx = make_context(session_factory)
    return dict(sf=session_factory, receiving=ReceivingService(ctx), service=ResolutionService(ctx),
                clerk=clerk, inspector=inspector, supervisor=supervisor, **numbers)


def test_refund_keeps_the_restocking_fee_of_each_grade(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    grade_units(desk["sf"], [Grade.A, Grade.B])
    proposal = desk["service"].issue(desk["inspector"], desk["size"])
    assert (proposal.kind, proposal.gross, proposal.fee, proposal.amount) == (
        ResolutionKind.REFUND, Decimal("800.00"), Decimal("40.00"), Decimal("760.00"))
    with desk["sf"]() as db:
        # resolved, and closed at once: every unit already has its disposition
        assert db.scalar(select(Rma.state).where(Rma.number == desk["size"])) == RmaState.CLOSED
        assert db.scalar(select(Resolution.amount)) == Decimal("760.00")


def test_no_fee_when_the_shop_was_at_fault(desk):
    desk["receiving"].receive(desk["clerk"], desk["defective"])
    grade_units(desk["sf"], [Grade.C])
    assert desk["service"].propose(desk["defective"]).amount == Decimal("400.00")


def test_exchange_pays_nothing_back(desk):
    desk["receiving"].receive(desk["clerk"], desk["exchange"])
    grade_units(desk["sf"], [Grade.A])
    proposal = desk["service"].propose(desk["exchange"])
    assert (proposal.kind, proposal.amount) == (ResolutionKind.EXCHANGE, Decimal("0.00"))


def test_cannot_resolve_before_every_unit_has_a_disposition(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    with pytest.raises(IllegalTransition, match="still has 2 unit"):
        desk["service"].propose(desk["size"])


def test_refund_above_the_limit_needs_a_supervisor(desk):
    desk["receiving"].receive(desk["clerk"], desk["pricey"])
    grade_units(desk["sf"], [Grade.A])
    with pytest.raises(IllegalTransition, match="above the 2000.00 limit"):
        desk["service"].issue(desk["inspector"], desk["pricey"])
    assert desk["service"].issue(desk["supervisor"], desk["pricey"]).amount == Decimal("2999.00")


def test_adjustment_within_limit_by_supervisor_only(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    grade_units(desk["sf"], [Grade.A, Grade.B])
    with pytest.raises(PermissionDenied):
        desk["service"].issue(desk["inspector"], desk["size"], adjusted_amount=Decimal("780"), note="goodwill")
    with pytest.raises(InvalidInput, match="at most 152.00"):
        desk["service"].issue(desk["supervisor"], desk["size"], adjusted_amount=Decimal("500"), note="x")
    done = desk["service"].issue(desk["supervisor"], desk["size"], adjusted_amount=Decimal("780"),
                                 note="loyal customer")
    assert done.amount == Decimal("780.00")


def test_close_after_resolution_closes_units(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    grade_units(desk["sf"], [Grade.A, Grade.A])
    with pytest.raises(IllegalTransition):
        desk["service"].close(desk["supervisor"], desk["size"])
    desk["service"].issue(desk["inspector"], desk["size"])
    desk["service"].close(desk["supervisor"], desk["size"])
    with desk["sf"]() as db:
        assert set(db.scalars(select(Unit.state))) == {UnitState.CLOSED}


def events_of(sf, number):
    from station.models import DomainEvent

    with sf() as db:
        return [(e.name, e.rma_seq, e.payload) for e in db.scalars(
            select(DomainEvent).where(DomainEvent.rma_number == number).order_by(DomainEvent.rma_seq))]


def test_issuing_writes_the_resolution_issued_event_in_the_same_transaction(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    grade_units(desk["sf"], [Grade.A, Grade.B])
    with pytest.raises(InvalidInput):
        desk["service"].issue(desk["supervisor"], desk["size"], adjusted_amount=Decimal("500"), note="x")
    assert [e[0] for e in events_of(desk["sf"], desk["size"])] == ["rma.received"]  # nothing from the failed call
    desk["service"].issue(desk["supervisor"], desk["size"], adjusted_amount=Decimal("780"), note="loyal customer")
    *_, (name, seq, payload), closed = events_of(desk["sf"], desk["size"])
    assert (name, seq) == ("resolution.issued", 2) and closed[:2] == ("rma.closed", 3)
    assert {k: payload[k] for k in ("kind", "amount", "computed_amount", "adjusted", "currency", "rule")} == {
        "kind": "refund", "amount": "780.00", "computed_amount": "760.00", "adjusted": True, "currency": "CNY",
        "rule": "refund_less_fee"}
    from station.models import AuditEvent
    with desk["sf"]() as db:
        audit_row = db.scalar(select(AuditEvent).where(AuditEvent.action == "rma.resolved"))
        assert (audit_row.details["amount"], audit_row.details["computed_amount"]) == ("780.00", "760.00")


def test_rejection_needs_a_supervisor_and_carries_the_customers_words(desk):
    desk["receiving"].receive(desk["clerk"], desk["size"])
    grade_units(desk["sf"], [Grade.A, Grade.A])
    with pytest.raises(PermissionDenied):
        desk["service"].issue(desk["inspector"], desk["size"], reject_reason="used_or_damaged_by_customer")
    done = desk["service"].issue(desk["supervisor"], desk["size"], reject_reason="used_or_damaged_by_customer")
    assert (done.kind, done.amount) == (ResolutionKind.REJECTED, Decimal("0.00"))
    with desk["sf"]() as db:
        assert db.scalar(select(Resolution.reason)) == \
            "The item shows use or damage that the return conditions do not cover."
    payload = events_of(desk["sf"], desk["size"])[-2][2]
    assert payload["rejection"]["zh"] == "商品有使用痕迹或人为损坏，不符合退货条件。"


def test_flagged_unit_sends_the_refund_to_a_supervisor(desk):
    desk["receiving"].receive(desk["clerk"], desk["defective"])
    with desk["sf"].begin() as db:
        unit = db.scalar(select(Unit))
        unit.grade, unit.state, unit.flags = Grade.A, UnitState.DISPOSITIONED, ["serial_mismatch"]
    assert desk["service"].propose(desk["defective"]).suggested_rejection == "not_the_item_sold"
    with pytest.raises(IllegalTransition, match="Rule suspected_fraud"):
        desk["service"].issue(desk["inspector"], desk["defective"])
    assert desk["service"].issue(desk["supervisor"], desk["defective"]).amount == Decimal("400.00")


def test_exchange_for_another_sku(desk):
    with desk["sf"].begin() as db:
        add_product(db, "SH-2", category="shoes", value="350.00")
    desk["receiving"].receive(desk["clerk"], desk["exchange"])
    grade_units(desk["sf"], [Grade.B])
    done = desk["service"].issue(desk["inspector"], desk["exchange"], exchange_sku="sh-2")
    assert (done.kind, done.amount) == (ResolutionKind.EXCHANGE, Decimal("50.00"))
    payload = events_of(desk["sf"], desk["exchange"])[-2][2]
    assert payload["exchange"][0]["new_sku"] == "SH-2" and payload["difference_refunded"] == "50.00"


def test_compensation_for_a_kept_item_cancels_the_return(desk):
    with pytest.raises(InvalidInput, match="does not qualify"):
        desk["service"].compensate(desk["inspector"], desk["size"], "coupon")
    done = desk["service"].compensate(desk["inspector"], desk["defective"], "partial_refund", note="agreed by phone")
    assert (done.kind, done.amount) == (ResolutionKind.COMPENSATION, Decimal("60.00"))
    with desk["sf"]() as db:
        assert db.scalar(select(Rma.state).where(Rma.number == desk["defective"])) == RmaState.RESOLVED
    with pytest.raises(IllegalTransition):
        desk["service"].compensate(desk["inspector"], desk["defective"], "coupon")
    assert events_of(desk["sf"], desk["defective"])[-1][2]["form"] == "partial_refund"
