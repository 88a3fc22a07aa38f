"""Webhook signatures per Standard Webhooks (standardwebhooks.com), and the deprecated scheme.

Standard Webhooks: three headers, ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and
``webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``. Receivers verify
with any Standard Webhooks library (``standardwebhooks.Webhook(secret).verify(body, headers)``
in Python, the same package for JavaScript, Go, Java, Ruby, PHP, Rust, C#...), so nobody
writes a check for rma-station alone. The id and the timestamp are signed with the body:
the id lets a receiver drop a retry it already processed, the timestamp lets it refuse an
old request replayed.

Secrets are ``whsec_<base64 of the key bytes>``; ``new_secret`` makes one. A secret without
the prefix (one set up before this release) is used as its UTF-8 bytes, which a receiver
passes to ``Webhook`` as ``bytes``. During a rotation a delivery carries one signature per
live secret, separated by spaces (``v1,<new> v1,<old>``); a receiver holding either passes.

The old scheme (``X-RMA-Signature: v1=<hex HMAC of "<timestamp>.<body>">``, keyed with the
secret's raw text) is **deprecated**: kept for one release for consumers with
``legacy_headers`` on, then removed. The SMS adapter hook still uses it (``signed_headers``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence

from station.core.errors import InvalidInput

# Standard Webhooks
ID_HEADER = "webhook-id"
TIMESTAMP = "webhook-timestamp"
SIGNATURE = "webhook-signature"
SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32

# Deprecated (one release, behind a consumer's ``legacy_headers``)
SIGNATURE_HEADER = "X-RMA-Signature"
TIMESTAMP_HEADER = "X-RMA-Timestamp"
EVENT_ID_HEADER = "X-RMA-Event-Id"
EVENT_TYPE_HEADER = "X-RMA-Event"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SCHEME = "v1"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


def new_secret() -> str:
    """A fresh random secret in the ``whsec_`` form every Standard Webhooks library reads."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of ``secret``: the decoded base64 of a ``whsec_`` secret, else its UTF-8 bytes."""
    secret = secret.strip()
    if not secret.startswith(SECRET_PREFIX):
        return secret.encode()
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("The webhook secret starts with whsec_ but the rest is not base64.",
                           next_step="Make a new one with `rma-station webhooks new-secret`.") from None
    if len(key) < 16:
        raise InvalidInput(f"The webhook secret is too short ({len(key)} bytes; at least 16).",
                           next_step="Make a new one with `rma-station webhooks new-secret`.")
    return key


def standard_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return f"v1,{base64.b64encode(mac).decode()}"


def standard_headers(keys: Sequence[bytes], body: bytes, *, msg_id: str, timestamp: int) -> dict[str, str]:
    """The three Standard Webhooks headers, one signature per key (newest first)."""
    if not keys:
        raise ValueError("at least one key signs a webhook")
    return {
        ID_HEADER: msg_id,
        TIMESTAMP: str(timestamp),
        SIGNATURE: " ".join(standard_signature(k, msg_id, timestamp, body) for k in keys),
    }


# -- deprecated scheme -------------------------------------------------------------------------

def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Deprecated ``X-RMA-Signature`` value: hex HMAC-SHA256 of ``timestamp.body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def legacy_headers(secret: str, body: bytes, *, event_id: str, event_type: str, timestamp: int) -> dict[str, str]:
    """The deprecated ``X-RMA-*`` headers (for consumers not yet on Standard Webhooks)."""
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def signed_headers(secret: str, body: bytes, *, event_id: str, event_type: str, idempotency_key: str,
                   timestamp: int | None = None) -> dict[str, str]:
    """Deprecated-scheme headers with JSON content type (the SMS adapter hook)."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {"Content-Type": "application/json; charset=utf-8",
            **legacy_headers(secret, body, event_id=event_id, event_type=event_type, timestamp=ts),
            IDEMPOTENCY_HEADER: idempotency_key}


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, tolerance_s: int = 300,
           now: float | None = None) -> bool:
    """Deprecated-scheme check: signature matches and the timestamp is within ``tolerance_s``."""
    try:
        ts = int(headers[TIMESTAMP_HEADER])
        given = headers[SIGNATURE_HEADER]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(given, signature(secret, ts, body))
