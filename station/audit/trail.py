"""The newest audit events as plain values: what ``rma-station audit tail`` prints.

Reading the log shows who did what to which record, so it is an admin's look
(``MANAGE_SETTINGS``), asked as a service like every other read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from station.core.context import Actor
from station.core.errors import InvalidInput
from station.core.permissions import Permission
from station.core.services import Service
from station.models import AuditEvent

MAX_EVENTS = 100_000


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    operator_badge: str
    action: str
    entity_type: str
    entity_id: str
    details: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(), "operator": self.operator_badge,
                "action": self.action, "entity": f"{self.entity_type}/{self.entity_id}",
                "details": self.details}


class AuditTrail(Service):
    def newest(self, actor: Actor, n: int) -> list[AuditEntry]:
        """The ``n`` newest events, oldest of them first (as a log reads)."""
        self.require(actor, Permission.MANAGE_SETTINGS)
        if not 1 <= n <= MAX_EVENTS:
            raise InvalidInput(f"Show 1 to {MAX_EVENTS} events, not {n}.")
        with self.reading() as db:
            events = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(n)).all()
            return [AuditEntry(e.seq, e.at, e.operator_badge, e.action, e.entity_type, e.entity_id,
                               dict(e.details or {})) for e in reversed(events)]
