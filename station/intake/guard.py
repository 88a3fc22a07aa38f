"""The request page's guards, kept in the database: attempts counted per order and per client
address, form nonces used once, and the key that signs forms and links.

The web layer asks these; the limits themselves (how many, how long) are the service's
configuration. A form post is one transaction: its nonce inserted (a second insert of the
same nonce is a replay) and one upsert per counted key, so every process behind a proxy
shares one counter and the page pays one commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import case, delete, event
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
        """One form post: record its nonce and count the attempt against each key, in one
        transaction (one commit: the page's hot path). False when the nonce was used before
        (a replayed form, not counted); ``RateLimited`` (after the count is saved) when any key
        is over its limit in the current window."""
        now = self.ctx.now()
        window = int(now.timestamp() // window_seconds)
        over = []
        try:
            with self._guard_transaction() as db:
                db.add(UsedFormNonce(nonce=nonce[:64], used_at=now))
                db.flush()
                for key, limit in limits.items():
                    if _upsert_count(db, key[:200], window) > limit:
                        over.append(key.split(":", 1)[0])
                if secrets.randbelow(100) == 0:  # now and then, forget nonces too old to be replayed
                    db.execute(delete(UsedFormNonce).where(UsedFormNonce.used_at < now - NONCE_KEEP))
        except IntegrityError:
            return False
        if over:
            raise RateLimited(f"Too many attempts for this {' and '.join(over)}; try again in "
                              f"{window_seconds // 60} minutes.")
        return True


def _upsert_count(db: Session, key: str, window: int) -> int:
    """INSERT ... ON CONFLICT DO UPDATE ... RETURNING (SQLite 3.35+ and PostgreSQL): one
    statement, no race between two processes creating the same key."""
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(PageAttempt).values(key=key, window=window, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=[PageAttempt.key], set_={
        "count": case((PageAttempt.window == window, PageAttempt.count + 1), else_=1), "window": window})
    return int(db.execute(stmt.returning(PageAttempt.count)).scalar_one())
