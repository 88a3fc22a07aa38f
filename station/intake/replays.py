"""Idempotency-Keys for the review calls (approve, refuse, cancel), as Stripe's and Shopify's.

An order system that lost the answer to an approve sends it again with the same key: it gets
the request as it now stands (``RequestView.replayed``), not a 409 for a request already
decided. The key is kept with the token's name and a digest of what was asked, in the
transaction of the change itself (``api_replays``); the same key with another action, request
or body is refused, so a key reused by mistake cannot pass for an answer it never got.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.errors import InvalidInput
from station.intake.errors import Conflict
from station.models import ApiReplay


@dataclass(frozen=True)
class ReplayKey:
    """One review call's key: who sent it, the key, and a digest of the call it names."""

    token_name: str
    key: str
    request_hash: str

    @classmethod
    def of(cls, token_name: str, key: str, action: str, rma_number: str, body: dict[str, Any]) -> ReplayKey:
        if not 1 <= len(key) <= 100:
            raise InvalidInput("Idempotency-Key must be 1 to 100 characters.")
        what = json.dumps([action, rma_number.strip().upper(), body], sort_keys=True, ensure_ascii=False)
        return cls(token_name, key, hashlib.sha256(what.encode()).hexdigest())


def seen(db: Session, replay: ReplayKey | None) -> str | None:
    """The RMA number an earlier call with this key changed, or None for a new key;
    ``Conflict`` when the key was used for another call."""
    if replay is None:
        return None
    row = db.scalar(select(ApiReplay).where(ApiReplay.token_name == replay.token_name,
                                            ApiReplay.key == replay.key))
    if row is None:
        return None
    if row.request_hash != replay.request_hash:
        raise Conflict(f"Idempotency-Key {replay.key!r} was already used for another call "
                       f"(on {row.rma_number}).", next_step="Send a new key for a new call.")
    return row.rma_number


def remember(db: Session, replay: ReplayKey | None, rma_number: str, at: Any) -> None:
    if replay is not None:
        db.add(ApiReplay(token_name=replay.token_name, key=replay.key, request_hash=replay.request_hash,
                         rma_number=rma_number, created_at=at))
