"""Where a customer's return stands (``station.intake.progress``), through the real services:
asked -> authorised (send by) -> received -> inspected -> exchange issued for the size the
customer chose -> closed; refused and voucher requests said plainly; one read for many."""

from __future__ import annotations

import pytest

from station.core.errors import InvalidInput
from station.inspection.service import InspectionService
from station.intake.inputs import RequestInput, RequestLineInput, parse_order
from station.intake.service import IntakeService
from station.models import Product, Role
from station.receiving.service import ReceivingService
from station.resolution.service import ResolutionService
from tests.helpers.builders import add_operator, make_context
from tests.helpers.intake import order_payload, seed_catalogue
from tests.helpers.qc import good_answer


@pytest.fixture
def dock(session_factory):
    seed_catalogue(session_factory)
    with session_factory.begin() as db:
        # TEE-1 comes in sizes: TEE-1-L is another product of its family
        tee = db.query(Product).filter_by(sku="TEE-1").one()
        tee.family, tee.variant = "TEE", {"size": "M"}
        db.add(Product(sku="TEE-1-L", name_en="T-shirt, L", name_zh="T恤 L码", category="apparel",
                       unit_value=tee.unit_value, family="TEE", variant={"size": "L"}, station_id="CENTRAL"))
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR)
        supervisor = add_operator(db, Role.SUPERVISOR)
    ctx = make_context(session_factory)
    intake = IntakeService(ctx)
    intake.submit_order(parse_order(order_payload()))
    return dict(intake=intake, clerk=clerk, inspector=inspector, supervisor=supervisor,
                receiving=ReceivingService(ctx), inspection=InspectionService(ctx),
                resolution=ResolutionService(ctx))


def ask(dock, sku="TEE-1", reason="size", resolution="refund", exchange_sku=""):
    return dock["intake"].request_return(RequestInput(
        "SO-1001", (RequestLineInput(sku, 1, reason, "", exchange_sku),), resolution), by="customer")


def done(progress):
    return [s.name for s in progress.steps if s.done]


def test_customer_follows_an_exchange_from_asked_to_closed(dock):
    number = ask(dock, resolution="exchange", exchange_sku="TEE-1-L").rma_number
    progress = dock["intake"].get(number).progress
    assert progress.current == "authorised" and done(progress) == ["asked", "authorised"]
    assert progress.parcel and progress.send_by is not None  # the policy's window, from authorisation

    lpn = dock["receiving"].receive(dock["clerk"], number).units[0].lpn
    progress = dock["intake"].get(number).progress
    assert progress.current == "received" and progress.received_units == 1 == progress.expected_units

    view = dock["inspection"].start(dock["inspector"], lpn)
    while view.next_question is not None:
        view = dock["inspection"].answer(dock["inspector"], view.inspection_id, view.next_question.id,
                                         good_answer(view.next_question))
    dock["inspection"].finish(dock["inspector"], view.inspection_id)
    dock["inspection"].dispose(dock["inspector"], lpn)
    progress = dock["intake"].get(number).progress
    assert progress.current == "inspected" and progress.outcome is None
    issued = dock["resolution"].issue(dock["supervisor"], number)
    assert [u.exchange_sku for u in issued.units] == ["TEE-1-L"]  # the customer's choice reached the desk
    progress = dock["intake"].get(number).progress  # every unit dispositioned: closed with the resolution
    assert progress.current == "closed" and progress.outcome == "exchange"
    assert done(progress) == ["asked", "authorised", "received", "inspected", "resolved", "closed"]
    assert dock["intake"].get(number).as_json()["progress"]["current"] == "closed"


def test_the_desk_proposes_the_variant_the_customer_chose(dock):
    number = ask(dock, resolution="exchange", exchange_sku="TEE-1-L").rma_number
    assert dock["intake"].get(number).lines[0].exchange_sku == "TEE-1-L"
    lpn = dock["receiving"].receive(dock["clerk"], number).units[0].lpn
    view = dock["inspection"].start(dock["inspector"], lpn)
    while view.next_question is not None:
        view = dock["inspection"].answer(dock["inspector"], view.inspection_id, view.next_question.id,
                                         good_answer(view.next_question))
    dock["inspection"].finish(dock["inspector"], view.inspection_id)
    dock["inspection"].dispose(dock["inspector"], lpn)
    from station.resolution.queue import ResolutionQueue

    rows = ResolutionQueue(dock["intake"].ctx).page().rows
    row = next(r for r in rows if r.rma == number)  # on the desk, saying what to send
    assert "TEE-1-L for TEE-1" in row.why_en and "TEE-1-L（换 TEE-1）" in row.why_zh


def test_a_variant_of_another_product_is_refused(dock):
    with pytest.raises(InvalidInput, match="not a size or colour of TEE-1"):
        ask(dock, resolution="exchange", exchange_sku="PHONE-1")
    with pytest.raises(InvalidInput, match="only for an exchange"):
        ask(dock, resolution="refund", exchange_sku="TEE-1-L")


def test_a_refused_request_ends_there_in_one_step(dock):
    number = ask(dock, sku="GIFT-1", reason="changed_mind").rma_number
    progress = dock["intake"].get(number).progress
    assert progress.current == "refused" and progress.ended == "refused" and done(progress) == ["asked"]


def test_a_voucher_asks_for_no_parcel(dock):
    view = ask(dock, reason="missing_parts", resolution="compensation")
    progress = dock["intake"].get(view.rma_number).progress
    assert not progress.parcel and progress.send_by is None
    assert [s.name for s in progress.steps] == ["asked", "authorised", "resolved", "closed"]
    assert view.as_json()["label_url"] is None  # the API hands out no label for it
    dock["resolution"].compensate(dock["supervisor"], view.rma_number)
    progress = dock["intake"].get(view.rma_number).progress
    assert progress.current == "resolved" and progress.outcome == "compensation"


def test_a_review_is_pending_and_the_order_lists_every_return_with_its_progress(dock):
    first = ask(dock).rma_number
    second = ask(dock, sku="PHONE-1", reason="changed_mind").rma_number  # 2999: above the auto limit
    listed = {v.rma_number: v.progress.current for v in dock["intake"].returns_of_order("SO-1001")}
    assert listed == {first: "authorised", second: "pending_review"}


def test_a_return_the_shop_withdrew_ends_cancelled(dock):
    waiting = ask(dock, sku="PHONE-1", reason="changed_mind").rma_number  # sent to review
    authorised = ask(dock).rma_number
    for number in (waiting, authorised):
        dock["intake"].cancel(dock["supervisor"], number, "Out of stock")
    waiting_p, authorised_p = (dock["intake"].get(n).progress for n in (waiting, authorised))
    assert waiting_p.current == waiting_p.ended == "cancelled" and done(waiting_p) == ["asked"]
    assert authorised_p.current == authorised_p.ended == "cancelled"
    assert done(authorised_p) == ["asked", "authorised"] and authorised_p.ended_at is not None
