"""Conflicts for a supervisor: list them, and settle each one by keeping one side.

A conflict is the second write to a record two stations changed (or an insert central could
not take). Nothing was overwritten: central still holds the first write, the conflict row
holds the station's version. ``keep="central"`` closes it as is; ``keep="station"`` writes the
station's version over central's with a new version number (so every station pulls it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, select, update

from station.errors import InvalidInput, NotFound
from station.models import utcnow
from station.sync.central_schema import conflicts
from station.sync.payloads import SHAPES, check_payload


@dataclass(frozen=True)
class ConflictView:
    id: int
    entity_type: str
    entity_id: uuid.UUID
    pushed_by: str
    reason: str
    detected_at: dt.datetime
    state: str
    station_payload: dict[str, Any]
    central_payload: dict[str, Any] | None


def list_conflicts(central: Engine, *, state: str = "open", limit: int = 200) -> list[ConflictView]:
    c = conflicts.c
    with central.connect() as conn:
        rows = conn.execute(select(conflicts).where(c.state == state).order_by(c.id).limit(limit)).all()
    return [ConflictView(r.id, r.entity_type, r.entity_id, r.pushed_by, r.reason, r.detected_at, r.state,
                         r.station_payload, r.central_payload) for r in rows]


def resolve_conflict(central: Engine, conflict_id: int, *, keep: Literal["central", "station"],
                     by: str, note: str = "") -> None:
    """Close one open conflict, keeping central's record or the station's version."""
    if keep not in ("central", "station"):
        raise InvalidInput("Keep either the central record or the station's version.")
    with central.begin() as conn:
        row = conn.execute(select(conflicts).where(conflicts.c.id == conflict_id).with_for_update()).first()
        if row is None or row.state != "open":
            raise NotFound(f"There is no open conflict {conflict_id}.")
        if keep == "station":
            table = SHAPES[row.entity_type].table
            current = conn.execute(select(table.c.version).where(table.c.id == row.entity_id)
                                   .with_for_update()).scalar()
            payload = dict(row.station_payload)
            payload["version"] = (current or 0) + 1
            values = dict(zip(SHAPES[row.entity_type].columns,
                              check_payload(row.entity_type, row.entity_id, payload["version"], "update", payload)))
            if current is None:
                conn.execute(table.insert().values(values))
            else:
                conn.execute(update(table).where(table.c.id == row.entity_id).values(values))
        conn.execute(update(conflicts).where(conflicts.c.id == conflict_id).values(
            state="resolved", resolved_by=by, resolved_at=utcnow(), resolution=f"kept {keep}. {note}".strip()))
