"""Reading and writing the sync worker's named values in the local ``sync_state`` table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from station.models import SyncState, utcnow

_STATE = SyncState.__table__

PULL_CURSOR = "pull_cursor"
STATUS = "status"
CONFLICTS_SEEN = "central_conflicts"
"""``sync_state`` key of the central conflicts a station has pulled (``conflict_mirror``)."""


def read_value(conn: Connection, key: str) -> dict[str, Any]:
    value = conn.execute(select(_STATE.c.value).where(_STATE.c.key == key)).scalar()
    return dict(value) if isinstance(value, dict) else {}


def write_value(conn: Connection, key: str, value: dict[str, Any]) -> None:
    """Insert or replace ``key`` (in the caller's transaction)."""
    now = utcnow()
    done = conn.execute(update(_STATE).where(_STATE.c.key == key).values(value=value, updated_at=now))
    if done.rowcount == 0:
        conn.execute(_STATE.insert().values(key=key, value=value, updated_at=now))


def syncs_with_central(conn: Connection) -> bool:
    """True once this station has met a central database (its cursor is bound to one): from
    then on its commitments to customers wait for central's word (``ResolutionState``). A
    station on its own, or central itself, decides alone."""
    return bool(read_value(conn, PULL_CURSOR).get("central_id"))
