"""The SMS hook: a plain interface and a webhook backend.

SMS gateways differ per country and vendor; the station does not speak any of them. It posts
``{"to", "text", "idempotency_key", "rma", "notice"}`` as a signed webhook (same scheme as
the event webhooks) to a small adapter the site runs in front of its gateway. Anything else
that has a ``send`` of this shape can be plugged in instead.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Protocol

from station.core.errors import DeviceError
from station.integrations.http_post import KeepAlivePoster
from station.integrations.signing import signed_headers

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str, *, key: str, rma: str, notice: str) -> None:
        """Hand one text to the gateway; raise on failure (the notice is retried later)."""


class WebhookSms:
    """Posts each text, signed with the secret in ``$secret_env``, to ``url``."""

    def __init__(self, url: str, secret_env: str, *, poster: KeepAlivePoster | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        self.url, self.secret_env = url, secret_env
        self.poster = poster or KeepAlivePoster()
        self.env = os.environ if env is None else env

    def send(self, phone: str, text: str, *, key: str, rma: str, notice: str) -> None:
        secret = self.env.get(self.secret_env, "")
        if not secret:
            raise DeviceError(f"SMS hook secret ${self.secret_env} is not set; nothing sent unsigned.")
        body = json.dumps({"to": phone, "text": text, "idempotency_key": key, "rma": rma, "notice": notice},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        result = self.poster.post(self.url, body, signed_headers(
            secret, body, event_id=key.split(":")[0], event_type=f"notice.{notice}", idempotency_key=key))
        if not result.ok:
            raise DeviceError(f"SMS hook refused the text: {result.error or f'HTTP {result.status}'}")

    def close(self) -> None:
        self.poster.close()
