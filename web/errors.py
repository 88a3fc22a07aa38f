"""Station errors as JSON with the HTTP status a shop developer expects.

Every error the API answers has one shape (``web.schemas.ErrorBody``, in the OpenAPI document)::

    {"error": {"code": "invalid_input", "message": "...",
               "fields": [{"field": "lines[1].quantity", "message": "..."}]}}

``fields`` is there when the input was refused for named fields (``FieldErrors``), every
problem at once.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from station.core.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied, StationError
from station.intake.errors import Conflict, FieldErrors, RateLimited

log = logging.getLogger(__name__)

STATUS: tuple[tuple[type[StationError], int], ...] = (
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (InvalidInput, 422),
)


def error_body(status: int, code: str, message: str,
               fields: tuple[tuple[str, str], ...] = ()) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 403 and code == "scope_missing":
        headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}  # RFC 6750, 3.1
    if status == 429:
        headers = {"Retry-After": "60"}
    error: dict[str, object] = {"code": code, "message": message}
    if fields:
        error["fields"] = [{"field": field, "message": text} for field, text in fields]
    return JSONResponse({"error": error}, status_code=status, headers=headers)


async def station_error(_request: Request, exc: Exception) -> JSONResponse:
    status = next((s for cls, s in STATUS if isinstance(exc, cls)), 400)
    fields = exc.fields if isinstance(exc, FieldErrors) else ()
    return error_body(status, getattr(exc, "code", "error"), str(exc), fields)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    response = error_body(status, "http_error", str(detail))
    for name, value in (getattr(exc, "headers", None) or {}).items():  # a 405's Allow, as HTTP says
        response.headers[name] = value
    return response


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """The last resort: the documented error shape, never Starlette's plain-text page."""
    log.error("internal error on %s %s: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_body(500, "internal_error", "The returns service failed on this request; it was logged.")


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    return error_body(400, "bad_request", "The body is not valid JSON.")


async def database_busy(_request: Request, exc: Exception) -> JSONResponse:
    """The database did not answer in time (SQLite's write lock, a PostgreSQL restart): retry."""
    log.warning("database unavailable: %s", exc)
    response = error_body(503, "database_busy", "The returns database is busy; retry in a few seconds.")
    response.headers["Retry-After"] = "2"
    return response
