"""Who is on the site's roster for a given duty, read from the operator records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from station.models import Operator, Role


def supervisor_emails(db: Any) -> list[str]:
    """The site's supervisors an escalation goes to: active, role supervisor, with an e-mail."""
    return sorted({e.strip() for e in db.scalars(select(Operator.email).where(
        Operator.role == Role.SUPERVISOR, Operator.active.is_(True), Operator.email != "")) if e.strip()})
