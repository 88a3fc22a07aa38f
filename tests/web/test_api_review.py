"""An order system reviews return requests through the API, as Shopify's returnApprove /
returnDecline / returnCancel and Loop's return actions let it (before: no such calls)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from station.intake.scopes import ALL_SCOPES, Scope
from station.intake.tokens import TokenService
from station.models import AuditEvent, DomainEvent, Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import Clock, add_operator, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from ui.supervisor.headless import CLI_ACTOR
from web.app import WebConfig, create_app

pytestmark = pytest.mark.anyio

PENDING = request_payload(sku="PHONE-1", reason="changed_mind")  # the policy sends it to review


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def shop(session_factory):
    """The service, a token for the order system (default scopes) and one for its review bot."""
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    tokens = TokenService(ctx)
    return ctx, tokens.add(CLI_ACTOR, "erp"), tokens.add(CLI_ACTOR, "review-bot", ALL_SCOPES)


def client(ctx, token):
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(ctx, config=WebConfig())),
                             base_url="http://shop.test", headers={"Authorization": f"Bearer {token}"})


async def pending_request(c, order="SO-1001", language="en") -> str:
    assert (await c.post("/api/v1/orders", json=order_payload(order, language=language))).status_code == 201
    r = await c.post("/api/v1/rmas", json={**PENDING, "order_number": order})
    assert r.json()["status"] == "pending_review"
    return r.json()["rma_number"]


def audit_rows(ctx, action):
    with ctx.session_factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


class TestApprove:
    async def test_approved_request_becomes_an_rma_with_a_label_audited_as_the_token(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            r = await c.post(f"/api/v1/rmas/{number}/approve", json={"note": "VIP customer"})
            assert r.status_code == 200, r.text
            assert (r.json()["status"], r.json()["rma_state"]) == ("authorised", "authorised")
            assert r.json()["label_url"] == f"/api/v1/rmas/{number}/label.pdf"
        (row,) = audit_rows(ctx, "rma_request.authorised")
        assert row.operator_badge == "api:review-bot" and row.details["note"] == "VIP customer"
        assert ReceivingService(ctx).find(number).number == number  # the dock can receive it now

    async def test_approving_twice_is_409_in_words_but_a_retry_with_its_key_is_the_same_answer(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            key = {"Idempotency-Key": "approve-1"}
            first = await c.post(f"/api/v1/rmas/{number}/approve", headers=key)
            retry = await c.post(f"/api/v1/rmas/{number}/approve", headers=key)
            again = await c.post(f"/api/v1/rmas/{number}/approve")
            other = await c.post(f"/api/v1/rmas/{number}/cancel", headers=key)
        assert first.status_code == retry.status_code == 200
        assert retry.json() == first.json() and retry.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert again.status_code == 409 and "already authorised" in again.json()["error"]["message"]
        assert other.status_code == 409 and "already used for another call" in other.json()["error"]["message"]
        assert len(audit_rows(ctx, "rma_request.authorised")) == 1

    async def test_unknown_request_is_404(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            r = await c.post("/api/v1/rmas/RMA000000018/approve")
        assert r.status_code == 404 and "RMA000000018" in r.json()["error"]["message"]


class TestRefuse:
    async def test_refusal_carries_the_reason_the_customer_reads_and_the_event(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            r = await c.post(f"/api/v1/rmas/{number}/refuse", json={"reason": "Opened phones cannot be returned."})
        assert r.status_code == 200 and r.json()["status"] == "refused"
        assert r.json()["refusal_reason"] == "Opened phones cannot be returned." and r.json()["label_url"] is None
        (row,) = audit_rows(ctx, "rma_request.refused")
        assert row.operator_badge == "api:review-bot"
        with ctx.session_factory() as db:
            assert db.scalar(select(DomainEvent.name).where(DomainEvent.rma_number == number)
                             .order_by(DomainEvent.rma_seq.desc())) == "rma.refused"

    async def test_every_refused_field_is_named_at_once(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            r = await c.post(f"/api/v1/rmas/{number}/refuse", json={"reson": "typo", "reason_zh": 5})
            still = (await c.get(f"/api/v1/rmas/{number}")).json()["status"]
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
        assert [f["field"] for f in r.json()["error"]["fields"]] == ["reson", "reason", "reason_zh"]
        assert still == "pending_review"

    async def test_a_customer_reading_chinese_needs_the_reason_in_chinese(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c, "SO-ZH", language="zh")
            r = await c.post(f"/api/v1/rmas/{number}/refuse", json={"reason": "Opened."})
            ok = await c.post(f"/api/v1/rmas/{number}/refuse", json={"reason": "Opened.", "reason_zh": "已拆封。"})
        assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "reason_zh"
        assert ok.json()["refusal_reason"] == "已拆封。"


class TestCancel:
    async def test_a_pending_request_is_withdrawn_and_its_quantity_is_returnable_again(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            before = (await c.get("/api/v1/orders/SO-1001")).json()
            r = await c.post(f"/api/v1/rmas/{number}/cancel", json={"reason": "customer changed their mind"})
            after = (await c.get("/api/v1/orders/SO-1001")).json()
        assert r.status_code == 200 and (r.json()["status"], r.json()["rma_state"]) == ("cancelled", None)
        phone = [(line["sku"], line["returnable"]) for line in before["lines"] + after["lines"] if line["sku"] == "PHONE-1"]
        assert phone == [("PHONE-1", 0), ("PHONE-1", 1)]
        (row,) = audit_rows(ctx, "rma_request.cancelled")
        assert row.operator_badge == "api:review-bot" and row.details["was"] == "pending_review"

    async def test_an_authorised_return_not_yet_at_the_dock_is_cancelled_with_its_rma(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            await c.post("/api/v1/orders", json=order_payload())
            number = (await c.post("/api/v1/rmas", json=request_payload())).json()["rma_number"]
            r = await c.post(f"/api/v1/rmas/{number}/cancel")
            label = await c.get(f"/api/v1/rmas/{number}/label.pdf")
        assert (r.json()["status"], r.json()["rma_state"], r.json()["label_url"]) == ("cancelled", "cancelled", None)
        assert label.status_code == 404
        with ctx.session_factory() as db:
            names = list(db.scalars(select(DomainEvent.name).where(DomainEvent.rma_number == number)
                                    .order_by(DomainEvent.rma_seq)))
        assert names[-1] == "rma.cancelled"

    async def test_the_customers_page_then_says_the_shop_withdrew_it_in_their_language(self, shop):
        ctx, _, bot = shop
        app = create_app(ctx, config=WebConfig())
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                     headers={"Authorization": f"Bearer {bot}"}) as c:
            number = await pending_request(c)
            await c.post(f"/api/v1/rmas/{number}/cancel", json={"reason": "Duplicate of another return."})
            link = f"/returns/rma/{number}?s={app.state.signer.rma_link(number)}"
            en = (await c.get(link + "&lang=en")).text
            zh = (await c.get(link + "&lang=zh")).text
        assert 'data-status="cancelled"' in en and "withdrawn by the shop" in en
        assert "Duplicate of another return." in en and "We cannot accept" not in en
        assert "此退货申请已由商家撤销" in zh

    async def test_once_the_parcel_is_received_cancel_is_409_in_words(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            await c.post("/api/v1/orders", json=order_payload())
            number = (await c.post("/api/v1/rmas", json=request_payload())).json()["rma_number"]
            with ctx.session_factory.begin() as db:
                clerk = add_operator(db, Role.CLERK)
            ReceivingService(ctx).receive(clerk, number)
            r = await c.post(f"/api/v1/rmas/{number}/cancel")
            still = (await c.get(f"/api/v1/rmas/{number}")).json()
        assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
        assert "cannot be cancelled" in r.json()["error"]["message"] and "received" in r.json()["error"]["message"]
        assert (still["status"], still["rma_state"]) == ("authorised", "received")

    async def test_a_refused_request_cannot_be_cancelled(self, shop):
        ctx, _, bot = shop
        async with client(ctx, bot) as c:
            number = await pending_request(c)
            await c.post(f"/api/v1/rmas/{number}/refuse", json={"reason": "No."})
            r = await c.post(f"/api/v1/rmas/{number}/cancel")
        assert r.status_code == 409 and "already refused" in r.json()["error"]["message"]


ENDPOINTS = [  # (method, path, body, the scope it needs)
    ("POST", "/api/v1/orders", order_payload("SO-9"), Scope.ORDERS_WRITE),
    ("GET", "/api/v1/orders/SO-1001", None, Scope.ORDERS_READ),
    ("POST", "/api/v1/rmas", request_payload(), Scope.RETURNS_WRITE),
    ("GET", "/api/v1/rmas", None, Scope.RETURNS_READ),
    ("GET", "/api/v1/rmas/{n}", None, Scope.RETURNS_READ),
    ("GET", "/api/v1/rmas/{n}/label.pdf", None, Scope.RETURNS_READ),
    ("POST", "/api/v1/rmas/{n}/approve", None, Scope.RETURNS_REVIEW),
    ("POST", "/api/v1/rmas/{n}/refuse", {"reason": "No."}, Scope.RETURNS_REVIEW),
    ("POST", "/api/v1/rmas/{n}/cancel", None, Scope.RETURNS_REVIEW),
]


class TestScopes:
    @pytest.mark.parametrize("method, path, body, needed", ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
    async def test_a_token_without_the_scope_is_403_naming_it_and_with_it_gets_through(
            self, shop, method, path, body, needed):
        ctx, _, bot = shop
        tokens = TokenService(ctx)
        without = tokens.add(CLI_ACTOR, "without", ALL_SCOPES - {needed})
        only = tokens.add(CLI_ACTOR, "only", {needed})
        async with client(ctx, bot) as c:
            number = await pending_request(c)
        path = path.replace("{n}", number)
        async with client(ctx, without) as c:
            refused = await c.request(method, path, json=body)
        async with client(ctx, only) as c:
            allowed = await c.request(method, path, json=body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "scope_missing" and needed.value in refused.json()["error"]["message"]
        assert "insufficient_scope" in refused.headers["www-authenticate"]
        # With only that scope the call is made (a pending request has no label: 404, in words).
        assert allowed.status_code in ((404,) if path.endswith("label.pdf") else (200, 201)), allowed.text

    async def test_a_new_token_may_not_review_unless_given_the_scope(self, shop):
        ctx, erp, _ = shop
        async with client(ctx, erp) as c:
            number = await pending_request(c)
            r = await c.post(f"/api/v1/rmas/{number}/approve")
        assert r.status_code == 403 and "returns:review" in r.json()["error"]["message"]
        assert audit_rows(ctx, "rma_request.authorised") == []
