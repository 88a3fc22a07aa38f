"""``POST /api/v1/rmas/{n}/approve|refuse|cancel``: an order system reviews return requests.

Shopify's ``returnApprove``/``returnDecline``/``returnCancel`` and Loop's return actions in
this service's words. Each call is the desk's own service call (``IntakeService.authorise``,
``refuse``, ``cancel``), made by the token's actor (``Actor.api_token``, audited as
``api:<token name>``) once the token is found to hold ``returns:review``. Each takes an
``Idempotency-Key``: a retried call answers the request as it now stands (200, header
``Idempotent-Replayed: true``) instead of a 409 for a request already decided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from station.core.context import Actor
from station.intake.replays import ReplayKey
from station.intake.review_inputs import parse_review
from station.intake.scopes import Scope
from station.intake.service import IntakeService

Caller = Callable[[Request, Scope], Awaitable[str]]
BodyReader = Callable[[Request], Awaitable[Any]]


async def optional_body(request: Request, read_json: BodyReader) -> Any:
    """The JSON body, or None when the call sent none (approve and cancel need none)."""
    if request.headers.get("content-length") in (None, "0") and "transfer-encoding" not in request.headers:
        return None
    return await read_json(request)


def review_router(intake: IntakeService, caller: Caller, read_json: BodyReader, call: Any,
                  rma_json: Callable[[Any], dict[str, Any]], openapi_extra: Callable[[str], dict[str, Any]]
                  ) -> APIRouter:
    router = APIRouter()

    async def review(request: Request, rma_number: str, action: str) -> JSONResponse:
        name = await caller(request, Scope.RETURNS_REVIEW)
        fields = parse_review(await optional_body(request, read_json), action)
        key = request.headers.get("idempotency-key")
        replay = ReplayKey.of(name, key, action, rma_number, fields) if key is not None else None
        actor = Actor.api_token(name)
        if action == "approve":
            view = await call(intake.authorise, actor, rma_number, fields["note"], replay=replay)
        elif action == "refuse":
            view = await call(intake.refuse, actor, rma_number, fields["reason"], fields["reason_zh"], replay=replay)
        else:
            view = await call(intake.cancel, actor, rma_number, fields["reason"], replay=replay)
        headers = {"Idempotent-Replayed": "true"} if view.replayed else None
        return JSONResponse(rma_json(view), headers=headers)

    @router.post("/rmas/{rma_number}/approve", openapi_extra=openapi_extra("approve"),
                 summary="Authorise a request waiting for review (the desk's approval); it becomes an RMA")
    async def approve(rma_number: str, request: Request) -> JSONResponse:
        return await review(request, rma_number, "approve")

    @router.post("/rmas/{rma_number}/refuse", openapi_extra=openapi_extra("refuse"),
                 summary="Refuse a request waiting for review, with the reason the customer reads")
    async def refuse(rma_number: str, request: Request) -> JSONResponse:
        return await review(request, rma_number, "refuse")

    @router.post("/rmas/{rma_number}/cancel", openapi_extra=openapi_extra("cancel"),
                 summary="Withdraw a request the dock has received nothing for (pending or authorised)")
    async def cancel(rma_number: str, request: Request) -> JSONResponse:
        return await review(request, rma_number, "cancel")

    return router
