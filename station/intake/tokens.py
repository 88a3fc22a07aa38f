"""API tokens for the shop's systems: named, stored as SHA-256, revocable, rate-limited.

A token is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 of it cannot be
brute-forced and a lookup is one indexed equality. Checking a token and counting the request
against its per-minute limit is a single UPDATE ... RETURNING, so every service process on
the same database shares one counter (several uvicorn workers or machines behind a proxy).
The same statement returns the token's scopes, which each endpoint checks against the one it
needs (``station.intake.scopes``): a valid token without it is refused, 403.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from station.core.context import Actor
from station.core.errors import InvalidInput, NotFound
from station.core.permissions import Permission
from station.core.services import Service
from station.intake.errors import Conflict, RateLimited, TokenRejected
from station.intake.scopes import DEFAULT_SCOPES, Scope, decode_scopes, encode_scopes, require_scope
from station.intake.views import TokenInfo
from station.models import ApiToken

DEFAULT_RATE_PER_MINUTE = 6000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenService(Service):
    def add(self, actor: Actor, name: str, scopes: Iterable[Scope] = DEFAULT_SCOPES) -> str:
        """Create a token named ``name`` that may do ``scopes``; the token itself is returned
        once and never stored."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput("Give the token a name of 1 to 100 characters (the system that uses it).")
        granted = encode_scopes(scopes)
        if not granted:
            raise InvalidInput("Give the token at least one scope.")
        token = "rst_" + secrets.token_urlsafe(32)
        with self.transaction() as db:
            if db.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
                raise Conflict(f"A token named {name!r} already exists.",
                               next_step="Revoke it first or pick another name.")
            row = ApiToken(name=name, token_hash=hash_token(token), created_at=self.ctx.now(), scopes=granted)
            db.add(row)
            db.flush()
            self.audit(db, actor, "api_token.added", "api_tokens", row.id, {"name": name, "scopes": granted})
        return token

    def revoke(self, actor: Actor, name: str) -> None:
        self.require(actor, Permission.MANAGE_SETTINGS)
        with self.transaction() as db:
            row = db.scalar(select(ApiToken).where(ApiToken.name == name.strip()))
            if row is None:
                raise NotFound(f"No API token named {name!r}.", next_step="See `rma-station api-token list`.")
            if row.revoked_at is None:
                row.revoked_at = self.ctx.now()
                self.audit(db, actor, "api_token.revoked", "api_tokens", row.id, {"name": row.name})

    def list(self) -> list[TokenInfo]:
        with self.reading() as db:
            return [TokenInfo(t.name, t.created_at, t.revoked_at, t.last_used_at,
                              tuple(sorted(decode_scopes(t.scopes))))
                    for t in db.scalars(select(ApiToken).order_by(ApiToken.name))]

    def authenticate(self, token: str | None, *, per_minute: int = DEFAULT_RATE_PER_MINUTE,
                     scope: Scope | None = None) -> str:
        """The token's name if it is valid, under its limit and grants ``scope``; else
        ``TokenRejected`` (401), ``RateLimited`` (429) or ``ScopeMissing`` (403).

        ``per_minute`` <= 0 turns the limit off (benchmarks).
        """
        digest = self.digest(token)
        with self.transaction() as db:
            return self.count(db, digest, per_minute=per_minute, scope=scope)

    @staticmethod
    def digest(token: str | None) -> str:
        if not token:
            raise TokenRejected("No API token: send the header 'Authorization: Bearer <token>'.")
        return hash_token(token)

    def count(self, db: Session, digest: str, *, per_minute: int = DEFAULT_RATE_PER_MINUTE,
              scope: Scope | None = None) -> str:
        """Count one request against the token in ``db``'s transaction (a single UPDATE ...
        RETURNING); the token's name, or ``TokenRejected``/``RateLimited``/``ScopeMissing``."""
        now = self.ctx.now()
        window = int(now.timestamp() // 60)
        row = db.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
            .values(rate_count=case((ApiToken.rate_window == window, ApiToken.rate_count + 1), else_=1),
                    rate_window=window, last_used_at=now)
            .returning(ApiToken.name, ApiToken.rate_count, ApiToken.scopes)
        ).first()
        if row is None:
            revoked = db.scalar(select(ApiToken.name).where(ApiToken.token_hash == digest))
            if revoked is not None:
                raise TokenRejected(f"The API token {revoked!r} was revoked.",
                                    next_step="Ask the shop's admin for a new one.")
            raise TokenRejected("The API token is not valid.",
                                next_step="Check the token; `rma-station api-token add` makes a new one.")
        name, count, granted = row
        if per_minute > 0 and count > per_minute:
            raise RateLimited(f"Token {name!r} sent more than {per_minute} requests this minute.",
                              next_step="Slow down and retry after the minute ends.")
        require_scope(str(name), granted, scope)
        return str(name)
