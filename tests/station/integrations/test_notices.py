"""Customer notices to a real SMTP server (aiosmtpd) and the SMS hook to a real HTTP receiver:
English and Chinese templates, opt-out, each notice once, retries after a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.errors import ConfigError
from station.integrations.ledger import notices
from station.integrations.mail import SmtpMailer, SmtpSettings
from station.integrations.notices import TEMPLATE_DIR, load_templates
from station.integrations.notifier import Notifier, status
from station.integrations.sms import WebhookSms
from station.integrations.webhooks import Backoff
from station.models import RequestedResolution
from tests.station.integrations.conftest import SECRET, full_return, new_rma
from tests.station.integrations.smtp_peer import smtp_server


@pytest.fixture
def smtp():
    with smtp_server() as (inbox, port):
        yield inbox, port


def notifier(dock, engine, port, **kw):
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, sender="returns@shop.example", sender_name="Shop Returns"))
    return Notifier(engine, mailer=mailer, clock=dock.clock, backoff=Backoff(base_s=60), **kw)


def text(mail) -> str:
    """The mail's text as the customer reads it (SMTP carries CRLF line ends)."""
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_english_customer_hears_of_the_parcel_and_the_refund_once(dock, ledger_engine, smtp):
    inbox, port = smtp
    number = new_rma(dock, email="anna@example.com", locale="en")
    full_return(dock, number)
    n = notifier(dock, ledger_engine, port)
    try:
        report = n.run_once()
        assert (report.planned, report.sent, report.failed) == (2, 2, 0)
        assert n.run_once().sent == 0
    finally:
        n.close()
    mails = inbox.by_subject()
    assert set(mails) == {f"We have received your return {number}", f"Your refund for return {number}: 299.00 CNY"}
    refund = mails[f"Your refund for return {number}: 299.00 CNY"]
    body = text(refund)
    assert "issued a refund of\n299.00 CNY" in body and "Items: Slim jeans × 1." in body
    assert refund["To"] == "anna@example.com" and "Shop Returns" in refund["From"]
    assert inbox.envelopes[0] == ("returns@shop.example", ["anna@example.com"])
    assert status(ledger_engine) == {"sent": 2}


def test_chinese_customer_gets_chinese_notices(dock, ledger_engine, smtp):
    inbox, port = smtp
    number = new_rma(dock, locale="zh-CN", email="wang@example.cn")
    full_return(dock, number)
    n = notifier(dock, ledger_engine, port)
    try:
        n.run_once()
    finally:
        n.close()
    mails = inbox.by_subject()
    assert set(mails) == {f"我们已收到您的退货 {number}", f"退货 {number} 已退款：299.00 CNY"}
    received = text(mails[f"我们已收到您的退货 {number}"])
    assert received.startswith("Wang Fang，您好：") and "已收到的商品：修身牛仔裤 × 1。" in received
    assert mails[f"我们已收到您的退货 {number}"]["Content-Language"] == "zh-CN"


def test_opted_out_customer_gets_nothing_and_it_is_recorded(dock, ledger_engine, smtp):
    inbox, port = smtp
    full_return(dock, new_rma(dock, opt_out=True))
    n = notifier(dock, ledger_engine, port)
    try:
        assert n.run_once().sent == 0
    finally:
        n.close()
    assert inbox.messages == [] and status(ledger_engine) == {"opted_out": 2}


def test_rejection_names_the_reason_in_the_customers_language(dock, ledger_engine, smtp):
    inbox, port = smtp
    en, zh = new_rma(dock, locale="en"), new_rma(dock, locale="zh")
    full_return(dock, en, reject_reason="not_the_item_sold")
    full_return(dock, zh, reject_reason="not_the_item_sold")
    n = notifier(dock, ledger_engine, port)
    try:
        n.run_once()
    finally:
        n.close()
    mails = inbox.by_subject()
    assert "Reason: The item we received is not the one sold on your order." in \
        text(mails[f"Your return {en} could not be accepted"])
    assert "原因：我们收到的商品与您订单中所购商品不符。" in text(mails[f"很抱歉，您的退货 {zh} 未能通过"])


def test_exchange_and_compensation_notices(dock, ledger_engine, smtp):
    inbox, port = smtp
    exchange = new_rma(dock, requested=RequestedResolution.EXCHANGE)
    full_return(dock, exchange, exchange_sku="AP-SH-30")
    kept = new_rma(dock, reason="defective", locale="zh")
    dock.resolution.compensate(dock.inspector, kept, "coupon")
    n = notifier(dock, ledger_engine, port)
    try:
        n.run_once()
    finally:
        n.close()
    mails = inbox.by_subject()
    body = text(mails[f"Your replacement for return {exchange} is on its way"])
    assert "replacement: Shorts × 1." in body and "refund the difference of 100.00 CNY" in body
    order = next(s for s in mails if s.startswith("订单"))
    assert "发放优惠券 59.80 CNY" in text(mails[order])


def test_refused_mail_is_retried_later_and_delivered_once(dock, ledger_engine, smtp):
    inbox, port = smtp
    number = new_rma(dock)
    dock.receiving.receive(dock.clerk, number)
    inbox.refuse = 1
    n = notifier(dock, ledger_engine, port)
    try:
        assert (n.run_once().failed, len(inbox.messages)) == (1, 0)
        with ledger_engine.connect() as conn:
            assert "451" in conn.scalar(select(notices.c.last_error))
        assert n.run_once().sent == 0  # back-off: not yet
        dock.clock.advance(seconds=60)
        assert n.run_once().sent == 1
        dock.clock.advance(hours=1)
        assert n.run_once().sent == 0
    finally:
        n.close()
    assert len(inbox.messages) == 1


def test_dead_after_max_attempts(dock, ledger_engine, smtp):
    inbox, port = smtp
    dock.receiving.receive(dock.clerk, new_rma(dock))
    inbox.refuse = 10
    n = notifier(dock, ledger_engine, port, max_attempts=2)
    try:
        n.run_once()
        dock.clock.advance(hours=1)
        assert n.run_once().dead == 1
        dock.clock.advance(hours=5)
        assert n.run_once().sent == 0
    finally:
        n.close()
    assert status(ledger_engine) == {"dead": 1} and inbox.messages == []


def test_sms_hook_posts_signed_texts(dock, ledger_engine, receiver, smtp):
    inbox, port = smtp
    number = new_rma(dock, phone="+8613800138000", locale="zh")
    dock.receiving.receive(dock.clerk, number)
    sms = WebhookSms(receiver.url, "SMS_SECRET", env={"SMS_SECRET": SECRET})
    n = notifier(dock, ledger_engine, port, sms=sms)
    try:
        report = n.run_once()
        assert report.sent == 2 and n.run_once().sent == 0
    finally:
        n.close()
    assert receiver.bad_signatures == 0 and len(receiver.received) == 1
    posted = receiver.received[0]["event"]
    assert posted["to"] == "+8613800138000" and posted["text"] == f"退货{number}：包裹已收到，我们将在3个工作日内完成检验。"
    assert posted["idempotency_key"].endswith(":sms")


def test_templates_refuse_an_unknown_placeholder(tmp_path: Path):
    for f in TEMPLATE_DIR.glob("*.toml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8").replace("{amount}", "{amonut}", 1),
                                       encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown placeholder.*amonut"):
        load_templates(tmp_path)
    assert set(load_templates().by_locale) == {"en", "zh"}
