"""The customer hears about a return request by e-mail (real SMTP peer): received and sent for
review, authorised with the label attached, refused with the reason, cancelled by the shop (not to
send the parcel), in the customer's language;
whatever the customer typed arrives as text, never as HTML."""

from __future__ import annotations

import re

import pytest

from station.integrations import ledger
from station.integrations.mail import SmtpMailer, SmtpSettings
from station.integrations.notifier import Notifier
from station.integrations.unsubscribe import record_opt_out
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import Role
from tests.helpers.builders import Clock, add_operator, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from tests.labels.helpers import decoded, pdf_pages
from tests.station.integrations.smtp_peer import smtp_server
from web.return_labels import label_attachments
from web.status_links import status_links

DOCK = "Returns dock 3\n88 Harbour Road\nShanghai 200000"
COMMENT = '<img src=x onerror="steal()"> screen <b>cracked</b>'


@pytest.fixture
def desk(engine, session_factory):
    ledger.init(engine)
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    intake = IntakeService(ctx)
    intake.submit_order(parse_order(order_payload()))
    intake.submit_order(parse_order(order_payload("SO-2002", language="zh", customer_ref="C-2")))
    with session_factory.begin() as db:
        boss = add_operator(db, Role.SUPERVISOR)
    with smtp_server() as (inbox, port):
        notifier = Notifier(engine, mailer=SmtpMailer(SmtpSettings("127.0.0.1", port)), clock=ctx.clock,
                            attachments=label_attachments(intake, DOCK))
        yield intake, boss, notifier, inbox
        notifier.close()
    ledger.drop(engine)


def parts(mail):
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    return text, html, [(a.get_filename(), a.get_content()) for a in mail.iter_attachments()]


def test_request_sent_for_review_then_authorised_brings_two_mails_and_the_label(desk):
    intake, boss, notifier, inbox = desk
    view = intake.request_return(parse_request(request_payload(sku="PHONE-1", reason="changed_mind",
                                                               comment=COMMENT)))
    assert view.status == "pending_review"
    assert notifier.run_once().sent == 1
    received = inbox.by_subject()[f"We have received your return request {view.rma_number}"]
    text, html, files = parts(received)
    assert "within\n2 working days" in text and COMMENT in text
    assert "&lt;img src=x onerror=&quot;steal()&quot;&gt; screen &lt;b&gt;cracked&lt;/b&gt;" in html
    assert "<img" not in html and "<b>" not in html and files == []

    intake.authorise(boss, view.rma_number, "ok")
    assert notifier.run_once().sent == 1
    authorised = inbox.by_subject()[f"Your return {view.rma_number} is authorised: your label is attached"]
    text, html, files = parts(authorised)
    assert "Items: Phone × 1." in text
    [(name, pdf)] = files
    assert name == f"return-label-{view.rma_number}.pdf"
    assert ("Code128", view.rma_number) in decoded(pdf_pages(pdf, 203)[0])


def test_chinese_customer_refused_by_the_supervisor_reads_why_in_chinese(desk):
    intake, boss, notifier, inbox = desk
    body = request_payload("SO-2002", sku="PHONE-1", reason="changed_mind")
    view = intake.request_return(parse_request(body))
    intake.refuse(boss, view.rma_number, "The phone was activated.", "手机已激活，无法退货。")
    report = notifier.run_once()
    assert report.sent == 2
    mails = inbox.by_subject()
    assert set(mails) == {f"已收到您的退货申请 {view.rma_number}", f"很抱歉，无法受理您的退货申请 {view.rma_number}"}
    text, _, _ = parts(mails[f"很抱歉，无法受理您的退货申请 {view.rma_number}"])
    assert "原因：手机已激活，无法退货。" in text and "商品：手机 × 1。" in text


def test_request_authorised_at_once_sends_one_mail_not_two(desk):
    intake, _, notifier, inbox = desk
    view = intake.request_return(parse_request(request_payload()))
    assert view.status == "authorised"
    assert notifier.run_once().sent == 1
    assert list(inbox.by_subject()) == [f"Your return {view.rma_number} is authorised: your label is attached"]


def test_request_refused_by_the_policy_says_the_rules_words(desk):
    intake, _, notifier, inbox = desk
    view = intake.request_return(parse_request(request_payload(sku="GIFT-1")))
    notifier.run_once()
    text, _, _ = parts(inbox.by_subject()[f"We cannot accept your return request {view.rma_number}"])
    assert "Why: Gift card: gift cards cannot be returned under the shop's policy" in text  # its name, not GIFT-1
    assert "Items: Gift card × 1." in text


def test_chinese_customer_hears_in_chinese_that_the_shop_cancelled_a_request_under_review(desk):
    intake, boss, notifier, inbox = desk
    view = intake.request_return(parse_request(request_payload("SO-2002", sku="PHONE-1", reason="changed_mind")))
    assert notifier.run_once().sent == 1  # "received, under review"
    intake.cancel(boss, view.rma_number, "订单已整单退款")
    assert notifier.run_once().sent == 1
    text, html, files = parts(inbox.by_subject()[f"您的退货申请 {view.rma_number} 已取消"])
    assert "原因：订单已整单退款" in text and "商品：手机 × 1。" in text and "请勿再为此申请寄回" in text
    assert "订单已整单退款" in html and files == []


def test_customer_told_to_send_a_parcel_is_told_not_to_once_cancelled_with_the_status_link(desk):
    intake, boss, notifier, inbox = desk
    notifier.status_link = status_links(intake.ctx, "https://returns.example")
    view = intake.request_return(parse_request(request_payload()))
    assert notifier.run_once().sent == 1  # "authorised: your label is attached"
    intake.cancel(boss, view.rma_number)  # no reason given: no "Why:" line
    assert notifier.run_once().sent == 1
    text, _, _ = parts(inbox.by_subject()[f"Your return request {view.rma_number} is cancelled"])
    assert "Please do not send these items back" in text and "Why:" not in text and "Items: T-shirt × 1." in text
    link = re.search(r"See where your return stands \(keep this link\): (\S+)", text).group(1)
    assert link.startswith(f"https://returns.example/returns/rma/{view.rma_number}?s=")


def test_a_customer_who_opted_out_gets_no_cancellation_mail(desk, session_factory):
    intake, boss, notifier, inbox = desk
    view = intake.request_return(parse_request(request_payload()))
    assert notifier.run_once().sent == 1
    with session_factory.begin() as db:
        record_opt_out(db, "CENTRAL", "Wang@Example.com", "link")
    intake.cancel(boss, view.rma_number, "out of stock")
    report = notifier.run_once()
    assert report.sent == 0 and report.skipped == 1
    assert f"Your return request {view.rma_number} is cancelled" not in inbox.by_subject()
