"""A shop's order system sends orders and return requests; the policy decides each one."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from sqlalchemy import select

from station.core.errors import InvalidInput, NotFound
from station.core.identifiers import is_valid_rma_number
from station.intake.errors import Conflict
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import AuditEvent, DomainEvent, Rma, RmaState, Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import Clock, add_operator, make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload, seed_catalogue


@pytest.fixture
def shop(session_factory):
    seed_catalogue(session_factory)
    clock = Clock()
    ctx = make_context(session_factory, clock)
    service = IntakeService(ctx)
    service.submit_order(parse_order(order_payload()), by="shop")
    return service, ctx, clock


def ask(service, **kw):
    return service.request_return(parse_request(request_payload(**kw)), by="shop")


class TestOrders:
    def test_repeat_of_the_same_order_changes_nothing(self, shop):
        service, ctx, _ = shop
        assert service.submit_order(parse_order(order_payload()), by="shop").status == "unchanged"
        with ctx.session_factory() as db:
            assert db.scalar(select(AuditEvent.action).where(AuditEvent.action == "order.created"))
            assert len(db.scalars(select(AuditEvent).where(AuditEvent.action.like("order.%"))).all()) == 1

    def test_changed_order_is_updated_but_not_below_what_is_being_returned(self, shop):
        service, _, _ = shop
        ask(service, quantity=2)
        smaller = order_payload(lines=[{"sku": "TEE-1", "quantity": 1, "unit_price": "99.00"}])
        with pytest.raises(Conflict, match="2 of TEE-1 are already being returned"):
            service.submit_order(parse_order(smaller), by="shop")
        bigger = order_payload(lines=[{"sku": "TEE-1", "quantity": 5, "unit_price": "99.00"}])
        assert service.submit_order(parse_order(bigger), by="shop").status == "updated"
        assert service.returnable_lines("SO-1001")[0].remaining == 3

    def test_order_with_unknown_sku_is_refused_naming_it(self, shop):
        service, _, _ = shop
        bad = order_payload("SO-2", lines=[{"sku": "NOPE-9", "quantity": 1, "unit_price": "1.00"}])
        with pytest.raises(InvalidInput, match="NOPE-9 not in the station's catalogue"):
            service.submit_order(parse_order(bad))

    def test_every_problem_in_an_order_is_named_at_once(self):
        with pytest.raises(InvalidInput) as info:
            parse_order({"order_number": "X", "placed_at": "yesterday", "currency": "yuan",
                         "customer": {"name": "A"}, "lines": [{"sku": "A", "quantity": 0}]})
        text = str(info.value)
        for part in ("placed_at", "currency", "customer.ref", "lines[1].quantity", "lines[1].unit_price"):
            assert part in text


class TestPolicyDecides:
    def test_cheap_item_in_its_window_is_authorised_with_an_rma_the_dock_can_receive(self, shop):
        service, ctx, _ = shop
        view = ask(service)
        assert view.status == "authorised" and is_valid_rma_number(view.rma_number)
        clerk = _clerk(ctx)
        card = ReceivingService(ctx).find(view.rma_number)
        assert card.number == view.rma_number
        assert ReceivingService(ctx).receive(clerk, view.rma_number).rma_number == view.rma_number
        with ctx.session_factory() as db:
            names = [e.name for e in db.scalars(select(DomainEvent).where(
                DomainEvent.rma_number == view.rma_number).order_by(DomainEvent.rma_seq))]
        assert names == ["rma.requested", "rma.authorised", "rma.received"]

    def test_quantity_above_what_remains_is_refused_as_invalid(self, shop):
        service, _, _ = shop
        ask(service, quantity=2)
        with pytest.raises(InvalidInput, match="only 1 of 3 ordered can still be returned"):
            ask(service, quantity=2)

    def test_window_passed_is_refused_with_the_rules_words(self, shop):
        service, _, clock = shop
        clock.advance(days=40)
        view = ask(service)
        assert view.status == "refused"
        assert view.decision.rule == "window.days.apparel"
        assert "30 days from delivery" in view.decision.reasons[0].en
        assert "签收后 30 天" in view.decision.reasons[0].zh

    def test_gift_card_is_refused_as_non_returnable(self, shop):
        service, ctx, _ = shop
        view = ask(service, sku="GIFT-1")
        assert (view.status, view.decision.rule) == ("refused", "returnable.non_returnable")
        [words] = view.decision.reasons  # the category in words, never its code
        assert words.en == "Gift card: gift cards cannot be returned under the shop's policy."
        assert words.zh == "礼品卡：礼品卡类商品按本店政策不可退货。"  # the product's name, not its SKU
        with ctx.session_factory() as db:
            assert db.scalar(select(Rma).where(Rma.number == view.rma_number)) is None
        with pytest.raises(NotFound):
            ReceivingService(ctx).find(view.rma_number)

    def test_expensive_phone_goes_to_review_then_a_supervisor_authorises(self, shop):
        service, ctx, _ = shop
        view = ask(service, sku="PHONE-1", reason="changed_mind")
        assert (view.status, view.decision.rule) == ("pending_review", "request.auto_authorise_below")
        assert [v.rma_number for v in service.pending_reviews()] == [view.rma_number]
        with ctx.session_factory.begin() as db:
            boss = add_operator(db, Role.SUPERVISOR)
        done = service.authorise(boss, view.rma_number)
        assert done.status == "authorised" and done.rma_state == RmaState.AUTHORISED
        with ctx.session_factory() as db:
            rma = db.scalar(select(Rma).where(Rma.number == view.rma_number))
            assert rma.lines[0].serial == "IMEI-1"
            assert rma.deadline == (ctx.now() + dt.timedelta(days=15)).date()

    def test_refusal_of_a_chinese_customer_needs_the_reason_in_chinese(self, session_factory):
        seed_catalogue(session_factory)
        ctx = make_context(session_factory)
        service = IntakeService(ctx)
        service.submit_order(parse_order(order_payload("SO-ZH", language="zh")))
        view = ask(service, number="SO-ZH", sku="PHONE-1", reason="changed_mind")
        with ctx.session_factory.begin() as db:
            boss = add_operator(db, Role.SUPERVISOR)
        with pytest.raises(InvalidInput, match="in Chinese"):
            service.refuse(boss, view.rma_number, "Used phone")
        refused = service.refuse(boss, view.rma_number, "Used phone", "手机已使用")
        assert refused.status == "refused" and refused.refusal_reason == "手机已使用"

    def test_flagged_order_goes_to_review(self, session_factory):
        seed_catalogue(session_factory)
        service = IntakeService(make_context(session_factory))
        service.submit_order(parse_order(order_payload("SO-F", flagged=True)))
        view = ask(service, number="SO-F")
        assert (view.status, view.decision.rule) == ("pending_review", "request.review_flagged_orders")

    def test_damaged_needs_a_photo_and_a_real_one_is_stored(self, shop):
        service, _, _ = shop
        with pytest.raises(InvalidInput, match="needs at least one photo"):
            ask(service, reason="damaged")
        view = ask(service, reason="damaged", photos=[jpeg_b64()])
        assert view.status == "authorised" and len(view.photos) == 1

    def test_a_text_file_is_not_a_photo(self, shop):
        service, _, _ = shop
        text = base64.b64encode(b"hello, this is not a picture").decode()
        with pytest.raises(InvalidInput, match="not a JPEG or PNG"):
            ask(service, reason="damaged", photos=[text])

    def test_cosmetics_only_for_the_reasons_the_policy_allows(self, session_factory):
        seed_catalogue(session_factory)
        service = IntakeService(make_context(session_factory))
        service.submit_order(parse_order(order_payload("SO-L", lines=[
            {"sku": "LIP-1", "quantity": 1, "unit_price": "120.00"}])))
        view = ask(service, number="SO-L", sku="LIP-1", reason="changed_mind")
        assert (view.status, view.decision.rule) == ("refused", "request.reasons_allowed.cosmetics")


class TestIdempotency:
    def test_same_key_same_request_returns_the_first_answer(self, shop):
        service, _, _ = shop
        first = service.request_return(parse_request(request_payload()), by="shop", idempotency_key="k1")
        again = service.request_return(parse_request(request_payload()), by="shop", idempotency_key="k1")
        assert again.rma_number == first.rma_number and again.replayed
        assert service.returnable_lines("SO-1001")[0].remaining == 2

    def test_same_key_for_another_request_is_a_conflict(self, shop):
        service, _, _ = shop
        service.request_return(parse_request(request_payload()), by="shop", idempotency_key="k1")
        with pytest.raises(Conflict, match="already used"):
            service.request_return(parse_request(request_payload(quantity=2)), by="shop", idempotency_key="k1")


def _clerk(ctx):
    with ctx.session_factory.begin() as db:
        return add_operator(db, Role.CLERK)


class TestDockHoldsByPolicy:
    """A gift card was received; a phone 25 days after authorisation was accepted (window 15)."""

    def test_phone_25_days_after_authorisation_is_held_with_the_rules_words(self, session_factory):
        from station.models import Product
        from tests.helpers.builders import add_rma

        seed_catalogue(session_factory)
        clock = Clock()
        ctx = make_context(session_factory, clock)
        with session_factory.begin() as db:
            phone = db.scalar(select(Product).where(Product.sku == "PHONE-1"))
            rma = add_rma(db, [(phone, 1)], authorised=clock.now - dt.timedelta(days=25), window_days=30)
            number = rma.number
        result = ReceivingService(ctx).receive(_clerk(ctx), number)
        assert result.outcome.value == "awaiting_approval"
        assert "electronics window is 15 days from authorisation" in result.message
        assert "policy_hold" in result.flags

    def test_gift_card_in_a_parcel_is_held(self, session_factory):
        from station.models import Approval, Product
        from tests.helpers.builders import add_rma

        seed_catalogue(session_factory)
        ctx = make_context(session_factory)
        with session_factory.begin() as db:
            gift = db.scalar(select(Product).where(Product.sku == "GIFT-1"))
            number = add_rma(db, [(gift, 1)]).number
        result = ReceivingService(ctx).receive(_clerk(ctx), number)
        assert result.outcome.value == "awaiting_approval"
        assert "does not take back" in result.message
        with session_factory() as db:
            assert "returnable.non_returnable" in db.scalar(select(Approval.summary))

    def test_apparel_within_its_window_is_received(self, shop):
        service, ctx, clock = shop
        view = ask(service)
        clock.advance(days=20)
        assert ReceivingService(ctx).receive(_clerk(ctx), view.rma_number).outcome.value == "received"


class TestExplain:
    def test_explain_names_the_rule_and_the_photo_need(self, shop):
        service, _, clock = shop
        decision, photo = service.explain("SO-1001", "GIFT-1", "damaged")
        assert (decision.rule, photo) == ("returnable.non_returnable", "damaged")
        clock.advance(days=20)
        decision, _ = service.explain("SO-1001", "PHONE-1", "size")
        assert decision.rule == "window.days.electronics" and "15 days from delivery" in decision.reasons[0].en

    def test_explain_agrees_with_the_request_about_what_is_left(self, shop):
        """It used to say "authorised" for a line with nothing left, which a request is refused."""
        service, _, _ = shop
        ask(service, quantity=2)
        assert service.explain("SO-1001", "TEE-1", "size")[0].outcome.value == "authorised"  # one is left
        ask(service, quantity=1)
        with pytest.raises(InvalidInput, match="Nothing of TEE-1 on order SO-1001 can be returned any more: "
                                               "all 3 ordered were already asked for."):
            service.explain("SO-1001", "TEE-1", "size")
