"""Central's open conflicts, copied to every station after each pull.

A conflict involves two stations: the one whose write central holds and the one whose write
was held back. Both must see it (the dock that lost a parcel's receipt, and the dock that
won), and a supervisor at either can settle it. The list is small (open conflicts only), so
it is kept whole as one ``sync_state`` value and replaced at every pull: a conflict settled on
central disappears from every station at its next round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from station.core.db import READ_ONLY
from station.core.station_state import CONFLICTS_SEEN, read_value, write_value
from station.sync.conflicts import ConflictView, list_conflicts

MAX_MIRRORED = 500


@dataclass(frozen=True)
class SeenConflict:
    """An open central conflict as the station last saw it."""

    id: int
    entity_type: str
    entity_id: str
    pushed_by: str
    central_by: str | None
    reason: str
    detected_at: dt.datetime
    members: int

    def words(self) -> str:
        return f"#{self.id} {self.detected_at:%Y-%m-%d %H:%M} {self.entity_type} from {self.pushed_by}: {self.reason}"


def _as_value(c: ConflictView) -> dict[str, Any]:
    return {"id": c.id, "entity_type": c.entity_type, "entity_id": str(c.entity_id), "pushed_by": c.pushed_by,
            "central_by": c.central_by, "reason": c.reason, "detected_at": c.detected_at.isoformat(),
            "members": c.members}


def pull_conflicts(local: Engine, central: Engine) -> int:
    """Replace the station's copy of central's open conflicts; returns how many are open."""
    found = {"open": [_as_value(c) for c in list_conflicts(central, limit=MAX_MIRRORED)]}
    with local.connect() as conn:  # most rounds change nothing: no write lock for them
        conn = conn.execution_options(**READ_ONLY)
        same = read_value(conn, CONFLICTS_SEEN) == found
        conn.rollback()
    if not same:
        with local.begin() as conn:
            write_value(conn, CONFLICTS_SEEN, found)
    return len(found["open"])


def forget_conflict(local: Engine, conflict_id: int) -> None:
    """Drop one settled conflict from the station's copy (before the next pull confirms it)."""
    with local.begin() as conn:
        value = read_value(conn, CONFLICTS_SEEN)
        value["open"] = [c for c in value.get("open", []) if c.get("id") != conflict_id]
        write_value(conn, CONFLICTS_SEEN, value)


def seen_conflicts(local: Engine) -> list[SeenConflict]:
    """The open conflicts from the station's last pull (no network needed)."""
    with local.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        value = read_value(conn, CONFLICTS_SEEN)
        conn.rollback()
    return [SeenConflict(int(c["id"]), c["entity_type"], c["entity_id"], c["pushed_by"], c.get("central_by"),
                         c["reason"], dt.datetime.fromisoformat(c["detected_at"]), int(c.get("members", 1)))
            for c in value.get("open", [])]
