"""Who may do what. Checked in every service call, not only by hiding buttons."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from station.core.errors import PermissionDenied, SessionEnded
from station.models import Role

if TYPE_CHECKING:
    from station.core.context import Actor


class Permission(enum.StrEnum):
    RECEIVE = "receive"
    QUARANTINE = "quarantine"
    INSPECT = "inspect"
    OVERRIDE_GRADE_DOWN = "override_grade_down"
    OVERRIDE_GRADE_UP = "override_grade_up"
    DISPOSITION = "disposition"
    APPROVE = "approve"
    RESOLVE = "resolve"
    ADJUST_RESOLUTION = "adjust_resolution"
    CLOSE_RMA = "close_rma"
    PRINT = "print"
    VIEW_ANALYTICS = "view_analytics"
    MANAGE_OPERATORS = "manage_operators"
    MANAGE_SETTINGS = "manage_settings"
    SYNC = "sync"
    UNLOCK_SIGN_IN = "unlock_sign_in"


_CLERK = {Permission.RECEIVE, Permission.QUARANTINE, Permission.PRINT, Permission.SYNC}
# Inspectors issue routine resolutions; anything above the policy's auto-approve limit, any
# adjustment and any rejection needs APPROVE / ADJUST_RESOLUTION (supervisor), checked there.
_INSPECTOR = {
    Permission.INSPECT,
    Permission.RESOLVE,
    Permission.OVERRIDE_GRADE_DOWN,
    Permission.DISPOSITION,
    Permission.PRINT,
    Permission.SYNC,
}
_SUPERVISOR = (
    _CLERK
    | _INSPECTOR
    | {
        Permission.OVERRIDE_GRADE_UP,
        Permission.APPROVE,
        Permission.RESOLVE,
        Permission.ADJUST_RESOLUTION,
        Permission.CLOSE_RMA,
        Permission.VIEW_ANALYTICS,
        Permission.UNLOCK_SIGN_IN,
    }
)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.INSPECTOR: frozenset(_INSPECTOR),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(Permission),
}

_WORDS = {
    Permission.RECEIVE: "receive parcels",
    Permission.QUARANTINE: "quarantine parcels",
    Permission.INSPECT: "inspect units",
    Permission.OVERRIDE_GRADE_DOWN: "lower a grade",
    Permission.OVERRIDE_GRADE_UP: "raise a grade above the computed one",
    Permission.DISPOSITION: "set a disposition",
    Permission.APPROVE: "approve exceptions",
    Permission.RESOLVE: "issue customer resolutions",
    Permission.ADJUST_RESOLUTION: "adjust a refund",
    Permission.CLOSE_RMA: "close RMAs",
    Permission.PRINT: "print labels",
    Permission.VIEW_ANALYTICS: "view analytics",
    Permission.MANAGE_OPERATORS: "manage operators",
    Permission.MANAGE_SETTINGS: "change station settings",
    Permission.SYNC: "run sync",
    Permission.UNLOCK_SIGN_IN: "unlock a badge locked by wrong PINs",
}


def check_current(actor: Actor, role: Role | None, active: bool) -> None:
    """Refuse an actor whose operator record no longer matches the signed-in session.

    ``Actor`` is a frozen copy taken at sign-in; an admin may since have demoted or blocked the
    operator (here or on another station, through sync). ``role`` is the role on the record
    now (None: no record). Services call this with the row they read, so a stale session
    cannot approve anything.
    """
    if role is None:
        raise SessionEnded(f"Badge {actor.badge} is not an operator of this station.",
                           next_step="Sign in again.")
    if not active:
        raise SessionEnded(f"{actor.name}'s badge {actor.badge} has been blocked.",
                           next_step="Ask an admin.")
    if role != actor.role:
        raise SessionEnded("Your role changed; sign in again.")


def can(actor: Actor, permission: Permission) -> bool:
    return permission in GRANTS[actor.role]


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless the actor's role grants ``permission``."""
    if not can(actor, permission):
        raise PermissionDenied(
            f"{actor.name} ({actor.role.value}) may not {_WORDS[permission]}.",
            next_step="Ask a supervisor.",
        )
