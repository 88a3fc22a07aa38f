"""An order system reads where a return stands (``progress`` in ``GET /api/v1/rmas/{n}``, the
customer's status page's own read model) and is handed no label for a voucher."""

from __future__ import annotations

import httpx
import pytest

from station.intake.tokens import TokenService
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from ui.supervisor.headless import CLI_ACTOR
from web.app import create_app
from web.pages import PageConfig

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def client(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    token = TokenService(ctx).add(CLI_ACTOR, "shop")
    app = create_app(ctx, pages=PageConfig(dock_address="Returns dock\n88 Harbour Road"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                             headers={"Authorization": f"Bearer {token}"})


async def test_get_rma_says_where_the_return_stands(client):
    async with client as c:
        assert (await c.post("/api/v1/orders", json=order_payload())).status_code == 201
        number = (await c.post("/api/v1/rmas", json=request_payload())).json()["rma_number"]
        progress = (await c.get(f"/api/v1/rmas/{number}")).json()["progress"]
    assert progress["current"] == "authorised" and progress["parcel"] is True and progress["send_by"]
    assert [(s["name"], s["done"]) for s in progress["steps"]] == [
        ("asked", True), ("authorised", True), ("received", False), ("inspected", False),
        ("resolved", False), ("closed", False)]


async def test_a_voucher_decision_has_no_label_url_and_no_label(client):
    async with client as c:
        assert (await c.post("/api/v1/orders", json=order_payload())).status_code == 201
        body = request_payload(reason="missing_parts") | {"resolution": "compensation"}
        decided = (await c.post("/api/v1/rmas", json=body)).json()
        assert decided["status"] == "authorised" and decided["label_url"] is None
        got = (await c.get(f"/api/v1/rmas/{decided['rma_number']}")).json()
        assert got["label_url"] is None and got["progress"]["parcel"] is False
        assert (await c.get(f"/api/v1/rmas/{decided['rma_number']}/label.pdf")).status_code == 404
