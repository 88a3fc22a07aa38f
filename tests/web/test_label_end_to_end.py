"""From the customer's request to the dock: the label's barcode opens the RMA's card.

request (customer page, real uvicorn) -> label PDF (API with a token, and the customer's
signed link) -> ``pdftoppm -r 203`` -> zxing-cpp -> the dock's scan classification ->
``ReceivingService.find`` shows that RMA's card.
"""

from __future__ import annotations

import re

import httpx

from station.intake.tokens import TokenService
from station.receiving.service import ReceivingService
from station.scanning.classify import ScanKind, classify_scan
from tests.labels.helpers import decoded, pdf_pages
from tests.web.pagehelpers import Customer, site
from ui.supervisor.headless import CLI_ACTOR


def test_label_from_the_request_page_opens_the_rma_at_the_dock(session_factory):
    with site(session_factory) as (url, ctx):
        customer = Customer(url)
        customer.look_up("SO-1001", "wang@example.com")
        page = customer.send({"TEE-1": (2, "size", "")})
        number = re.search(r'id="rma-number">(RMA\d+)<', page.text).group(1)
        link = re.search(r'id="label-link" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
        from_page = customer.http.get(link).content
        customer.close()
        token = TokenService(ctx).add(CLI_ACTOR, "shop")
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as shop:
            from_api = shop.get(f"/api/v1/rmas/{number}/label.pdf?page=4x6")
            no_token = httpx.get(f"{url}/api/v1/rmas/{number}/label.pdf")
        assert from_api.status_code == 200 and from_api.headers["content-type"] == "application/pdf"
        assert no_token.status_code == 401 and no_token.json()["error"]["code"] == "token_rejected"

        for pdf in (from_page, from_api.content):
            codes = dict((fmt, text) for fmt, text in decoded(pdf_pages(pdf, 203)[0]))
            assert codes == {"Code128": number, "QRCode": number}
            scan = classify_scan(codes["Code128"], "code128")
            assert scan.kind == ScanKind.RMA
            card = ReceivingService(ctx).find(scan.value)
            assert card.number == number and card.order_number == "SO-1001"
            assert [(l.sku, l.quantity) for l in card.lines] == [("TEE-1", 2)]


def test_a_request_waiting_for_review_has_no_label_yet(session_factory):
    with site(session_factory) as (url, ctx):
        token = TokenService(ctx).add(CLI_ACTOR, "shop")
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as shop:
            r = shop.post("/api/v1/rmas", json={"order_number": "SO-1001", "resolution": "refund",
                                                 "lines": [{"sku": "PHONE-1", "quantity": 1, "reason": "changed_mind"}]})
            assert r.json()["status"] == "pending_review"
            label = shop.get(f"/api/v1/rmas/{r.json()['rma_number']}/label.pdf")
        assert label.status_code == 404 and "only an authorised return has a label" in label.json()["error"]["message"]
