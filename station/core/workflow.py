"""The RMA and unit state machines, written out as tables.

Every state change in the station goes through ``move_rma`` / ``move_unit``, so an illegal
step (inspecting a unit that is already dispositioned, closing an RMA nobody resolved) is one
clear ``IllegalTransition`` instead of a record in a state nobody planned for.
"""

from __future__ import annotations

from station.core.errors import IllegalTransition
from station.models import Rma, RmaState, Unit, UnitState

RMA_TRANSITIONS: dict[RmaState, frozenset[RmaState]] = {
    # AUTHORISED -> RESOLVED: compensation, the customer keeps the item and sends nothing.
    RmaState.AUTHORISED: frozenset(
        {RmaState.RECEIVED, RmaState.PARTIALLY_RECEIVED, RmaState.EXPIRED, RmaState.CANCELLED,
         RmaState.RESOLVED}
    ),
    RmaState.EXPIRED: frozenset(
        {RmaState.RECEIVED, RmaState.PARTIALLY_RECEIVED, RmaState.CANCELLED, RmaState.RESOLVED}
    ),
    RmaState.PARTIALLY_RECEIVED: frozenset(
        {RmaState.RECEIVED, RmaState.INSPECTED, RmaState.RESOLVED, RmaState.CANCELLED}
    ),
    RmaState.RECEIVED: frozenset({RmaState.INSPECTED, RmaState.RESOLVED}),
    RmaState.INSPECTED: frozenset({RmaState.RESOLVED}),
    RmaState.RESOLVED: frozenset({RmaState.CLOSED}),
    RmaState.CLOSED: frozenset(),
    RmaState.CANCELLED: frozenset(),
}

UNIT_TRANSITIONS: dict[UnitState, frozenset[UnitState]] = {
    UnitState.RECEIVED: frozenset({UnitState.INSPECTING, UnitState.QUARANTINED}),
    UnitState.QUARANTINED: frozenset({UnitState.RECEIVED, UnitState.DISPOSITIONED}),
    UnitState.INSPECTING: frozenset({UnitState.INSPECTED, UnitState.RECEIVED}),
    UnitState.INSPECTED: frozenset(
        {UnitState.DISPOSITIONED, UnitState.INSPECTING, UnitState.QUARANTINED}
    ),
    # DISPOSITIONED -> QUARANTINED: a supervisor rejected its scrap / return-to-vendor.
    UnitState.DISPOSITIONED: frozenset({UnitState.CLOSED, UnitState.QUARANTINED}),
    UnitState.CLOSED: frozenset(),
}

_UNIT_WORDS = {
    UnitState.RECEIVED: "waiting for inspection",
    UnitState.INSPECTING: "being inspected",
    UnitState.INSPECTED: "inspected",
    UnitState.DISPOSITIONED: "already dispositioned",
    UnitState.CLOSED: "closed",
    UnitState.QUARANTINED: "in quarantine",
}


def check_rma_move(number: str, current: RmaState, target: RmaState) -> None:
    """Refuse an RMA step the state machine does not have (``IllegalTransition``). Writers
    that change many rows with one statement (``station.resolution.bulk``) check each here."""
    if target != current and target not in RMA_TRANSITIONS[current]:
        raise IllegalTransition(
            f"RMA {number} is {current.value.replace('_', ' ')}; "
            f"it cannot become {target.value.replace('_', ' ')}."
        )


def check_unit_move(lpn: str, current: UnitState, target: UnitState) -> None:
    """``check_rma_move`` for a unit."""
    if target != current and target not in UNIT_TRANSITIONS[current]:
        raise IllegalTransition(
            f"Unit {lpn} is {_UNIT_WORDS[current]}; it cannot be "
            f"{_UNIT_WORDS.get(target, target.value)} now."
        )


def move_rma(rma: Rma, target: RmaState) -> None:
    check_rma_move(rma.number, rma.state, target)
    rma.state = target


def move_unit(unit: Unit, target: UnitState) -> None:
    check_unit_move(unit.lpn, unit.state, target)
    unit.state = target
