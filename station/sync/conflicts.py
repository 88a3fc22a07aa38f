"""Conflicts for a supervisor: list them, and settle each one by keeping one side.

A conflict is the second write to a record two stations changed (or an insert central could
not take, or a parcel received at two docks). Nothing was overwritten: central still holds the
first write, the conflict holds the station's version, and its members are the records held
back with it (a duplicate parcel's receipt and units). ``keep="central"`` closes it as is;
``keep="station"`` writes the station's versions (every member, parents first) over central's
with new version numbers, so every station pulls them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, select, update

from station.core.errors import InvalidInput, NotFound
from station.models import utcnow
from station.resolution.commitments import standing_resolution
from station.rtv.commitments import standing_credit
from station.sync.central_schema import conflict_members, conflicts
from station.sync.payloads import SHAPES, check_payload


@dataclass(frozen=True)
class ConflictView:
    id: int
    entity_type: str
    entity_id: uuid.UUID
    pushed_by: str
    central_by: str | None
    """The station whose version central holds (``None`` if central has none)."""
    reason: str
    detected_at: dt.datetime
    state: str
    station_payload: dict[str, Any]
    central_payload: dict[str, Any] | None
    members: int = 1
    """How many records the conflict holds (a held-back receipt with three units: 4)."""


def list_conflicts(central: Engine, *, state: str = "open", limit: int = 200,
                   ids: list[int] | None = None) -> list[ConflictView]:
    """Conflicts in ``state`` (or, with ``ids``, those conflicts in any state), oldest first."""
    c, m = conflicts.c, conflict_members.c
    members = select(func.count()).where(m.conflict_id == c.id).scalar_subquery()
    query = select(conflicts, members.label("members"))
    query = query.where(c.id.in_(ids)) if ids is not None else query.where(c.state == state)
    with central.connect() as conn:
        rows = conn.execute(query.order_by(c.id).limit(limit)).all()
    return [ConflictView(r.id, r.entity_type, r.entity_id, r.pushed_by, r.central_by, r.reason, r.detected_at,
                         r.state, r.station_payload, r.central_payload, max(1, r.members)) for r in rows]


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
            versions = _station_versions(conn, row)
            for entity_type, entity_id, payload in versions:
                standing = standing_resolution(conn, payload.get("rma_id")) if entity_type == "resolutions" else None
                if standing is not None:
                    raise InvalidInput(
                        f"Conflict {conflict_id} holds a second resolution for one RMA: {standing[0]} One "
                        "resolution per RMA stands (the customer may already have been paid), so the "
                        "station's cannot be kept.",
                        next_step="Keep central's. To change what the customer gets, adjust the standing "
                                  "resolution at the desk.")
                credited = standing_credit(conn, payload.get("batch_id"), besides=entity_id) \
                    if entity_type == "rtv_credits" else None
                if credited is not None:
                    raise InvalidInput(
                        f"Conflict {conflict_id} holds a second credit for one RTV batch: {credited[0]}. One "
                        "credit per batch stands (the vendor's money is booked once), so the station's cannot "
                        "be kept.", next_step="Keep central's.")
            for entity_type, entity_id, payload in versions:
                _write_station_version(conn, entity_type, entity_id, payload)
        conn.execute(update(conflicts).where(conflicts.c.id == conflict_id).values(
            state="resolved", resolved_by=by, resolved_at=utcnow(), resolution=f"kept {keep}. {note}".strip()))


def _station_versions(conn: Connection, row: Any) -> list[tuple[str, uuid.UUID, dict[str, Any]]]:
    """The newest station version of every record the conflict holds, parents first."""
    m = conflict_members.c
    found: list[Any] = list(conn.execute(select(m.entity_type, m.entity_id, m.station_payload).where(
        m.conflict_id == row.id).order_by(m.station_version)).all())
    latest: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    for entity_type, entity_id, payload in found or [(row.entity_type, row.entity_id, row.station_payload)]:
        latest[entity_id] = (entity_type, payload)
    order = list(SHAPES)
    return sorted(((t, i, p) for i, (t, p) in latest.items()), key=lambda v: order.index(v[0]))


def _write_station_version(conn: Connection, entity_type: str, entity_id: uuid.UUID,
                           station_payload: dict[str, Any]) -> None:
    table = SHAPES[entity_type].table
    current = conn.execute(select(table.c.version).where(table.c.id == entity_id).with_for_update()).scalar()
    payload = dict(station_payload)
    payload["version"] = (current or 0) + 1
    values = dict(zip(SHAPES[entity_type].columns,
                      check_payload(entity_type, entity_id, payload["version"], "update", payload)))
    if current is None:
        conn.execute(table.insert().values(values))
    else:
        conn.execute(update(table).where(table.c.id == entity_id).values(values))
