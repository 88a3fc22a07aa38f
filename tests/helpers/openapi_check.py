"""Holds every API response the test suite receives to the service's OpenAPI document.

``tests/web/conftest.py`` installs it around ``httpx.Client.send`` and
``httpx.AsyncClient.send``, so every web test's client (in-process ASGI or a real uvicorn) is
checked: a response to ``/api/v1/...`` must carry a status the operation documents and, when
JSON, a body that validates against the documented schema (answers' schemas forbid fields
they do not name). A wrong method must be a 405 in the error shape with ``Allow``. A mismatch
raises ``OpenApiMismatch`` from the client call, failing the test that made it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

API = "/api/v1/"
UNDOCUMENTED = ("/api/v1/openapi.json", "/api/v1/docs")  # the document and its viewer


class OpenApiMismatch(AssertionError):
    """A response the OpenAPI document does not describe."""


class OpenApiCheck:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.checked = 0
        self._paths = []
        for template in doc["paths"]:
            strict = re.escape(template)
            parts = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", strict), re.sub(r"\\\{[^}]+\\\}", "(.+)", strict)
            self._paths.append((template, re.compile(parts[0] + "$"), re.compile(parts[1] + "$")))

    def operation_of(self, path: str) -> str | None:
        """The document's path template for ``path`` (a segment first, then any text: an order
        number may hold slashes)."""
        for which in (1, 2):
            for template, *patterns in self._paths:
                if patterns[which - 1].match(path):
                    return template
        return None

    def validate(self, body: Any, schema: dict[str, Any], where: str) -> None:
        try:
            Draft202012Validator({**schema, "components": self.doc.get("components", {})}).validate(body)
        except ValidationError as exc:
            raise OpenApiMismatch(f"{where}: the body does not match the document: {exc.message} "
                                  f"(at {'/'.join(map(str, exc.absolute_path)) or 'the top'})") from None

    def check(self, response: httpx.Response) -> None:
        path = response.request.url.path
        if not path.startswith(API) or path.startswith(UNDOCUMENTED):
            return
        method = response.request.method.lower()
        where = f"{response.request.method} {path} -> {response.status_code}"
        template = self.operation_of(path)
        operations = self.doc["paths"].get(template, {}) if template else {}
        operation = operations.get("get" if method == "head" else method)
        if operation is None:
            expected = 405 if operations else 404
            if response.status_code != expected:
                raise OpenApiMismatch(f"{where}: no such operation, so {expected} was due")
            if expected == 405 and not response.headers.get("allow"):
                raise OpenApiMismatch(f"{where}: a 405 without Allow")
            self.validate(response.json(), {"$ref": "#/components/schemas/ErrorBody"}, where)
            self.checked += 1
            return
        answer = operation["responses"].get(str(response.status_code))
        if answer is None:
            raise OpenApiMismatch(f"{where}: status {response.status_code} is not documented for this operation "
                                  f"(documented: {', '.join(operation['responses'])})")
        self.checked += 1
        if method == "head":
            return
        media = response.headers.get("content-type", "").split(";")[0].strip()
        content = answer.get("content", {})
        if media not in content:
            raise OpenApiMismatch(f"{where}: answered {media or 'no content type'}, documented "
                                  f"{', '.join(content) or 'no body'}")
        if media == "application/json":
            self.validate(json.loads(response.content), content[media]["schema"], where)


def installer(monkeypatch: Any) -> Callable[[], list[OpenApiCheck]]:
    """Wrap httpx's ``send`` so each response is checked against the document of the app (an
    ASGI transport's) or of the server (fetched once per base URL) that answered it."""
    checks: dict[Any, OpenApiCheck] = {}
    plain_send, plain_async_send = httpx.Client.send, httpx.AsyncClient.send

    def for_app(client: Any, request: httpx.Request) -> OpenApiCheck:
        app = getattr(client._transport, "app", None)  # ASGITransport's, Starlette TestClient's
        if app is None or not hasattr(app, "openapi"):
            return for_server(f"{request.url.scheme}://{request.url.netloc.decode()}")
        if id(app) not in checks:
            checks[id(app)] = OpenApiCheck(app.openapi())
        return checks[id(app)]

    def for_server(base: str) -> OpenApiCheck:
        if base not in checks:
            with httpx.Client(base_url=base) as raw:
                checks[base] = OpenApiCheck(plain_send(raw, raw.build_request("GET", "/api/v1/openapi.json")).json())
        return checks[base]

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = plain_send(self, request, **kwargs)
        if request.url.path.startswith(API):
            response.read()
            for_app(self, request).check(response)
        return response

    async def async_send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = await plain_async_send(self, request, **kwargs)
        if request.url.path.startswith(API):
            await response.aread()
            for_app(self, request).check(response)
        return response

    monkeypatch.setattr(httpx.Client, "send", send)
    monkeypatch.setattr(httpx.AsyncClient, "send", async_send)
    return lambda: list(checks.values())
