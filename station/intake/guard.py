"""The request page's guards, kept in the database: attempts counted per order and per client
address, form nonces used once, and the key that signs forms and links.

The web layer asks these; the limits themselves (how many, how long) are the service's
configuration. Only failed look-ups count, per order and per client address; a look-up that
finds the order forgets that order's failures, and form errors never count, so a customer is
not locked out by fumbling, and the owner of an order reaches it through the signed link in
their e-mail whatever others guessed. A form post is one transaction: its nonce inserted (a
second insert of the same nonce is a replay) and the counts read; every process behind a
proxy shares the counters, kept in the database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import case, delete, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.core.db import make_engine, make_session_factory
from station.core.services import Service
from station.intake.errors import RateLimited
from station.models import PageAttempt, UsedFormNonce, WebKey

SIGNING_KEY = "page_signing"
NONCE_KEEP = dt.timedelta(hours=3)


def _relaxed(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class PageGuard(Service):
    """On SQLite the guard writes through its own connections with ``synchronous=NORMAL``: in
    WAL mode a commit then skips its fsync (~10 ms on the machines measured) and a power cut
    can lose at most the last few counters and nonces, never corrupt the file; the station's
    records keep ``synchronous=FULL``. The page's hot path pays one such commit per post."""

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._sessions = ctx.session_factory
        bind = ctx.session_factory.kw.get("bind")
        if bind is not None and bind.dialect.name == "sqlite" and bind.url.database not in (None, "", ":memory:"):
            engine = make_engine(bind.url.render_as_string(hide_password=False))
            event.listen(engine, "connect", _relaxed)  # after make_engine's own pragmas
            self._sessions = make_session_factory(engine)

    @contextmanager
    def _guard_transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

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

    def admit(self, nonce: str, limits: dict[str, int], *, window_seconds: int = 600) -> bool:
        """One form post: record its nonce and check the keys' failed attempts, in one
        transaction (one commit: the page's hot path). Nothing is counted here: only a failed
        look-up counts (``failed``), so a customer who fumbles a form or looks their order up
        again is never locked out. False when the nonce was used before (a replayed form);
        ``RateLimited`` when any key already reached its limit in the current window."""
        now = self.ctx.now()
        window = int(now.timestamp() // window_seconds)
        try:
            with self._guard_transaction() as db:
                db.add(UsedFormNonce(nonce=nonce[:64], used_at=now))
                db.flush()
                counts = dict(db.execute(select(PageAttempt.key, PageAttempt.count).where(
                    PageAttempt.key.in_([k[:200] for k in limits]), PageAttempt.window == window)).all())
                if secrets.randbelow(100) == 0:  # now and then, forget nonces too old to be replayed
                    db.execute(delete(UsedFormNonce).where(UsedFormNonce.used_at < now - NONCE_KEEP))
        except IntegrityError:
            return False
        over = [key.split(":", 1)[0] for key, limit in limits.items() if counts.get(key[:200], 0) >= limit]
        if over:
            raise RateLimited(f"Too many attempts for this {' and '.join(over)}; try again in "
                              f"{window_seconds // 60} minutes.")
        return True

    def failed(self, keys: list[str], *, window_seconds: int = 600) -> None:
        """A look-up that found nothing counts against each key (the order and the address)."""
        window = int(self.ctx.now().timestamp() // window_seconds)
        with self._guard_transaction() as db:
            for key in keys:
                _upsert_count(db, key[:200], window)

    def succeeded(self, key: str) -> None:
        """A look-up that found the order: its failed attempts are forgotten (not the
        address's, or one known order would let a guesser start afresh between guesses)."""
        with self._guard_transaction() as db:
            db.execute(delete(PageAttempt).where(PageAttempt.key == key[:200]))


def _upsert_count(db: Session, key: str, window: int) -> int:
    """INSERT ... ON CONFLICT DO UPDATE ... RETURNING (SQLite 3.35+ and PostgreSQL): one
    statement, no race between two processes creating the same key."""
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(PageAttempt).values(key=key, window=window, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=[PageAttempt.key], set_={
        "count": case((PageAttempt.window == window, PageAttempt.count + 1), else_=1), "window": window})
    return int(db.execute(stmt.returning(PageAttempt.count)).scalar_one())
