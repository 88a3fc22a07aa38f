"""A request's value and its photo rule, each one function the policy, the review desk and the
request page all ask (before, the desk summed the lines itself and the page checked the
policy's photo list itself)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.catalog.reasons import load_reasons
from station.core.errors import InvalidInput
from station.core.return_policy import load_policy
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.policy.decision import LineFacts, Outcome, photo_required, photos_missing, request_value
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload, seed_catalogue

POLICY = load_policy()


def test_a_requests_value_is_each_lines_price_times_its_quantity_exactly() -> None:
    lines = [LineFacts("TEE-1", "apparel", 3, "size", Decimal("99.10")),
             LineFacts("SOCK-1", "apparel", 3, "size", Decimal("0.10"))]
    assert request_value(lines) == Decimal("297.60")  # Decimal: no 297.59999 at the threshold
    assert request_value([]) == Decimal("0")


def test_the_desk_shows_the_value_the_policy_decided_on(session_factory) -> None:
    seed_catalogue(session_factory)
    intake = IntakeService(make_context(session_factory, Clock()))
    intake.submit_order(parse_order(order_payload()))
    payload = request_payload(sku="PHONE-1", reason="changed_mind")
    payload["lines"].append({"sku": "TEE-1", "quantity": 2, "reason": "size", "comment": ""})
    view = intake.request_return(parse_request(payload))
    assert view.decision.outcome == Outcome.PENDING_REVIEW
    [pending] = intake.pending_reviews()
    assert request_value(pending.lines) == Decimal("3197.00")
    assert view.decision.reasons[0].en.startswith("The return is worth 3197.00;")


def test_the_policys_photo_reasons_are_the_ones_that_need_a_photo() -> None:
    needs = {code for code in load_reasons().codes if photo_required(POLICY, code)}
    assert needs == set(POLICY.request.photos_required_for) == {
        "damaged", "defective", "not_as_described", "wrong_item_sent"}
    assert photos_missing(POLICY, ["size", "defective", "damaged"], photos=0) == "defective"
    assert photos_missing(POLICY, ["size", "defective"], photos=1) is None
    assert photos_missing(POLICY, ["size", "changed_mind"], photos=0) is None


@pytest.mark.parametrize("reason", ["damaged", "size"])
def test_intake_refuses_a_request_without_a_photo_exactly_when_the_rule_says(session_factory, reason) -> None:
    seed_catalogue(session_factory)
    intake = IntakeService(make_context(session_factory, Clock()))
    intake.submit_order(parse_order(order_payload()))
    without = parse_request(request_payload(reason=reason))
    if photo_required(POLICY, reason):
        with pytest.raises(InvalidInput, match="needs at least one photo"):
            intake.request_return(without)
        assert intake.request_return(parse_request(request_payload(reason=reason, photos=[jpeg_b64()])))
    else:
        assert intake.request_return(without).rma_number
