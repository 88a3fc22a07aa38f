"""A supervisor settles a sync conflict from a station: checked, audited, then forgotten.

Anyone who may sync sees the open conflicts the station last pulled (no network needed);
settling one needs ``APPROVE`` (supervisors and admins) and central, because central holds
both versions. The audit event is written in the station's transaction around the central
change: if central refuses or cannot be reached, nothing is recorded as settled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine

from station.core.context import Actor, StationContext
from station.core.errors import NotFound
from station.core.permissions import Permission
from station.core.services import Service
from station.sync.conflict_mirror import SeenConflict, forget_conflict, seen_conflicts
from station.sync.conflicts import list_conflicts, resolve_conflict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settled:
    conflict_id: int
    kept: str
    reason: str


class SyncConflictService(Service):
    def __init__(self, ctx: StationContext, central: Engine | Callable[[], Engine]) -> None:
        super().__init__(ctx)
        self._central = central

    @property
    def central(self) -> Engine:
        return self._central if isinstance(self._central, Engine) else self._central()

    @property
    def local(self) -> Engine:
        return self.ctx.session_factory.kw["bind"]

    def open_conflicts(self, actor: Actor) -> list[SeenConflict]:
        """The conflicts this station saw open at its last pull."""
        self.require(actor, Permission.SYNC)
        return seen_conflicts(self.local)

    def resolve(self, actor: Actor, conflict_id: int, keep: Literal["central", "station"],
                note: str = "") -> Settled:
        """Keep central's version or the station's for one open conflict (supervisors only)."""
        self.require(actor, Permission.APPROVE)
        found = list_conflicts(self.central, ids=[conflict_id])
        if not found or found[0].state != "open":
            forget_conflict(self.local, conflict_id)
            raise NotFound(f"There is no open conflict {conflict_id}.",
                           next_step="Sync again to see the conflicts still open.")
        conflict = found[0]
        with self.transaction() as db:
            self.audit(db, actor, "sync.conflict_resolved", "sync_conflicts", str(conflict_id), {
                "keep": keep, "note": note[:500], "entity_type": conflict.entity_type,
                "entity_id": str(conflict.entity_id), "pushed_by": conflict.pushed_by,
                "central_by": conflict.central_by, "members": conflict.members,
            })
            db.flush()
            resolve_conflict(self.central, conflict_id, keep=keep, by=f"{self.ctx.station_id}/{actor.badge}",
                             note=note)
        forget_conflict(self.local, conflict_id)
        log.info("conflict %d settled by %s: kept %s", conflict_id, actor.badge, keep)
        return Settled(conflict_id, keep, conflict.reason)
