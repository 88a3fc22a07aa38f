"""What an API token may do: scopes, as Shopify's access scopes and Loop's API-key scopes.

A shop gives its order system a token that reads and writes orders and returns; deciding a
request the policy sent to review (approve, refuse, cancel) is a supervisor's call, so a token
gets ``returns:review`` only when asked for by name. Tokens made before scopes existed keep
every scope (migration 0019), so no running integration broke.

Scopes are stored as one space-separated string (OAuth's ``scope`` form) on ``api_tokens``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from station.core.errors import InvalidInput, PermissionDenied


class Scope(enum.StrEnum):
    ORDERS_READ = "orders:read"
    ORDERS_WRITE = "orders:write"
    RETURNS_READ = "returns:read"
    RETURNS_WRITE = "returns:write"
    RETURNS_REVIEW = "returns:review"


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)
DEFAULT_SCOPES: frozenset[Scope] = ALL_SCOPES - {Scope.RETURNS_REVIEW}
"""What ``api-token add`` gives without ``--scope``: everything an order system needs to send
orders and returns and read them back, but not the supervisor's review."""

SCOPE_WORDS: dict[Scope, str] = {
    Scope.ORDERS_READ: "read orders (GET /orders/{n})",
    Scope.ORDERS_WRITE: "send orders (POST /orders)",
    Scope.RETURNS_READ: "read returns and their labels (GET /rmas, /rmas/{n}, label.pdf)",
    Scope.RETURNS_WRITE: "request returns (POST /rmas)",
    Scope.RETURNS_REVIEW: "approve, refuse or cancel requests (POST /rmas/{n}/approve|refuse|cancel)",
}


class ScopeMissing(PermissionDenied):
    """A valid token without the scope the endpoint needs (403)."""

    code = "scope_missing"


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    """Scopes from ``--scope`` values: each a scope, a comma- or space-separated list, or ``all``."""
    out: set[Scope] = set()
    for value in values:
        for word in value.replace(",", " ").split():
            if word.lower() == "all":
                out |= ALL_SCOPES
                continue
            try:
                out.add(Scope(word.lower()))
            except ValueError:
                raise InvalidInput(f"{word!r} is not a scope; the scopes are {', '.join(sorted(ALL_SCOPES))} "
                                   "(or all).") from None
    if not out:
        raise InvalidInput("Give the token at least one scope.")
    return frozenset(out)


def encode_scopes(scopes: Iterable[Scope]) -> str:
    return " ".join(sorted(str(s) for s in scopes))


def decode_scopes(text: str | None) -> frozenset[Scope]:
    """The stored scopes; a word this version does not know grants nothing."""
    known = {s.value for s in Scope}
    return frozenset(Scope(w) for w in (text or "").split() if w in known)


def require_scope(name: str, granted: str | None, scope: Scope | None) -> None:
    """Refuse (``ScopeMissing``, 403) a token named ``name`` whose stored scopes lack ``scope``."""
    if scope is not None and scope not in decode_scopes(granted):
        raise ScopeMissing(f"The API token {name!r} lacks the scope {scope.value} needed to "
                           f"{SCOPE_WORDS[scope].split(' (')[0]}.",
                           next_step=f"Ask the shop's admin for a token with it: "
                                     f"`rma-station api-token add --name NAME --scope {scope.value}`.")
