"""A shop's developer drives the JSON API: through ASGI in-process and a real uvicorn."""

from __future__ import annotations

import base64
import datetime as dt
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from station.intake.tokens import TokenService
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload, seed_catalogue
from ui.supervisor.headless import CLI_ACTOR
from web.app import WebConfig, create_app


@pytest.fixture
def served(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    token = TokenService(ctx).add(CLI_ACTOR, "shop")
    return ctx, token


class TestAsgi:
    pytestmark = pytest.mark.anyio

    @pytest.fixture
    def anyio_backend(self):
        return "asyncio"

    async def _client(self, ctx, token, **config):
        app = create_app(ctx, config=WebConfig(**config))
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                 headers={"Authorization": f"Bearer {token}"})

    async def test_order_then_request_is_authorised_with_a_label_url(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            assert (await c.post("/api/v1/orders", json=order_payload())).status_code == 201
            assert (await c.post("/api/v1/orders", json=order_payload())).json()["status"] == "unchanged"
            r = await c.post("/api/v1/rmas", json=request_payload())
            assert r.status_code == 201, r.text
            body = r.json()
            assert body["status"] == "authorised"
            assert body["label_url"] == f"/api/v1/rmas/{body['rma_number']}/label.pdf"
            got = await c.get(f"/api/v1/rmas/{body['rma_number']}")
            assert got.json()["lines"][0]["sku"] == "TEE-1" and got.json()["rma_state"] == "authorised"

    async def test_order_line_lot_is_kept_and_carried_to_the_rma_line_the_dock_checks(self, served):
        from sqlalchemy import select

        from station.models import OrderLine, RmaLine

        ctx, token = served
        order = order_payload("SO-LOT")
        order["lines"][0]["lot"] = "L-2405A"
        async with await self._client(ctx, token) as c:
            assert (await c.post("/api/v1/orders", json=order)).status_code == 201
            assert (await c.post("/api/v1/orders", json=order)).json()["status"] == "unchanged"
            r = await c.post("/api/v1/rmas", json=request_payload("SO-LOT"))
            assert r.json()["status"] == "authorised", r.text
            order["lines"][0]["lot"] = "L" * 41
            too_long = await c.post("/api/v1/orders", json=order)
        assert too_long.status_code == 422 and "lines[1].lot" in too_long.text
        with ctx.session_factory() as db:
            assert db.scalar(select(OrderLine.lot).where(OrderLine.sku == "TEE-1")) == "L-2405A"
            assert db.scalar(select(RmaLine.lot).where(RmaLine.sku == "TEE-1")) == "L-2405A"

    async def test_wrong_token_is_401_json(self, served):
        ctx, _ = served
        async with await self._client(ctx, "rst_wrong") as c:
            r = await c.post("/api/v1/orders", json=order_payload())
        assert r.status_code == 401 and "not valid" in r.json()["error"]["message"]

    async def test_revoked_token_is_401_naming_the_revocation(self, served):
        ctx, token = served
        TokenService(ctx).revoke(CLI_ACTOR, "shop")
        async with await self._client(ctx, token) as c:
            r = await c.get("/api/v1/rmas/RMA000000018")
        assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]

    async def test_quantity_above_what_remains_is_422(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            r = await c.post("/api/v1/rmas", json=request_payload(quantity=4))
        assert r.status_code == 422 and "only 3 of 3" in r.json()["error"]["message"]

    async def test_window_passed_is_refused_with_the_rules_words(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload(delivered_days_ago=45))
            r = await c.post("/api/v1/rmas", json=request_payload())
        assert r.status_code == 201
        assert r.json()["status"] == "refused" and r.json()["label_url"] is None
        assert "30 days from delivery" in r.json()["decision"]["reasons"][0]["en"]

    async def test_non_returnable_gift_card_is_refused(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            r = await c.post("/api/v1/rmas", json=request_payload(sku="GIFT-1"))
            again = (await c.get(f"/api/v1/rmas/{r.json()['rma_number']}")).json()
        assert r.json()["decision"]["rule"] == "returnable.non_returnable"
        # The words an order system shows its customer name the product, not the SKU (issue 24).
        assert r.json()["decision"]["reasons"] == again["decision"]["reasons"] == [{
            "en": "Gift card: gift cards cannot be returned under the shop's policy.",
            "zh": "礼品卡：礼品卡类商品按本店政策不可退货。"}]

    async def test_oversized_body_is_413(self, served):
        ctx, token = served
        async with await self._client(ctx, token, max_body_bytes=10_000) as c:
            r = await c.post("/api/v1/rmas", json=request_payload(photos=["A" * 20_000]))
        assert r.status_code == 413

    async def test_text_file_as_a_photo_is_422(self, served):
        ctx, token = served
        text = base64.b64encode(b"just some text, named photo.jpg").decode()
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            r = await c.post("/api/v1/rmas", json=request_payload(reason="damaged", photos=[text]))
        assert r.status_code == 422 and "not a JPEG or PNG" in r.json()["error"]["message"]

    async def test_real_photo_is_accepted(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            r = await c.post("/api/v1/rmas", json=request_payload(reason="damaged", photos=[jpeg_b64()]))
        assert r.status_code == 201 and r.json()["status"] == "authorised"

    async def test_burst_beyond_the_limit_is_429(self, served):
        ctx, token = served
        async with await self._client(ctx, token, rate_per_minute=5) as c:
            codes = [(await c.get("/api/v1/rmas/RMA000000018")).status_code for _ in range(8)]
        assert codes[:5] == [404] * 5 and codes[5:] == [429] * 3

    async def test_reused_idempotency_key_for_another_body_is_409(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            h = {"Idempotency-Key": "abc"}
            first = await c.post("/api/v1/rmas", json=request_payload(), headers=h)
            again = await c.post("/api/v1/rmas", json=request_payload(), headers=h)
            other = await c.post("/api/v1/rmas", json=request_payload(quantity=2), headers=h)
        assert first.status_code == 201 and again.status_code == 200
        assert again.json()["rma_number"] == first.json()["rma_number"]
        assert other.status_code == 409

    async def test_broken_json_is_400_and_openapi_is_served(self, served):
        ctx, token = served
        async with await self._client(ctx, token) as c:
            r = await c.post("/api/v1/orders", content=b"{not json")
            spec = await c.get("/api/v1/openapi.json")
        assert r.status_code == 400
        assert "/api/v1/rmas" in spec.json()["paths"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_uvicorn_on_a_free_port(served):
    """The same story over real HTTP on 127.0.0.1, on SQLite and PostgreSQL."""
    ctx, token = served
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}",
                          headers={"Authorization": f"Bearer {token}"}) as c:
            assert c.post("/api/v1/orders", json=order_payload()).status_code == 201
            r = c.post("/api/v1/rmas", json=request_payload(sku="PHONE-1", reason="changed_mind"))
            assert r.status_code == 201 and r.json()["status"] == "pending_review"
            assert c.get(f"/api/v1/rmas/{r.json()['rma_number']}").json()["status"] == "pending_review"
            assert c.get("/api/v1/rmas/RMA000000018", headers={"Authorization": "Bearer nope"}).status_code == 401
    finally:
        server.should_exit = True
        thread.join(10)


class TestReadingBack:
    """An order system lists the returns page by page and reads an order back (405 and 404
    before: there was no GET /rmas and no GET /orders/{n})."""

    pytestmark = pytest.mark.anyio

    @pytest.fixture
    def anyio_backend(self):
        return "asyncio"

    async def test_returns_are_listed_by_cursor_with_a_next_link_and_updated_since(self, served):
        ctx, token = served
        app = create_app(ctx, config=WebConfig())
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            for n in range(5):
                assert (await c.post("/api/v1/orders", json=order_payload(f"SO-{n}"))).status_code == 201
                ctx.clock.advance(minutes=1)
                assert (await c.post("/api/v1/rmas", json=request_payload(f"SO-{n}"))).status_code == 201
            seen, url, pages = [], "/api/v1/rmas?limit=2", 0
            while url:
                r = await c.get(url)
                assert r.status_code == 200, r.text
                body = r.json()
                seen += [x["order_number"] for x in body["rmas"]]
                pages += 1
                url = body["next_cursor"] and f"/api/v1/rmas?limit=2&cursor={body['next_cursor']}"
                if body["next_cursor"]:
                    assert r.headers["link"].endswith('>; rel="next"')
            assert seen == [f"SO-{n}" for n in range(5)] and pages == 3
            since = (ctx.clock() - dt.timedelta(seconds=90)).isoformat()
            recent = (await c.get("/api/v1/rmas", params={"updated_since": since})).json()["rmas"]
            assert [x["order_number"] for x in recent] == ["SO-3", "SO-4"]
            for bad in ({"limit": "0"}, {"limit": "x"}, {"cursor": "forged"}, {"updated_since": "yesterday"},
                        {"updated_since": "2026-12-06T10:00:00"}):
                refused = await c.get("/api/v1/rmas", params=bad)
                assert refused.status_code in (400, 422) and refused.json()["error"]["message"], bad
                assert [f["field"] for f in refused.json()["error"]["fields"]] == list(bad), bad

    async def test_an_order_reads_back_with_what_is_left_to_return_and_its_rmas(self, served):
        ctx, token = served
        app = create_app(ctx, config=WebConfig())
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            await c.post("/api/v1/orders", json=order_payload("SO/2026/7"))
            rma = (await c.post("/api/v1/rmas", json=request_payload("SO/2026/7", quantity=2))).json()
            got = await c.get("/api/v1/orders/so/2026/7")  # slashes and any case
            assert got.status_code == 200, got.text
            body = got.json()
            assert body["order_number"] == "SO/2026/7" and body["rmas"] == [rma["rma_number"]]
            tee = next(line for line in body["lines"] if line["sku"] == "TEE-1")
            assert (tee["ordered"], tee["returnable"]) == (3, 1)
            missing = await c.get("/api/v1/orders/SO-404")
            assert missing.status_code == 404 and "SO-404" in missing.json()["error"]["message"]
