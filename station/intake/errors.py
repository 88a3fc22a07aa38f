"""Errors of the returns intake that the station's tree has no word for yet."""

from __future__ import annotations

from station.core.errors import AuthenticationFailed, InvalidInput, StationError


class Conflict(StationError):
    """The request contradicts what is already recorded (a reused Idempotency-Key, an order
    change below what was already returned)."""

    code = "conflict"


class RateLimited(StationError):
    """Too many requests from one token or client in the current minute."""

    code = "rate_limited"


class TokenRejected(AuthenticationFailed):
    """A missing, unknown or revoked API token."""

    code = "token_rejected"


class FieldErrors(InvalidInput):
    """Input refused for named fields: every problem at once, each with the field it is about.

    ``fields`` holds (field, message) pairs; a field is named as the message names it
    (``lines[1].quantity``: the first line's quantity, ``customer.email``), "" for the body as
    a whole. The API returns them as ``error.fields`` (``web.errors``), as Shopify's
    ``userErrors`` carry a field and a message each.
    """

    def __init__(self, message: str, fields: tuple[tuple[str, str], ...], *, next_step: str | None = None) -> None:
        super().__init__(message, next_step=next_step)
        self.fields = fields
