"""A customer asks for a return on /returns, through a real uvicorn, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from station.intake.service import IntakeService
from tests.web.pagehelpers import Customer, jpeg_bytes, png_bomb, site


@pytest.fixture
def shop(session_factory):
    with site(session_factory) as (url, ctx):
        customer = Customer(url)
        yield customer, ctx
        customer.close()


class TestFindingTheOrder:
    def test_customer_with_the_right_email_sees_returnable_lines_and_the_gift_card_greyed(self, shop):
        customer, _ = shop
        r = customer.look_up("SO-1001", "Wang@Example.com ")
        assert r.status_code == 200
        assert "3 can be returned" in r.text
        assert "99.00 CNY" in r.text  # a price says its money
        gift = re.search(r'<fieldset class="line greyed" id="line-GIFT-1">(.*?)</fieldset>', r.text, re.S)
        assert gift and "cannot be returned under the shop&#39;s policy" in gift.group(1)
        assert 'name="qty_' in r.text and "GIFT-1" not in re.findall(r'name="sku_\d+" value="([^"]+)"', r.text)

    def test_phone_typed_without_country_code_finds_the_order(self, shop):
        customer, _ = shop
        assert customer.look_up("SO-1001", "138-0000-0000").status_code == 200

    def test_wrong_email_and_unknown_order_read_the_same(self, shop):
        customer, _ = shop
        wrong_email = customer.look_up("SO-1001", "someone@else.com")
        unknown = customer.look_up("SO-9999", "wang@example.com")
        assert wrong_email.status_code == unknown.status_code == 404
        said = [re.search(r'id="error">(.*?)<', r.text).group(1) for r in (wrong_email, unknown)]
        assert said[0] == said[1] and "could not find an order" in said[0]

    def test_chinese_browser_gets_the_page_in_chinese_and_can_switch(self, shop):
        customer, _ = shop
        customer.http.headers["Accept-Language"] = "zh-CN,zh;q=0.9,en;q=0.5"
        assert "申请退货" in customer.get("/returns").text
        english = customer.get("/returns?lang=en")
        assert "Return an item" in english.text and 'lang="en"' in english.text
        assert "Return an item" in customer.get("/returns").text  # the switch is remembered


class TestDecisions:
    def test_tshirt_in_size_is_authorised_at_once_with_a_label(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "size", "Too small")})
        assert r.status_code == 200 and 'data-status="authorised"' in r.text
        number = re.search(r'id="rma-number">(RMA\d+)<', r.text).group(1)
        link = re.search(r'id="label-link" href="([^"]+)"', r.text).group(1).replace("&amp;", "&")
        pdf = customer.http.get(link)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert customer.http.get(link.replace("s=", "s=x")).status_code == 404
        assert number in customer.http.get(link.replace("/label.pdf", "")).text

    def test_phone_goes_to_review_with_when_to_expect_an_answer(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"PHONE-1": (1, "changed_mind", "")})
        assert 'data-status="pending_review"' in r.text and "within 2 working days" in r.text

    def test_chinese_customer_sees_the_decision_in_chinese(self, shop):
        customer, _ = shop
        customer.http.headers["Accept-Language"] = "zh-CN"
        customer.look_up("SO-2002", "wang@example.com")
        r = customer.send({"TEE-1": (2, "size", "太小了")})
        assert "您的退货申请已批准" in r.text and "尺码不合适" in r.text

    def test_window_passed_is_refused_in_the_policys_words(self, shop):
        customer, _ = shop
        r = customer.look_up("SO-OLD", "wang@example.com")
        assert "return window for apparel is 30 days" in r.text  # greyed with why
        assert "Nothing on this order can be returned now." in r.text and 'id="send"' not in r.text
        r = customer.send({"TEE-1": (1, "size", "")})  # a form made by hand sends it anyway
        assert 'data-status="refused"' in r.text and "30 days from delivery" in r.text

    def test_non_returnable_gift_card_sent_anyway_is_refused(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"GIFT-1": (1, "changed_mind", "")})
        assert 'data-status="refused"' in r.text and "cannot be returned" in r.text

    def test_quantity_above_what_remains_is_refused_with_what_remains(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (4, "size", "")})
        assert r.status_code == 422 and "only 3 of the 3 ordered can still be returned" in r.text
        assert "lines[" not in r.text and "T-shirt" in re.search(r'id="error">(.*?)<', r.text).group(1)

    def test_already_returned_quantity_is_subtracted(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        customer.send({"TEE-1": (2, "size", "")})
        r = customer.look_up("SO-1001", "wang@example.com")
        assert "1 can be returned" in r.text

    def test_html_in_a_comment_is_shown_as_text(self, shop):
        customer, ctx = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "size", '<script>alert("x")</script><b>bold</b>')})
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in r.text
        assert "<script>" not in r.text and "<b>bold" not in r.text


class TestPhotos:
    def test_damaged_needs_a_photo_and_a_real_one_is_taken(self, shop):
        customer, ctx = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "damaged", "")})
        assert r.status_code == 422 and "needs at least one photo" in r.text
        r = customer.send({"TEE-1": (1, "damaged", "")}, photos=[("box.jpg", jpeg_bytes())])
        assert 'data-status="authorised"' in r.text
        number = re.search(r'id="rma-number">(RMA\d+)<', r.text).group(1)
        assert len(IntakeService(ctx).get(number).photos) == 1

    def test_after_a_problem_the_form_keeps_what_the_customer_chose(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (2, "damaged", "</textarea><b>torn</b>")}, resolution="exchange")
        assert r.status_code == 422
        assert '<option value="2" selected>' in r.text and '<option value="damaged" selected>' in r.text
        assert "&lt;/textarea&gt;&lt;b&gt;torn&lt;/b&gt;</textarea>" in r.text
        assert '<option value="exchange" selected>' in r.text

    def test_text_file_named_jpg_is_refused(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "damaged", "")}, photos=[("photo.jpg", b"just text, honestly")])
        assert r.status_code == 422 and "not a JPEG or PNG picture" in r.text

    def test_png_bomb_is_refused_without_decoding_it(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "damaged", "")}, photos=[("bomb.png", png_bomb(7000, 7000))])
        assert r.status_code == 422 and "7000x7000 pixels" in r.text
        r = customer.send({"TEE-1": (1, "damaged", "")}, photos=[("bomb.png", png_bomb(50_000, 50_000))])
        assert r.status_code == 422 and "not a JPEG or PNG picture" in r.text

    def test_30_mb_upload_is_413(self, shop):
        customer, _ = shop
        customer.look_up("SO-1001", "wang@example.com")
        r = customer.send({"TEE-1": (1, "damaged", "")}, photos=[("big.jpg", b"\xff\xd8" + bytes(30 * 1024 * 1024))])
        assert r.status_code == 413 and "at most 6 photos of up to 8 MB" in r.text


class TestForgedAndRepeatedForms:
    def test_a_form_posted_twice_is_refused_the_second_time(self, shop):
        customer, _ = shop
        customer.get("/returns")
        form = {"form_token": customer.token, "order_number": "SO-1001", "contact": "wang@example.com"}
        assert customer.http.post("/returns", data=form).status_code == 303
        again = customer.http.post("/returns", data=form)
        assert again.status_code == 403 and "can be sent once" in again.text

    def test_a_form_from_another_site_is_refused(self, shop):
        customer, _ = shop
        customer.get("/returns")
        r = customer.http.post("/returns", headers={"Origin": "https://evil.example"},
                               data={"form_token": customer.token, "order_number": "SO-1001",
                                     "contact": "wang@example.com"})
        assert r.status_code == 403

    def test_a_token_lifted_into_another_browser_is_refused(self, shop):
        customer, _ = shop
        customer.get("/returns")
        token = customer.token
        customer.http.cookies.clear()
        r = customer.http.post("/returns", data={"form_token": token, "order_number": "SO-1001",
                                                 "contact": "wang@example.com"})
        assert r.status_code == 403

    def test_the_order_page_needs_the_grant_from_the_look_up(self, shop):
        customer, _ = shop
        assert customer.get("/returns/order/SO-1001?g=1.forged").status_code == 403


def test_a_burst_of_guesses_from_one_address_gets_429(session_factory):
    with site(session_factory, attempts_per_address=4) as (url, _):
        customer = Customer(url)
        codes = [customer.look_up(f"SO-{n}", "guess@example.com").status_code for n in range(6)]
        customer.close()
    assert codes[:4] == [404] * 4 and codes[4:] == [429, 429]


def test_guesses_on_one_order_from_many_addresses_are_limited_per_order(session_factory):
    with site(session_factory, attempts_per_order=3) as (url, _):
        customer = Customer(url)
        codes = [customer.look_up("SO-1001", f"guess{n}@example.com").status_code for n in range(4)]
        last = customer.look_up("SO-1001", "wang@example.com")  # even the right answer waits now
        customer.close()
    assert codes == [404, 404, 404, 429] and last.status_code == 429 and "Too many attempts" in last.text
    assert last.headers["Retry-After"] == "600"


def test_without_a_dock_address_the_customer_gets_a_kind_page_not_an_error_dump(session_factory):
    with site(session_factory) as (url, ctx):
        from web.app import create_app
        from web.pages import PageConfig
        from tests.web.pagehelpers import serve

        with serve(create_app(ctx, pages=PageConfig(dock_address=""))) as bare:
            customer = Customer(bare)
            customer.look_up("SO-1001", "wang@example.com")
            page = customer.send({"TEE-1": (1, "size", "")})
            link = re.search(r'id="label-link" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
            r = customer.http.get(link)
            customer.close()
    assert r.status_code == 503 and "The label cannot be made just now" in r.text
    assert r.headers["content-type"].startswith("text/html")


class TestFairLimits:
    """Only failed look-ups count: a customer who looks the order up again, or fumbles the
    form, is never locked out; and the owner reaches the order by the signed link in their
    e-mail whatever others guessed."""

    def test_looking_the_order_up_again_and_again_never_locks_the_customer_out(self, session_factory):
        with site(session_factory, attempts_per_order=3, attempts_per_address=3) as (url, _):
            customer = Customer(url)
            codes = [customer.look_up("SO-1001", "wang@example.com").status_code for _ in range(6)]
            customer.close()
        assert codes == [200] * 6

    def test_form_errors_on_the_order_page_never_count(self, session_factory):
        with site(session_factory, attempts_per_order=3, attempts_per_address=3) as (url, _):
            customer = Customer(url)
            customer.look_up("SO-1001", "wang@example.com")
            fumbles = []
            for _ in range(6):  # no line chosen, then a quantity the order does not have
                fumbles.append(customer.send({}).status_code)
                fumbles.append(customer.send({"TEE-1": (99, "size", "")}).status_code)
            sent = customer.send({"TEE-1": (1, "size", "")})
            customer.close()
        assert set(fumbles) == {422} and sent.status_code == 200

    def test_a_found_order_forgets_its_failed_look_ups(self, session_factory):
        with site(session_factory, attempts_per_order=3, attempts_per_address=100) as (url, _):
            customer = Customer(url)
            codes = [customer.look_up("SO-1001", "typo@example.com").status_code for _ in range(2)]
            codes.append(customer.look_up("SO-1001", "wang@example.com").status_code)
            codes += [customer.look_up("SO-1001", "typo@example.com").status_code for _ in range(2)]
            customer.close()
        assert codes == [404, 404, 200, 404, 404]

    def test_the_owner_link_works_while_strangers_guesses_lock_the_order_look_up(self, session_factory):
        with site(session_factory, attempts_per_order=3) as (url, _):
            owner = Customer(url)
            owner.look_up("SO-1001", "wang@example.com")
            signed = owner.order_action()  # the order's signed link (the one e-mails carry)
            stranger = Customer(url)
            assert [stranger.look_up("SO-1001", f"guess{n}@example.com").status_code for n in range(4)] == \
                [404, 404, 404, 429]
            again = owner.get(signed)
            owner.close()
            stranger.close()
        assert again.status_code == 200 and "SO-1001" in again.text
