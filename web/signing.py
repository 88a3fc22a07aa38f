"""Signed values for the request page: form tokens (CSRF), order grants and RMA links.

A form token carries a random nonce, the time it was issued and the browser's cookie id,
signed with HMAC-SHA256 under the key kept in the database (``PageGuard.signing_key``), so
every service process checks what another issued. A token is accepted once (its nonce is
recorded), only with the cookie it was bound to, and only for ``FORM_TTL`` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

FORM_TTL = 3600
GRANT_TTL = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Signer:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def mac(self, *parts: str) -> str:
        return _b64(hmac.new(self.key, "\x1f".join(parts).encode(), hashlib.sha256).digest()[:24])

    def check(self, mac: str, *parts: str) -> bool:
        return hmac.compare_digest(mac.encode(), self.mac(*parts).encode())

    # ---- form tokens
    def form_token(self, browser: str, now: float | None = None) -> str:
        nonce = secrets.token_urlsafe(18)
        issued = str(int(now if now is not None else time.time()))
        return f"{nonce}.{issued}.{self.mac('form', nonce, issued, browser)}"

    def form_nonce(self, token: str, browser: str, now: float | None = None) -> str | None:
        """The token's nonce if it is ours, bound to ``browser`` and fresh; else None."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or not browser:
            return None
        nonce, issued, mac = parts
        if not self.check(mac, "form", nonce, issued, browser):
            return None
        age = (now if now is not None else time.time()) - int(issued)
        return nonce if 0 <= age <= FORM_TTL else None

    # ---- order grants: "this browser proved it knows the order's e-mail or phone"
    def grant(self, order_number: str, now: float | None = None) -> str:
        issued = str(int(now if now is not None else time.time()))
        return f"{issued}.{self.mac('grant', order_number, issued)}"

    def grant_ok(self, order_number: str, grant: str, now: float | None = None) -> bool:
        issued, _, mac = grant.partition(".")
        if not issued.isdigit() or not self.check(mac, "grant", order_number, issued):
            return False
        return 0 <= (now if now is not None else time.time()) - int(issued) <= GRANT_TTL

    # ---- a request's page and label: a link the customer keeps
    def rma_link(self, rma_number: str) -> str:
        return self.mac("rma", rma_number)

    def rma_link_ok(self, rma_number: str, sig: str) -> bool:
        return self.check(sig, "rma", rma_number)
