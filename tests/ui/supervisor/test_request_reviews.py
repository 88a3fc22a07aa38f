"""A supervisor reviews customers' return requests at the desk's approvals: photos, order,
history, the customer's comment as text; authorise, or refuse with the customer's language; cancel
a request under review, or an authorised one not yet received, with a reason (issue 24)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import Role
from station.models.events import DomainEvent
from station.models.journal import AuditEvent
from station.receiving.service import ReceivingService
from station.supervision.desk import SupervisionService
from tests.helpers.builders import Clock, add_operator, make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload, seed_catalogue
from tests.ui.supervisor.conftest import focus, following, show
from ui.supervisor.approvals_view import ApprovalsView

COMMENT = "<b>screen cracked</b> <img src=x>"


@pytest.fixture
def reviews(sf):
    seed_catalogue(sf)
    ctx = make_context(sf, Clock())
    intake = IntakeService(ctx)
    intake.submit_order(parse_order(order_payload()))
    intake.submit_order(parse_order(order_payload("SO-2002", language="zh", customer_ref="C-2")))
    earlier = intake.request_return(parse_request(request_payload(sku="TEE-1")))
    en = intake.request_return(parse_request(request_payload(sku="PHONE-1", reason="damaged", comment=COMMENT,
                                                             photos=[jpeg_b64((80, 60))])))
    zh = intake.request_return(parse_request(request_payload("SO-2002", sku="PHONE-1", reason="changed_mind")))
    with sf.begin() as db:
        boss = add_operator(db, Role.SUPERVISOR)
    return ctx, intake, boss, earlier, en, zh


def open_view(qtbot, ctx, intake, boss, background, bridge):
    view = ApprovalsView(SupervisionService(ctx), boss, background, bridge, intake=intake)
    show(qtbot, following(view, ctx.session_factory))
    view.refresh()
    return view


def pick(panel, number):
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == number)
    panel.table.selectRow(row)


def test_supervisor_sees_photo_order_history_and_the_comment_as_text(qtbot, reviews, background, bridge):
    ctx, intake, boss, earlier, en, zh = reviews
    view = open_view(qtbot, ctx, intake, boss, background, bridge)
    panel = view.requests
    assert {panel.table.item(r, 0).text() for r in range(panel.table.rowCount())} == {en.rma_number, zh.rma_number}
    pick(panel, en.rma_number)
    text = panel.details.toPlainText()
    assert f"Customer's comment: {COMMENT}" in text
    assert "3 x T-shirt (TEE-1, apparel) at 99.00, 2 not yet returned" in text
    assert f"The customer's other returns: 1\n  {earlier.rma_number}" in text
    assert "Why it is here:\n  - The return is worth 2999.00" in text
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == en.rma_number)
    assert panel.table.item(row, 3).text() == "2999.00 CNY"  # the value in the order's money
    [photo] = panel.photo_labels
    assert photo.pixmap().width() == 120 and photo.pixmap().height() == 90
    assert panel.details.document().toHtml().count("&lt;b&gt;screen cracked&lt;/b&gt;") == 1


def test_authorise_from_the_desk_makes_the_rma(qtbot, reviews, background, bridge, messages):
    ctx, intake, boss, _, en, _ = reviews
    panel = open_view(qtbot, ctx, intake, boss, background, bridge).requests
    pick(panel, en.rma_number)
    with qtbot.waitSignal(panel.decided, timeout=2000):
        panel.authorise_button.click()
    assert intake.get(en.rma_number).status == "authorised" and intake.get(en.rma_number).rma_state == "authorised"
    assert messages[-1].title == "Authorised"
    qtbot.waitUntil(lambda: en.rma_number not in [panel.table.item(r, 0).text()
                                                  for r in range(panel.table.rowCount())])


def test_refusing_a_chinese_reader_needs_the_reason_in_chinese(qtbot, reviews, background, bridge, messages):
    ctx, intake, boss, _, _, zh = reviews
    panel = open_view(qtbot, ctx, intake, boss, background, bridge).requests
    pick(panel, zh.rma_number)
    panel.note.setText("The phone was activated.")
    panel.refuse_button.click()
    assert "in Chinese too" in messages[-1].text and intake.get(zh.rma_number).status == "pending_review"
    pick(panel, zh.rma_number)
    panel.note_zh.setText("手机已激活。")
    with qtbot.waitSignal(panel.decided, timeout=2000):
        panel.refuse_button.click()
    assert intake.get(zh.rma_number).refusal_reason == "手机已激活。"


def test_a_clerk_cannot_authorise(qtbot, reviews, background, bridge, messages, sf):
    ctx, intake, _, _, en, _ = reviews
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    panel = open_view(qtbot, ctx, intake, clerk, background, bridge).requests
    pick(panel, en.rma_number)
    panel.authorise_button.click()
    assert messages[-1].code == "permission_denied" and intake.get(en.rma_number).status == "pending_review"


def listed(panel) -> list[str]:
    return [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]


def test_supervisor_cancels_a_request_under_review_with_the_key_and_a_reason(qtbot, reviews, background, bridge,
                                                                              messages, sf):
    ctx, intake, boss, _, en, _ = reviews
    view = open_view(qtbot, ctx, intake, boss, background, bridge)
    panel = view.requests
    pick(panel, en.rma_number)
    focus(qtbot, panel.note)
    qtbot.keyClicks(panel.note, "Customer phoned: keeps the phone.")
    with qtbot.waitSignal(panel.cancelled, timeout=2000):
        qtbot.keyClick(panel.note, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    request = intake.get(en.rma_number)
    assert (request.status, request.refusal_reason) == ("cancelled", "Customer phoned: keeps the phone.")
    assert (messages[-1].title, messages[-1].text) == ("Cancelled", en.rma_number)
    qtbot.waitUntil(lambda: en.rma_number not in listed(panel))
    with sf() as db:
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "rma_request.cancelled")).one()
        event = db.scalars(select(DomainEvent).where(DomainEvent.name == "rma.cancelled")).one()
    assert audit.operator_badge == boss.badge and audit.details["was"] == "pending_review"
    assert event.payload["reason"] == "Customer phoned: keeps the phone."
    assert panel.note.text() == ""


def test_an_authorised_request_not_yet_received_is_cancelled_by_its_number(qtbot, reviews, background, bridge,
                                                                         messages):
    ctx, intake, boss, earlier, _, _ = reviews
    assert intake.get(earlier.rma_number).status == "authorised"  # not in the review list
    panel = open_view(qtbot, ctx, intake, boss, background, bridge).requests
    panel.cancel_number.setText(earlier.rma_number.lower())
    panel.note.setText("Sent a replacement instead.")
    with qtbot.waitSignal(panel.cancelled, timeout=2000):
        panel.cancel_button.click()
    request = intake.get(earlier.rma_number)
    assert (request.status, request.rma_state) == ("cancelled", "cancelled")
    assert panel.cancel_number.text() == ""


def test_cancel_needs_a_reason_and_refuses_a_return_whose_parcel_arrived(qtbot, reviews, background, bridge,
                                                                         messages, sf):
    ctx, intake, boss, earlier, en, _ = reviews
    panel = open_view(qtbot, ctx, intake, boss, background, bridge).requests
    pick(panel, en.rma_number)
    panel.cancel_button.click()
    assert messages[-1].title == "Reason needed" and intake.get(en.rma_number).status == "pending_review"
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    ReceivingService(ctx).receive(clerk, earlier.rma_number)
    panel.cancel_number.setText(earlier.rma_number)
    panel.note.setText("Too late?")
    panel.cancel_button.click()
    assert "cannot be cancelled" in messages[-1].text and intake.get(earlier.rma_number).rma_state == "received"


def test_a_clerk_cannot_cancel_a_request(qtbot, reviews, background, bridge, messages, sf):
    ctx, intake, _, _, en, _ = reviews
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    panel = open_view(qtbot, ctx, intake, clerk, background, bridge).requests
    pick(panel, en.rma_number)
    panel.note.setText("no")
    panel.cancel_button.click()
    assert messages[-1].code == "permission_denied" and intake.get(en.rma_number).status == "pending_review"
