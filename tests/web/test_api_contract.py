"""The API's contract: the OpenAPI document declares what the service really does (the Bearer
scheme, Idempotency-Key, the error shape for every error status), every response the suite
sees is held to it, and the docs page works without internet."""

from __future__ import annotations

import re

import httpx
import pytest

from station.intake.scopes import ALL_SCOPES
from station.intake.tokens import TokenService
from station.intake.views import RequestView
from tests.helpers.builders import Clock, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from tests.helpers.openapi_check import OpenApiCheck, OpenApiMismatch
from ui.supervisor.headless import CLI_ACTOR
from web.app import WebConfig, create_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def app_and_token(session_factory):
    seed_catalogue(session_factory)
    ctx = make_context(session_factory, Clock())
    return create_app(ctx, config=WebConfig()), TokenService(ctx).add(CLI_ACTOR, "erp", ALL_SCOPES)


def client(app, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://shop.test", headers=headers)


class TestTheDocument:
    async def test_every_operation_declares_bearer_its_scope_and_the_error_shape(self, app_and_token):
        app, _ = app_and_token
        async with client(app) as c:
            doc = (await c.get("/api/v1/openapi.json")).json()
        assert doc["components"]["securitySchemes"]["bearerAuth"] == {
            **doc["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
        assert "HTTPValidationError" not in doc["components"]["schemas"]
        operations = [(m, p, op) for p, ops in doc["paths"].items() for m, op in ops.items()]
        assert len(operations) == 9
        for method, path, op in operations:
            assert op["security"][0]["bearerAuth"][0] in {s.value for s in ALL_SCOPES}, (method, path)
            for status in ("400", "401", "403", "429", "500"):
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            keyed = any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in op.get("parameters", []))
            assert keyed == (method == "post" and path != "/api/v1/orders"), (method, path)
        review = doc["paths"]["/api/v1/rmas/{rma_number}/cancel"]["post"]
        assert review["security"] == [{"bearerAuth": ["returns:review"]}]
        assert set(review["responses"]) >= {"200", "404", "409", "422"}
        fields = doc["components"]["schemas"]["ErrorDetail"]["properties"]["fields"]
        assert fields["items"] == {"$ref": "#/components/schemas/FieldError"}

    async def test_the_document_is_valid_openapi(self, app_and_token):
        from openapi_spec_validator import validate

        validate(app_and_token[0].openapi())  # raises on an invalid document (e.g. a dangling $ref)

    async def test_request_bodies_resolve_in_the_document(self, app_and_token):
        """The bodies' schemas once carried their own ``#/$defs`` refs, which resolve nowhere
        in an OpenAPI document; every ``$ref`` now names a component that exists."""
        app, _ = app_and_token
        doc = app.openapi()
        refs = set(re.findall(r'"\$ref": "([^"]+)"', __import__("json").dumps(doc)))
        assert refs and all(r.startswith("#/components/schemas/") for r in refs)
        assert {r.rsplit("/", 1)[1] for r in refs} <= set(doc["components"]["schemas"])


class TestTheCheckCatchesMismatches:
    """The check every web test runs through (``tests/web/conftest.py``) fails on a lie."""

    def _response(self, status, body, path="/api/v1/rmas/RMA000000018", method="GET"):
        return httpx.Response(status, json=body, request=httpx.Request(method, f"http://shop.test{path}"))

    async def test_an_undocumented_status_fails(self, app_and_token):
        check = OpenApiCheck(app_and_token[0].openapi())
        with pytest.raises(OpenApiMismatch, match="status 418 is not documented"):
            check.check(self._response(418, {"error": {"code": "teapot", "message": "no"}}))

    async def test_an_error_outside_the_error_shape_fails(self, app_and_token):
        check = OpenApiCheck(app_and_token[0].openapi())
        with pytest.raises(OpenApiMismatch, match="does not match"):
            check.check(self._response(404, {"detail": "Not Found"}))
        check.check(self._response(404, {"error": {"code": "not_found", "message": "No return request."}}))

    async def test_a_wrong_method_must_be_405_with_allow(self, app_and_token):
        check = OpenApiCheck(app_and_token[0].openapi())
        with pytest.raises(OpenApiMismatch, match="405 was due"):
            check.check(self._response(404, {"error": {"code": "x", "message": "y"}}, method="DELETE"))

    async def test_an_answer_growing_an_undeclared_field_fails_the_test_that_saw_it(self, app_and_token,
                                                                                       monkeypatch):
        app, token = app_and_token
        plain = RequestView.as_json
        monkeypatch.setattr(RequestView, "as_json", lambda self: {**plain(self), "secret_margin": 12})
        async with client(app, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            with pytest.raises(OpenApiMismatch, match="secret_margin"):
                await c.post("/api/v1/rmas", json=request_payload())

    async def test_the_suites_responses_are_really_checked(self, app_and_token, openapi_checked):
        app, token = app_and_token
        async with client(app, token) as c:
            await c.post("/api/v1/orders", json=order_payload())
            await c.get("/api/v1/orders/SO-1001")
            await c.delete("/api/v1/rmas")
            bad = await c.post("/api/v1/orders", json={"order_number": "SO-2", "currency": "yuan", "lines": []})
        assert sum(check.checked for check in openapi_checked()) == 4
        fields = [f["field"] for f in bad.json()["error"]["fields"]]
        assert bad.status_code == 422 and {"placed_at", "currency", "customer", "lines"} <= set(fields)


class TestDocsPage:
    async def test_docs_load_every_script_and_stylesheet_from_the_service_itself(self, app_and_token):
        app, _ = app_and_token
        async with client(app) as c:
            page = await c.get("/api/v1/docs")
            assert page.status_code == 200 and "/api/v1/openapi.json" in page.text
            assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
            assert len(assets) >= 3 and not re.search(r"https?://", page.text)
            for asset in assets:
                got = await c.get(asset)
                assert got.status_code == 200 and len(got.content) > 500, asset
            assert "SwaggerUIBundle" in (await c.get("/api/v1/docs/assets/swagger-ui-bundle.js")).text
