"""The returns service's ASGI app: ``create_app(ctx)``.

Stateless: everything lives in the database the context points at (orders, requests, token
counters), so several processes or machines can serve one database behind a reverse proxy.
The customers' request page (``web.pages``) and the return label route mount beside the API.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from station.core.context import StationContext
from station.core.errors import InvalidInput, StationError
from station.core.photos import PhotoStore
from station.intake import listing
from station.intake.bulk import NewRequest
from station.intake.inputs import parse_order, parse_request
from station.intake.scopes import Scope
from station.intake.service import IntakeService
from station.intake.tokens import DEFAULT_RATE_PER_MINUTE, TokenService
from web import api_docs, errors, openapi, unsubscribe
from web.pages import PageConfig, install_pages
from web.reviews import review_router
from web.schemas import OrderBody, RmaBody, review_schema, schema_of

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
DEFAULT_MAX_BODY = 24 * 1024 * 1024


class BodyTooLarge(StationError):
    code = "body_too_large"


@dataclass(frozen=True)
class WebConfig:
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE
    max_body_bytes: int = DEFAULT_MAX_BODY


async def read_json(request: Request, cap: int) -> Any:
    """The JSON body, refusing more than ``cap`` bytes before reading it all (413)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge(f"The body is {int(declared):,} bytes; at most {cap:,}.")
    chunks = bytearray()
    async for chunk in request.stream():
        chunks += chunk
        if len(chunks) > cap:
            raise BodyTooLarge(f"The body is more than {cap:,} bytes.")
    try:
        return json.loads(chunks)
    except (ValueError, UnicodeDecodeError):
        raise _BadRequest("The body is not valid JSON.") from None
    except RecursionError:  # thousands of nested brackets: no order or request is shaped so
        raise _BadRequest("The JSON is nested too deeply; an order or a request is a few levels deep.") from None


class _BadRequest(StationError):
    code = "bad_request"


class _Calls:
    """Runs service calls off the event loop; on SQLite, one writer at a time.

    SQLite has one write lock, and its busy handler lets waiting writers poll with growing
    sleeps, so under load some wait a second or more while others get in. Queueing on a
    process lock first serves them in turn. PostgreSQL needs no such lock.
    """

    def __init__(self, ctx: StationContext) -> None:
        bind = ctx.session_factory.kw.get("bind")
        self.lock = threading.Lock() if bind is not None and bind.dialect.name == "sqlite" else None

    async def __call__(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self.lock is None:
            return await run_in_threadpool(fn, *args, **kwargs)
        lock = self.lock

        def locked() -> Any:
            with lock:
                return fn(*args, **kwargs)
        return await run_in_threadpool(locked)


class _GroupCommit:
    """POST /rmas requests that arrive while a write is running are written together: one
    transaction and one commit (one fsync) for the lot, each request still decided alone.

    SQLite has one writer at a time and ``synchronous=FULL`` makes each commit wait for the
    disk, so committing requests one by one caps throughput at the commit rate. Here the first
    request starts a write; those that arrive meanwhile queue and go in the next write, at most
    ``MAX_BATCH`` at a time. Every response is sent only after the commit that holds it; a
    request the policy or its input refuses gets its own error and writes nothing
    (``IntakeService.request_batch``). The token's request counter is counted in the same
    transaction.
    """

    MAX_BATCH = 64

    def __init__(self, intake: IntakeService, tokens: TokenService, config: WebConfig, call: _Calls) -> None:
        self.intake, self.tokens, self.config, self.call = intake, tokens, config, call
        self.queue: list[tuple[NewRequest, str, asyncio.Future[Any]]] = []
        self.draining = False

    async def __call__(self, item: NewRequest, digest: str) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.queue.append((item, digest, future))
        if not self.draining:
            self.draining = True
            asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self.queue:
                batch, self.queue = self.queue[:self.MAX_BATCH], self.queue[self.MAX_BATCH:]
                try:
                    answers = await self.call(self._write, batch)
                except Exception as exc:  # the whole write failed: every request in it hears why
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, _, future), answer in zip(batch, answers):
                    if future.done():  # the client went away
                        continue
                    if isinstance(answer, BaseException):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
        finally:
            self.draining = False

    def _write(self, batch: list[tuple[NewRequest, str, asyncio.Future[Any]]]) -> list[Any]:
        per_minute = self.config.rate_per_minute
        return self.intake.request_batch(
            [item for item, _, _ in batch],
            admit=lambda db, i: self.tokens.count(db, batch[i][1], per_minute=per_minute,
                                                  scope=Scope.RETURNS_WRITE))


class HeadAsGet:
    """HEAD answers what GET would, without the body (HTTP says every GET resource takes
    HEAD; FastAPI's routes only answer the methods they name)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": False} if not message.get("more_body") else None
                if message is None:
                    return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def create_app(ctx: StationContext, *, config: WebConfig | None = None,
               photos: PhotoStore | None = None, pages: PageConfig | None = None) -> FastAPI:
    config = config or WebConfig()
    intake = IntakeService(ctx, photos=photos)
    tokens = TokenService(ctx)
    app = FastAPI(title="rma-station returns service", version="1",
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None)
    app.state.ctx = ctx
    app.state.intake = intake
    app.state.tokens = tokens
    app.state.config = config
    app.add_exception_handler(BodyTooLarge, _status(413))
    app.add_exception_handler(_BadRequest, _status(400))
    app.add_exception_handler(StationError, errors.station_error)
    app.add_exception_handler(HTTPException, errors.http_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(OperationalError, errors.database_busy)
    app.add_exception_handler(Exception, errors.internal_error)
    call = _Calls(ctx)
    labels_on = (pages or PageConfig()).labels
    app.include_router(api_router(intake, tokens, config, call, labels_on), prefix="/api/v1")
    app.include_router(review_router(intake, _caller(tokens, config, call),
                                     lambda request: read_json(request, config.max_body_bytes), call,
                                     lambda view: _rma_json(view, labels_on), review_schema), prefix="/api/v1")
    app.include_router(unsubscribe.unsubscribe_router(ctx))
    # For the customer pages: Jinja2 with HTML autoescaping (Starlette's default for .html).
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    install_pages(app, intake, call, pages)
    app.include_router(label_router(app.state.labels, tokens, config, call), prefix="/api/v1")
    api_docs.install(app)
    openapi.install(app)
    app.add_middleware(HeadAsGet)
    return app


def _status(status: int):  # type: ignore[no-untyped-def]
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return errors.error_body(status, getattr(exc, "code", "error"), str(exc))
    return handler


def _caller(tokens: TokenService, config: WebConfig, call: _Calls):  # type: ignore[no-untyped-def]
    """The dependency every API operation starts with: the bearer token checked, counted and
    found to hold the operation's scope (401, 429, 403 in the error shape); its name."""
    async def caller(request: Request, scope: Scope) -> str:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else None
        return str(await call(tokens.authenticate, token, per_minute=config.rate_per_minute, scope=scope))
    return caller


def api_router(intake: IntakeService, tokens: TokenService, config: WebConfig, call: _Calls,
               labels_on: bool = True) -> APIRouter:
    router = APIRouter()
    caller = _caller(tokens, config, call)

    @router.post("/orders", openapi_extra=schema_of(OrderBody),
                 summary="Send an order the customer may return from (idempotent by order_number)")
    async def post_order(request: Request) -> JSONResponse:
        by = await caller(request, Scope.ORDERS_WRITE)
        order = parse_order(await read_json(request, config.max_body_bytes))
        outcome = await call(intake.submit_order, order, by=by)
        return JSONResponse({"order_number": outcome.order_number, "status": outcome.status},
                            status_code=201 if outcome.status == "created" else 200)

    group = _GroupCommit(intake, tokens, config, call)

    @router.post("/rmas", openapi_extra=schema_of(RmaBody), status_code=201,
                 summary="Request a return; the policy authorises, refuses or sends it to review")
    async def post_rma(request: Request) -> JSONResponse:
        # The token is checked and counted in the request's own transaction (group commit);
        # if the body is bad, it is checked and counted first, alone, so a bad or over-limit
        # token is still answered 401/429 before any complaint about the body.
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else None
        digest = tokens.digest(token)
        try:
            body = await read_json(request, config.max_body_bytes)
            # Photos are decoded and checked off the event loop; a body without is quick.
            photos = body.get("photos") if isinstance(body, dict) else None
            parsed = await run_in_threadpool(parse_request, body) if photos else parse_request(body)
            key = request.headers.get("idempotency-key")
            if key is not None and not 1 <= len(key) <= 100:
                raise InvalidInput("Idempotency-Key must be 1 to 100 characters.")
        except StationError:
            await caller(request, Scope.RETURNS_WRITE)  # counted (and 429 first if over the limit), as before
            raise
        view = await group(NewRequest(parsed, "", "api", key), digest)
        return JSONResponse(_rma_json(view, labels_on), status_code=200 if view.replayed else 201)

    @router.get("/rmas", summary="Return requests, oldest change first, by cursor (limit <= 200, updated_since)")
    async def list_rmas(request: Request, limit: str | None = None, cursor: str | None = None,
                        updated_since: str | None = None) -> JSONResponse:
        await caller(request, Scope.RETURNS_READ)
        page = await call(listing.list_requests, intake, limit=listing.page_limit(limit), cursor=cursor,
                          updated_since=listing.parse_since(updated_since))
        body = {"rmas": [_rma_json(v, labels_on) for v in page.items], "next_cursor": page.next_cursor}
        headers = {}
        if page.next_cursor:
            following = request.url.include_query_params(cursor=page.next_cursor)
            headers["Link"] = f'<{following}>; rel="next"'
        return JSONResponse(body, headers=headers)

    @router.get("/orders/{order_number:path}", summary="An order: its lines, what is left to return, its RMAs")
    async def get_order(order_number: str, request: Request) -> JSONResponse:
        await caller(request, Scope.ORDERS_READ)
        return JSONResponse(await call(listing.order_json, intake, order_number))

    @router.get("/rmas/{rma_number}", summary="A request's status, lines, units, grades, dispositions")
    async def get_rma(rma_number: str, request: Request) -> JSONResponse:
        await caller(request, Scope.RETURNS_READ)
        view = await call(intake.get, rma_number)
        return JSONResponse(_rma_json(view, labels_on))

    return router


def label_router(labels: Any, tokens: TokenService, config: WebConfig, call: _Calls) -> APIRouter:
    router = APIRouter()

    @router.get("/rmas/{rma_number}/label.pdf", summary="The customer's return label (PDF; page=a4|letter|4x6)",
                response_class=Response)
    async def get_label(rma_number: str, request: Request, page: str = "a4", lang: str | None = None) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else None
        await call(tokens.authenticate, token, per_minute=config.rate_per_minute, scope=Scope.RETURNS_READ)
        pdf = await call(labels.pdf, rma_number, page=page, language=lang if lang in ("en", "zh") else None)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="return-label-{rma_number}.pdf"'})

    return router


def _rma_json(view: Any, labels_on: bool = True) -> dict[str, Any]:
    body = dict(view.as_json())
    if not labels_on:
        body["label_url"] = None  # no label to fetch: the service runs with --no-labels
    return body
