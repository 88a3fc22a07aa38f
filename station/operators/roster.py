"""Who is on the site's roster: the operators as an admin lists them, and who a duty goes to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from station.core.context import Actor
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Operator, Role
from station.models.people import SignInThrottle


@dataclass(frozen=True)
class RosterRow:
    badge: str
    role: Role
    state: str
    """``active``, ``locked`` (too many wrong PINs: a supervisor unlocks) or ``blocked`` (an admin's)."""
    name: str
    email: str


class RosterService(Service):
    def operators(self, actor: Actor) -> list[RosterRow]:
        """Every operator by badge, with whether they can sign in now (``operators list``)."""
        self.require(actor, Permission.MANAGE_OPERATORS)
        with self.reading() as db:
            locked = set(db.scalars(select(SignInThrottle.key).where(
                SignInThrottle.scope == "badge", SignInThrottle.locked_at.is_not(None))))
            return [RosterRow(op.badge, op.role,
                              "blocked" if not op.active else "locked" if op.badge in locked else "active",
                              op.name, op.email or "")
                    for op in db.scalars(select(Operator).order_by(Operator.badge))]


def supervisor_emails(db: Any) -> list[str]:
    """The site's supervisors an escalation goes to: active, role supervisor, with an e-mail."""
    return sorted({e.strip() for e in db.scalars(select(Operator.email).where(
        Operator.role == Role.SUPERVISOR, Operator.active.is_(True), Operator.email != "")) if e.strip()})
