"""Webhook signatures: HMAC-SHA256 over ``timestamp + "." + body``.

Signing the timestamp with the body lets a receiver refuse a replayed request (an old,
validly signed body sent again) by checking the timestamp is recent; comparing with
``hmac.compare_digest`` keeps the check constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

SIGNATURE_HEADER = "X-RMA-Signature"
TIMESTAMP_HEADER = "X-RMA-Timestamp"
EVENT_ID_HEADER = "X-RMA-Event-Id"
EVENT_TYPE_HEADER = "X-RMA-Event"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, event_id: str, event_type: str, idempotency_key: str,
                   timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: signature(secret, ts, body),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
        IDEMPOTENCY_HEADER: idempotency_key,
    }


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, tolerance_s: int = 300,
           now: float | None = None) -> bool:
    """True if the signature matches and the timestamp is within ``tolerance_s`` of now."""
    try:
        ts = int(headers[TIMESTAMP_HEADER])
        given = headers[SIGNATURE_HEADER]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(given, signature(secret, ts, body))
