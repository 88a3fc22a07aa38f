"""The OpenAPI document an order system's developer (and the test suite) can trust.

FastAPI's generated document named no security scheme and no Idempotency-Key, and declared
only its default 422 (``HTTPValidationError``), which this service never sends. Here every
API operation gets, from one table (``OPERATIONS``): the Bearer scheme with the scope it needs,
the Idempotency-Key header where the call takes one, its success answers with their schemas,
and each error status it can answer, all in the one error shape (``web.schemas.ErrorBody``).
``tests/web/openapi_check.py`` holds every response the suite receives to this document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from station.intake.scopes import SCOPE_WORDS, Scope
from web import schemas as s

API = "/api/v1"
SCHEME = "bearerAuth"
REF = "#/components/schemas/{model}"

ERRORS: dict[int, str] = {
    400: "The body is not JSON, or is nested too deeply, or the call is malformed.",
    401: "No token, an unknown one or a revoked one (header WWW-Authenticate: Bearer).",
    403: "The token lacks the scope this operation needs (code scope_missing, the scope named).",
    404: "No such order or return request.",
    409: "The request contradicts what is recorded: already decided, received at the dock, an "
         "Idempotency-Key reused for another call.",
    413: "The body is larger than the service takes.",
    422: "The input was refused; error.fields names each refused field.",
    429: "The token sent more requests this minute than it may (header Retry-After).",
    500: "The service failed on this request; it was logged.",
    503: "The database is busy; retry (header Retry-After).",
}
COMMON = (400, 401, 403, 429, 500, 503)
BODY_ERRORS = (413, 422)


@dataclass(frozen=True)
class Operation:
    scope: Scope
    answers: dict[int, tuple[str, type[BaseModel] | None]]
    errors: tuple[int, ...] = ()
    idempotent: bool = False
    media: str = "application/json"
    extra: dict[str, Any] = field(default_factory=dict)


_REVIEW = Operation(Scope.RETURNS_REVIEW, {200: ("The request as it now stands (also for a replayed "
                                                 "Idempotency-Key: header Idempotent-Replayed)", s.RmaOut)},
                    (404, 409, *BODY_ERRORS), idempotent=True)

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("post", f"{API}/orders"): Operation(
        Scope.ORDERS_WRITE, {201: ("Created", s.OrderOutcomeOut),
                             200: ("Known already: updated or unchanged (idempotent by order_number)",
                                   s.OrderOutcomeOut)}, (409, *BODY_ERRORS)),
    ("post", f"{API}/rmas"): Operation(
        Scope.RETURNS_WRITE, {201: ("Decided: authorised, pending_review or refused", s.RmaOut),
                              200: ("The same Idempotency-Key and body again: the first answer", s.RmaOut)},
        (404, 409, *BODY_ERRORS), idempotent=True),
    ("get", f"{API}/rmas"): Operation(Scope.RETURNS_READ, {200: ("One page (header Link: rel=next)", s.RmaPageOut)},
                                      (422,)),
    ("get", f"{API}/orders/{{order_number}}"): Operation(Scope.ORDERS_READ, {200: ("The order", s.OrderOut)},
                                                         (404,)),
    ("get", f"{API}/rmas/{{rma_number}}"): Operation(Scope.RETURNS_READ, {200: ("The request", s.RmaOut)}, (404,)),
    ("get", f"{API}/rmas/{{rma_number}}/label.pdf"): Operation(
        Scope.RETURNS_READ, {200: ("The label, a PDF", None)}, (404, 422), media="application/pdf"),
    ("post", f"{API}/rmas/{{rma_number}}/approve"): _REVIEW,
    ("post", f"{API}/rmas/{{rma_number}}/refuse"): _REVIEW,
    ("post", f"{API}/rmas/{{rma_number}}/cancel"): _REVIEW,
}

MODELS: tuple[type[BaseModel], ...] = (
    s.OrderBody, s.RmaBody, s.ApproveBody, s.RefuseBody, s.CancelBody, s.ErrorBody, s.RmaOut, s.RmaPageOut,
    s.OrderOutcomeOut, s.OrderOut)

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": "Send the same key to retry safely: the call is made once, a retry answers what it made; "
                   "the same key with another call is 409.",
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": ERRORS[status], "content": _json({"$ref": REF.format(model="ErrorBody")})}
    header = {401: "WWW-Authenticate", 429: "Retry-After", 503: "Retry-After"}.get(status)
    if header:
        answer["headers"] = {header: {"schema": {"type": "string"}}}
    return answer


def document(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes,
                      description="Returns for an order system: send orders, request returns, read them back "
                                  "page by page, and review requests. Every call takes "
                                  "`Authorization: Bearer <token>` (`rma-station api-token add`) with the scope "
                                  "it names. Errors: `{\"error\": {\"code\", \"message\", \"fields\"?}}`.")
    components = doc.setdefault("components", {})
    found = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        found.pop(name, None)
    _, defs = models_json_schema([(m, "validation") for m in MODELS], ref_template=REF)
    found.update(defs["$defs"])
    components["securitySchemes"] = {SCHEME: {
        "type": "http", "scheme": "bearer",
        "description": "An API token (`rma-station api-token add --name NAME --scope ...`). Scopes: "
                       + "; ".join(f"`{sc}`: {SCOPE_WORDS[sc]}" for sc in Scope)}}
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            spec = OPERATIONS.get((method, path))
            if spec is None:
                continue
            op["security"] = [{SCHEME: [spec.scope.value]}]
            op["description"] = (op.get("description", "") + f"\n\nNeeds the scope `{spec.scope.value}`.").strip()
            responses: dict[str, Any] = {}
            for status, (words, model) in sorted(spec.answers.items()):
                content = (_json({"$ref": REF.format(model=model.__name__)}) if model is not None
                           else {spec.media: {"schema": {"type": "string", "format": "binary"}}})
                responses[str(status)] = {"description": words, "content": content}
                if spec is _REVIEW:
                    responses[str(status)]["headers"] = {"Idempotent-Replayed": {
                        "description": "true when an earlier call with this Idempotency-Key made the change",
                        "schema": {"type": "string", "enum": ["true"]}}}
            for status in sorted({*COMMON, *spec.errors}):
                responses[str(status)] = _error(status)
            op["responses"] = responses
            if spec.idempotent:
                op["parameters"] = [*op.get("parameters", []), IDEMPOTENCY_KEY]
    return doc


def install(app: FastAPI) -> None:
    """Serve ``document(app)`` as the app's OpenAPI (built once, on first request)."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
