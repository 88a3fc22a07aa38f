"""Errors of the returns intake that the station's tree has no word for yet."""

from __future__ import annotations

from station.core.errors import AuthenticationFailed, StationError


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
