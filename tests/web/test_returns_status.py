"""A customer comes back to /returns: the look-up lists the order's returns with where each
stands, the page kept from the decision shows the progress (and "received" once the dock has
the parcel), a voucher asks for no parcel, an exchange offers the catalogue's sizes, and every
problem and reason reads in words, never a code. Real uvicorn, real HTTP."""

from __future__ import annotations

import re

import pytest

from station.integrations import ledger
from station.integrations.mail import SmtpMailer, SmtpSettings
from station.integrations.notifier import Notifier
from station.intake.inputs import RequestInput, RequestLineInput, parse_order
from station.intake.service import IntakeService
from station.models import Product, Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator
from tests.helpers.intake import order_payload
from tests.station.integrations.smtp_peer import smtp_server
from tests.web.pagehelpers import Customer, site
from web.status_links import status_links


@pytest.fixture
def shop(session_factory):
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    with site(session_factory) as (url, ctx):
        with session_factory.begin() as db:  # the T-shirt comes in another size
            tee = db.query(Product).filter_by(sku="TEE-1").one()
            tee.family, tee.variant = "TEE", {"size": "M"}
            db.add(Product(sku="TEE-1-L", name_en="T-shirt, size L", name_zh="T恤 L码", category="apparel",
                           unit_value=tee.unit_value, family="TEE", variant={"size": "L"}, station_id="CENTRAL"))
        intake = IntakeService(ctx)
        intake.submit_order(parse_order(order_payload("SO/2026/77", customer_ref="C-9", lines=[
            {"sku": "TEE-1", "quantity": 2, "unit_price": "99.00"},
            {"sku": "LIP-1", "quantity": 1, "unit_price": "120.00"}])))
        customer = Customer(url)
        yield customer, ctx, clerk, url
        customer.close()


def decide(customer, lines, **kw):  # type: ignore[no-untyped-def]
    r = customer.send(lines, **kw)
    number = re.search(r'id="rma-number">(RMA\d+)<', r.text)
    return r, number.group(1) if number else None


def status_of(page: str) -> str:
    return re.search(r'data-progress="([a-z_]+)"', page).group(1)


class TestStatusPage:
    def test_look_up_lists_the_orders_returns_with_their_progress(self, shop):
        customer, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        decide(customer, {"TEE-1": (1, "size", "")})
        r = customer.look_up("SO-1001", "wang@example.com")
        listed = re.search(r'<section class="card" id="returns">(.*?)</section>', r.text, re.S).group(1)
        assert "Your returns on this order" in r.text and "Authorised" in listed
        link = re.search(r'<a href="([^"]+)" class="rma">', listed).group(1).replace("&amp;", "&")
        assert 'data-progress="authorised"' in customer.get(link).text  # the signed link opens the page

    def test_authorised_page_has_the_timeline_send_by_date_and_label(self, shop):
        customer, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r, number = decide(customer, {"TEE-1": (1, "size", "")})
        steps = re.findall(r'<li class="(done|now|todo|ended)" data-step="([a-z_]+)">', r.text)
        assert steps == [("done", "asked"), ("now", "authorised"), ("todo", "received"), ("todo", "inspected"),
                         ("todo", "resolved"), ("todo", "closed")]
        assert re.search(r'id="send-by"><strong>Send it by \d{1,2} [A-Z][a-z]{2} 20\d\d\.', r.text)
        assert 'id="label-link"' in r.text

    def test_customer_sees_parcel_received_on_status_page_in_english_and_chinese(self, shop):
        customer, ctx, clerk, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r, number = decide(customer, {"TEE-1": (1, "size", "")})
        page = str(r.url)
        ReceivingService(ctx).receive(clerk, number)  # the dock scans the label's RMA barcode
        english = customer.get(page).text
        assert status_of(english) == "received" and "We have received your parcel." in english
        assert '<li class="now" data-step="received"><strong>Received</strong>' in english
        chinese = customer.get(page.replace("lang=en", "lang=zh")).text
        assert '<li class="now" data-step="received"><strong>已收到</strong>' in chinese
        assert 'id="label-link"' not in english  # nothing left to print

    def test_a_voucher_asks_for_no_parcel(self, shop):
        customer, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r, number = decide(customer, {"TEE-1": (1, "missing_parts", "")}, resolution="compensation")
        assert 'data-status="authorised"' in r.text and 'id="no-parcel"' in r.text
        assert "label" not in r.text.lower() and "carrier" not in r.text and "Send it by" not in r.text
        steps = re.findall(r'data-step="([a-z_]+)"', r.text)
        assert steps == ["asked", "authorised", "resolved", "closed"] and "Voucher issued" in r.text
        link = str(r.url).replace(f"/returns/rma/{number}?", f"/returns/rma/{number}/label.pdf?")
        r = customer.get(link)
        assert r.status_code == 404 and "needs no return label" in r.text and "<html" in r.text


class TestExchangeVariants:
    def test_exchange_offers_the_other_sizes_and_the_choice_is_kept(self, shop):
        customer, ctx, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        offered = re.search(r'<select id="variant_(\d+)" name="variant_\d+">(.*?)</select>', customer.page, re.S)
        assert offered and 'value="TEE-1-L">T-shirt, size L<' in offered.group(2)
        r, number = decide(customer, {"TEE-1": (1, "size", "")}, resolution="exchange",
                           **{f"variant_{offered.group(1)}": "TEE-1-L"})
        assert "Exchange for: T-shirt, size L" in r.text
        assert IntakeService(ctx).get(number).lines[0].exchange_sku == "TEE-1-L"

    def test_a_forged_variant_is_refused_in_words(self, shop):
        customer, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        n = re.search(r'<select id="variant_(\d+)"', customer.page).group(1)
        r, _ = decide(customer, {"TEE-1": (1, "size", "")}, resolution="exchange", **{f"variant_{n}": "PHONE-1"})
        assert r.status_code == 422 and "Choose one of the sizes or colours offered for “T-shirt”." in r.text


class TestWordsNotCodes:
    def test_lipstick_is_offered_only_the_reasons_cosmetics_accept(self, shop):
        customer, *_ = shop
        customer.look_up("SO/2026/77", "wang@example.com")
        lip = re.search(r'<fieldset class="line" id="line-LIP-1">(.*?)</fieldset>', customer.page, re.S).group(1)
        offered = re.findall(r'<option value="([a-z_]+)"', lip)
        assert "changed_mind" not in offered and "size" not in offered and "damaged" in offered
        tee = re.search(r'<fieldset class="line" id="line-TEE-1">(.*?)</fieldset>', customer.page, re.S).group(1)
        assert "changed_mind" in re.findall(r'<option value="([a-z_]+)"', tee)

    def test_a_forged_reason_the_policy_refuses_reads_in_words_in_chinese(self, shop):
        customer, *_ = shop
        customer.http.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        customer.look_up("SO/2026/77", "wang@example.com")
        r, _ = decide(customer, {"LIP-1": (1, "changed_mind", "")})
        why = re.search(r'<ul class="why" id="why">(.*?)</ul>', r.text, re.S).group(1)
        assert 'data-status="refused"' in r.text and "不想要了" in why
        assert "changed_mind" not in r.text and "cosmetics" not in why
        assert "口红：" in why and "LIP-1" not in why  # the product's Chinese name, not its SKU

    def test_a_refused_line_names_the_product_in_the_customers_words(self, shop):
        customer, *_ = shop
        customer.look_up("SO/2026/77", "wang@example.com")
        r, number = decide(customer, {"LIP-1": (1, "changed_mind", "")})
        why = re.search(r'<ul class="why" id="why">(.*?)</ul>', r.text, re.S).group(1)
        assert 'data-status="refused"' in r.text and "Lipstick: cosmetics cannot be returned" in why
        assert "LIP-1" not in why
        # Looked up again, the order's gift card says why it cannot be returned, by its name.
        customer.look_up("SO-1001", "wang@example.com")
        gift = re.search(r'<fieldset class="line[^"]*" id="line-GIFT-1">(.*?)</fieldset>', customer.page, re.S).group(1)
        assert "Gift card: gift cards cannot be returned" in gift and "GIFT-1:" not in gift

    def test_a_raced_form_names_the_product_not_a_field(self, shop):
        customer, ctx, *_ = shop
        customer.look_up("SO-1001", "wang@example.com")
        # Another request (the API, a second tab) takes the T-shirts while this form is open.
        IntakeService(ctx).request_return(RequestInput("SO-1001", (RequestLineInput("TEE-1", 3, "size"),), "refund"))
        r, _ = decide(customer, {"TEE-1": (2, "size", "")})
        error = re.search(r'id="error">(.*?)</p>', r.text, re.S).group(1)
        assert r.status_code == 422 and "lines[" not in r.text and "“T-shirt”" in error and "only 0" in error


class TestFindingTheOrder:
    def test_order_number_typed_in_small_letters_is_found(self, shop):
        customer, *_ = shop
        r = customer.look_up("so-1001", "wang@example.com")
        assert r.status_code == 200 and "Order SO-1001" in r.text

    def test_an_order_number_with_slashes_can_be_returned(self, shop):
        customer, *_ = shop
        r = customer.look_up("SO/2026/77", "wang@example.com")
        assert r.status_code == 200 and "Order SO/2026/77" in r.text
        r, number = decide(customer, {"TEE-1": (1, "size", "")})
        assert 'data-status="authorised"' in r.text and number


def test_every_notice_links_to_the_status_page_which_opens(shop, engine):
    customer, ctx, _, url = shop
    ledger.init(engine)
    try:
        with smtp_server() as (inbox, port):
            notifier = Notifier(engine, mailer=SmtpMailer(SmtpSettings("127.0.0.1", port)), clock=ctx.clock,
                                status_link=status_links(ctx, url))
            try:
                intake = IntakeService(ctx)
                authorised = intake.request_return(RequestInput(
                    "SO-1001", (RequestLineInput("TEE-1", 1, "size"),), "refund"))
                voucher = intake.request_return(RequestInput(
                    "SO-1001", (RequestLineInput("TEE-1", 1, "missing_parts"),), "compensation"))
                assert notifier.run_once().sent == 2
            finally:
                notifier.close()
        mails = inbox.by_subject()
        for number in (authorised.rma_number, voucher.rma_number):
            mail = next(m for s, m in mails.items() if number in s)
            text = mail.get_body(("plain",)).get_content()
            link = re.search(r"See where your return stands \(keep this link\): (\S+)", text).group(1)
            assert link.startswith(f"{url}/returns/rma/{number}?s=")
            assert f'id="rma-number">{number}<' in customer.get(link[len(url):]).text
        voucher_mail = next(m for s, m in mails.items() if voucher.rma_number in s)
        text = voucher_mail.get_body(("plain",)).get_content()
        assert "Keep the item" in text and "label" not in text.lower() and "carrier" not in text
        assert list(voucher_mail.iter_attachments()) == []
    finally:
        ledger.drop(engine)


def test_a_service_without_labels_says_so_in_words_at_the_label_link(session_factory):
    with site(session_factory, labels=False) as (url, ctx):
        customer = Customer(url)
        try:
            customer.look_up("SO-1001", "wang@example.com")
            r, number = decide(customer, {"TEE-1": (1, "size", "")})
            assert 'id="label-link"' not in r.text
            page = customer.get(str(r.url).replace(f"/rma/{number}?", f"/rma/{number}/label.pdf?"))
            assert page.status_code == 404 and "tell you by e-mail where to send the parcel" in page.text
        finally:
            customer.close()
