"""The return-to-vendor claim as a state table, like ``station.core.workflow`` for RMAs and units.

A batch is ``open`` while units are scanned into it. Shipping it opens the claim; the vendor
then acknowledges it (it has the goods and the paperwork) and either credits an amount on a
date or disputes it with a reason. A disputed claim can still be credited once the parties
agree (often a partial credit); a credited claim is settled for good.
"""

from __future__ import annotations

from station.core.errors import IllegalTransition
from station.models import RtvBatch, RtvState

CLAIM_TRANSITIONS: dict[RtvState, frozenset[RtvState]] = {
    RtvState.OPEN: frozenset({RtvState.SHIPPED}),
    RtvState.SHIPPED: frozenset({RtvState.ACKNOWLEDGED}),
    RtvState.ACKNOWLEDGED: frozenset({RtvState.CREDITED, RtvState.DISPUTED}),
    RtvState.DISPUTED: frozenset({RtvState.CREDITED}),
    RtvState.CREDITED: frozenset(),
}

OPEN_CLAIMS = (RtvState.SHIPPED, RtvState.ACKNOWLEDGED, RtvState.DISPUTED)
"""Claims still waiting for the vendor's money: they age on the desk."""

_WORDS = {
    RtvState.OPEN: "still open (not shipped)",
    RtvState.SHIPPED: "shipped and not yet acknowledged by the vendor",
    RtvState.ACKNOWLEDGED: "acknowledged by the vendor",
    RtvState.CREDITED: "already credited",
    RtvState.DISPUTED: "disputed",
}
_NEXT = {
    RtvState.OPEN: "Ship it first.",
    RtvState.SHIPPED: "Record the vendor's acknowledgement first.",
    RtvState.ACKNOWLEDGED: "Credit or dispute it.",
    RtvState.DISPUTED: "Credit it once the vendor settles.",
    RtvState.CREDITED: "Nothing more to do on it.",
}
_VERBS = {
    RtvState.SHIPPED: "shipped", RtvState.ACKNOWLEDGED: "acknowledged",
    RtvState.CREDITED: "credited", RtvState.DISPUTED: "disputed", RtvState.OPEN: "reopened",
}


def move_claim(batch: RtvBatch, target: RtvState) -> None:
    """Move ``batch`` to ``target`` or refuse with the state it is in and the next step."""
    check_claim(batch, target)
    batch.state = target


def check_claim(batch: RtvBatch, target: RtvState) -> None:
    """Refuse, with the state it is in and the next step, unless ``batch`` may move to ``target``
    (a credit recorded pending moves the batch only when central took it)."""
    if target not in CLAIM_TRANSITIONS[batch.state]:
        raise IllegalTransition(
            f"Batch {batch.number} is {_WORDS[batch.state]}; it cannot be {_VERBS[target]} now.",
            next_step=_NEXT[batch.state])
