"""A newcomer's first run of the returns service (issue 24, part 1): the demo seeds orders to
return from and a dock address, ``serve`` says at once when no label could be made, and
``--no-labels`` runs a service that hands out no label instead of failing on each."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from station.core.db import make_engine, make_session_factory
from station.core.settings import load_settings
from station.demo import DEMO_DOCK_ADDRESS, DEMO_ORDERS
from station.intake.tokens import TokenService
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from tests.web.pagehelpers import serve
from ui.cli import main
from ui.supervisor.headless import CLI_ACTOR
from web.app import WebConfig, create_app
from web.pages import PageConfig

_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def test_seed_demo_prints_orders_to_return_from_and_sets_the_dock_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.sqlite"
    assert main(["seed-demo", "--db", str(db), "--rmas", "40"]) == 0
    out = capsys.readouterr().out
    for order in DEMO_ORDERS:
        assert f"  {order.number}  {order.email}" in out
    assert load_settings()[0].get("dock.address") == DEMO_DOCK_ADDRESS
    ctx = make_context(make_session_factory(make_engine(f"sqlite:///{db}")))
    app = create_app(ctx, pages=PageConfig(dock_address=None))
    with serve(app) as base, httpx.Client(base_url=base, timeout=30) as browser:
        token = _FORM_TOKEN.search(browser.get("/returns").text).group(1)
        first = DEMO_ORDERS[0]
        found = browser.post("/returns", data={"form_token": token, "order_number": first.number,
                                               "contact": first.email})
    assert found.status_code == 303, found.text[:300]


def test_serve_without_a_dock_address_says_so_in_one_line(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["serve", "--db", str(db), "--port", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "setting dock.address" in err[0] and "--no-labels" in err[0]


class TestNoLabels:
    pytestmark = pytest.mark.anyio

    @pytest.fixture
    def anyio_backend(self) -> str:
        return "asyncio"

    async def test_decisions_carry_no_label_url_and_the_label_route_says_why(self, session_factory) -> None:  # noqa: ANN001
        seed_catalogue(session_factory)
        ctx = make_context(session_factory, Clock())
        token = TokenService(ctx).add(CLI_ACTOR, "shop")
        app = create_app(ctx, config=WebConfig(), pages=PageConfig(labels=False))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            await c.post("/api/v1/orders", json=order_payload())
            decided = await c.post("/api/v1/rmas", json=request_payload())
            assert decided.status_code == 201 and decided.json()["status"] == "authorised"
            assert decided.json()["label_url"] is None
            number = decided.json()["rma_number"]
            label = await c.get(f"/api/v1/rmas/{number}/label.pdf")
        assert label.status_code == 404 and "--no-labels" in label.json()["error"]["message"]


class TestHostileRequests:
    pytestmark = pytest.mark.anyio

    @pytest.fixture
    def anyio_backend(self) -> str:
        return "asyncio"

    async def test_deep_json_is_a_400_in_the_documented_shape_and_405_names_what_is_allowed(
            self, session_factory) -> None:  # noqa: ANN001
        seed_catalogue(session_factory)
        ctx = make_context(session_factory, Clock())
        token = TokenService(ctx).add(CLI_ACTOR, "shop")
        app = create_app(ctx)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"}) as c:
            for path, body in (("/api/v1/orders", "[" * 100_000 + "]" * 100_000),
                               ("/api/v1/rmas", '{"a":' * 50_000 + "1" + "}" * 50_000)):
                r = await c.post(path, content=body)
                assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request", r.text[:200]
                assert "nested too deeply" in r.json()["error"]["message"]
            wrong = await c.put("/api/v1/orders")
            head = await c.head("/returns")
            get = await c.get("/returns")
        assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
        assert head.status_code == 200 and head.content == b"" and get.content
        assert head.headers["content-type"] == get.headers["content-type"]
