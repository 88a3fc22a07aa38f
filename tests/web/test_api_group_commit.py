"""A shop's system sends return requests concurrently: each is answered on its own, every
request counts against the token once, and a bad one sinks nothing else."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from station.intake.tokens import TokenService
from station.models import ApiToken
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from ui.supervisor.headless import CLI_ACTOR
from web.app import WebConfig, create_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_concurrent_requests_are_each_answered_and_each_counted(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    token = TokenService(ctx).add(CLI_ACTOR, "shop")
    app = create_app(ctx, config=WebConfig(rate_per_minute=10))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        assert (await c.post("/api/v1/orders", json=order_payload("SO-1"))).status_code == 201
        assert (await c.post("/api/v1/orders", json=order_payload("SO-2"))).status_code == 201
        sent = await asyncio.gather(
            c.post("/api/v1/rmas", json=request_payload("SO-1", quantity=2)),
            c.post("/api/v1/rmas", json=request_payload("SO-1", quantity=2)),  # only 1 of 3 left then
            c.post("/api/v1/rmas", json=request_payload("SO-2", sku="GIFT-1")),
            c.post("/api/v1/rmas", json=request_payload("SO-2", quantity=1)),
            c.post("/api/v1/rmas", content=b"{broken"),
        )
        codes = sorted(r.status_code for r in sent)
        assert codes == [201, 201, 201, 400, 422], [r.text for r in sent]
        assert {r.json()["status"] for r in sent if r.status_code == 201} == {"authorised", "refused"}
        numbers = [r.json()["rma_number"] for r in sent if r.status_code == 201]
        assert len(set(numbers)) == 3
        for number in numbers:
            assert (await c.get(f"/api/v1/rmas/{number}")).status_code == 200
        over = await c.post("/api/v1/rmas", json=request_payload("SO-2", quantity=1))
    # 2 orders + 5 requests + 3 reads = 10, the limit: each was counted once, the bad one too.
    assert over.status_code == 429, over.text
    with session_factory() as db:
        assert db.scalar(select(ApiToken.rate_count).where(ApiToken.name == "shop")) == 11


async def test_a_revoked_token_is_refused_before_the_body_is_read(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    tokens = TokenService(ctx)
    token = tokens.add(CLI_ACTOR, "shop")
    tokens.revoke(CLI_ACTOR, "shop")
    app = create_app(ctx)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                 headers={"Authorization": f"Bearer {token}"}) as c:
        r = await c.post("/api/v1/rmas", content=b"{broken")
    assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
