"""The request page's guards, kept in the database: attempts counted per order and per client
address, form nonces used once, and the key that signs forms and links.

The web layer asks these; the limits themselves (how many, how long) are the service's
configuration. Counting is one UPDATE of a row per key, so every process behind a proxy
shares one counter.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError

from station.intake.errors import RateLimited
from station.models import PageAttempt, UsedFormNonce, WebKey
from station.services import Service

SIGNING_KEY = "page_signing"
NONCE_KEEP = dt.timedelta(hours=3)


class PageGuard(Service):
    def signing_key(self) -> bytes:
        """The key every service process signs with, made once and kept in the database."""
        with self.transaction() as db:
            row = db.get(WebKey, SIGNING_KEY)
            if row is not None:
                return row.value.encode()
        try:
            with self.transaction() as db:
                db.add(WebKey(name=SIGNING_KEY, value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass  # another process made it first: use theirs
        with self.reading() as db:
            return db.get(WebKey, SIGNING_KEY).value.encode()  # type: ignore[union-attr]

    def count_attempt(self, limits: dict[str, int], *, window_seconds: int = 600) -> None:
        """Count one attempt against each key (``{"order:SO-1": 10, "addr:1.2.3.4": 30}``);
        ``RateLimited`` when any key is over its limit in the current window."""
        window = int(self.ctx.now().timestamp() // window_seconds)
        over = []
        for key, limit in limits.items():
            if self._hit(key[:200], window) > limit:
                over.append(key.split(":", 1)[0])
        if over:
            raise RateLimited(f"Too many attempts for this {' and '.join(over)}; try again in "
                              f"{window_seconds // 60} minutes.")

    def _hit(self, key: str, window: int) -> int:
        for _ in range(3):
            with self.transaction() as db:
                row = db.execute(update(PageAttempt).where(PageAttempt.key == key).values(
                    count=case((PageAttempt.window == window, PageAttempt.count + 1), else_=1),
                    window=window).returning(PageAttempt.count)).first()
                if row is not None:
                    return int(row[0])
            try:
                with self.transaction() as db:
                    db.add(PageAttempt(key=key, window=window, count=1))
                return 1
            except IntegrityError:
                continue  # created meanwhile by another process: count on it
        raise RateLimited("The attempt counter is busy; try again.")

    def use_nonce(self, nonce: str) -> bool:
        """Mark a form's nonce used; False when it was used before (a replayed form)."""
        now = self.ctx.now()
        try:
            with self.transaction() as db:
                db.execute(delete(UsedFormNonce).where(UsedFormNonce.used_at < now - NONCE_KEEP))
                db.add(UsedFormNonce(nonce=nonce[:64], used_at=now))
        except IntegrityError:
            return False
        return True

    def nonce_used(self, nonce: str) -> bool:
        with self.reading() as db:
            return db.scalar(select(UsedFormNonce.nonce).where(UsedFormNonce.nonce == nonce[:64])) is not None
