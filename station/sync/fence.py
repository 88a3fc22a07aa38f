"""After central was restored from a backup (or copied), commitments wait for every dock.

A resolution central accepted after the backup was taken is lost with the restore. Its dock
made it effective (the customer was paid) and sends it again (``station.sync.history``), but
another dock could resolve the same RMA on the restored central first: central's unique index
(one standing resolution per RMA) would then keep the second dock's, and the customer is paid
twice. So a restored central *fences* commitments:

- **Recognised by itself.** ``sync_central.database_oid`` is the database's own OID
  (``pg_database``) stations last synced with. A restore into a new database or a ``createdb
  -T`` copy has another one; ``recognise`` runs at every meeting and in every push transaction,
  so the first thing any station does with the restored central fences it. A restore into the
  same database (``pg_restore --clean``) keeps its OID: the admin runs ``rma-station central
  restored`` before stations reconnect. A station that finds central lost its history
  (``station.sync.history``) fences it too.
- **While fenced**, the push holds back every resolution that would stand as *pending* (a
  dock's new one, not yet paid): it stays pending at its dock, the outbox event says why, and
  the desk shows it. A resolution its dock already made effective is sent again as effective
  and is taken: it stands, so a pending one from another dock is refused by the unique index and
  voided at its dock as usual. A trigger on ``resolutions`` refuses a pending one while fenced:
  the database's own guard, under the unique index ``uq_resolutions_one_standing_per_rma``.
- **Lifted** when every station central knows (``sync_stations``) has met the fenced central
  (its history check ran there) and pushed everything it had waiting, except resolutions the
  fence holds: its ``fence_owed`` is cleared (``rejoin``) and the last one lifts the fence. A
  station that will never come back (retired, its disk lost) is released by an admin:
  ``rma-station central unfence --station DOCK07 --by NAME --reason ...``. Every step is
  written to ``sync_fence_log``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, select, update

from station.models import Resolution
from station.sync.central_schema import applied_events, central_identity, fence_log, stations

log = logging.getLogger(__name__)

HELD = ("central was restored from a backup; waiting until every dock has re-sent what it lost "
        "before a new resolution can stand")
"""The outbox note of a resolution the fence holds back (the desk shows it)."""

HELD_ZH = "中央数据库已从备份恢复；在每个站点重新发送丢失的数据之前，新的处理不能生效"


@dataclass(frozen=True)
class Fence:
    """Central is fenced: since when, why, and the stations it still waits for."""

    fence_id: uuid.UUID
    since: dt.datetime | None
    reason: str
    waiting_for: tuple[str, ...]

    def words(self) -> str:
        waiting = ", ".join(self.waiting_for) or "nobody"
        return (f"Central is fenced since {self.since:%Y-%m-%d %H:%M} UTC ({self.reason}): new resolutions wait "
                f"until every station has re-sent what it lost; waiting for {waiting}." if self.since else
                f"Central is fenced ({self.reason}); waiting for {waiting}.")


def recognise(conn: Connection) -> None:
    """In the caller's central transaction: fence central if it is not the database stations last
    synced with (restored into a new database, or a copy). Cheap when nothing changed (one read)."""
    if conn.dialect.name != "postgresql":
        return
    c = central_identity.c
    row = conn.exec_driver_sql("SELECT database_oid, (SELECT oid FROM pg_database WHERE datname = current_database()) "
                               "FROM sync_central").first()
    if row is None or row[0] == row[1]:
        return
    stored, current = row[0], int(row[1])
    # Only the transaction that changes the figure fences (two stations meeting at once).
    changed = conn.execute(update(central_identity).where(c.database_oid.is_not_distinct_from(stored))
                           .values(database_oid=current).returning(c.central_id)).first()
    if changed is None or stored is None:  # another one did it; or a central from before c009
        return
    fence(conn, f"database OID {current}, not {stored} as when stations last synced: restored from a backup "
                "or a copy", by="central")


def fence(conn: Connection, reason: str, *, by: str) -> uuid.UUID:
    """Fence commitments until every known station has rejoined; returns the new fence's id.

    A central already fenced gets a new fence (every station owes again): a second restore
    during the first one's fence loses what was re-sent meanwhile."""
    fence_id = uuid.uuid4()
    conn.execute(update(central_identity).values(fence_id=fence_id, fenced_at=dt.datetime.now(dt.UTC),
                                                 fence_reason=reason[:2000]))
    conn.execute(update(stations).values(fence_owed=True))
    _log(conn, fence_id, "fenced", None, by, reason)
    log.warning("central fenced (%s): %s", by, reason)
    return fence_id


def current_fence(conn: Connection) -> Fence | None:
    c = central_identity.c
    row = conn.execute(select(c.fence_id, c.fenced_at, c.fence_reason)).first()
    if row is None or row.fence_id is None:
        return None
    waiting: list[str] = list(conn.execute(select(stations.c.station_id).where(stations.c.fence_owed)
                                           .order_by(stations.c.station_id)).scalars())
    return Fence(row.fence_id, row.fenced_at, row.fence_reason or "", tuple(waiting))


def rejoin(conn: Connection, station_id: str, fence_id: uuid.UUID) -> bool:
    """The station met fence ``fence_id`` (its history check ran on this central) and pushed
    everything it had waiting: it owes nothing more. Lifts the fence when nobody owes; returns
    whether central is free of it now. A fence set after the station's meeting is not cleared."""
    c = central_identity.c
    same = exists().where(c.fence_id == fence_id)
    cleared = conn.execute(update(stations).where(stations.c.station_id == station_id, stations.c.fence_owed, same)
                           .values(fence_owed=False).returning(stations.c.station_id)).first()
    if cleared is not None:
        _log(conn, fence_id, "rejoined", station_id, station_id, "met the restored central and re-sent what it lost")
    return _lift_if_done(conn, fence_id, by=station_id)


def release(conn: Connection, station_ids: Sequence[str], *, by: str, reason: str) -> tuple[list[str], bool]:
    """An admin releases stations that will not come back (retired, disk lost): central stops
    waiting for them. Returns the stations released and whether the fence is lifted now."""
    current = current_fence(conn)
    if current is None:
        return [], True
    owed = update(stations).where(stations.c.station_id.in_(list(station_ids)), stations.c.fence_owed)
    released: list[str] = list(conn.execute(owed.values(fence_owed=False).returning(stations.c.station_id)).scalars())
    for station_id in released:
        _log(conn, current.fence_id, "released", station_id, by, reason)
        log.warning("fence: %s released %s (%s)", by, station_id, reason)
    return released, _lift_if_done(conn, current.fence_id, by=by)


def _lift_if_done(conn: Connection, fence_id: uuid.UUID, *, by: str) -> bool:
    c = central_identity.c
    nobody_owes = ~exists().where(stations.c.fence_owed)
    lifted = conn.execute(update(central_identity).where(and_(c.fence_id == fence_id, nobody_owes))
                          .values(fence_id=None, fenced_at=None, fence_reason=None)
                          .returning(c.central_id)).first()
    if lifted is not None:
        _log(conn, fence_id, "lifted", None, by, "every station re-sent what central lost")
        log.warning("central's fence %s lifted: every station re-sent what it lost", fence_id)
        return True
    return conn.execute(select(c.fence_id)).scalar() is None


def _log(conn: Connection, fence_id: uuid.UUID | None, event: str, station_id: str | None, by: str | None,
         reason: str) -> None:
    conn.execute(fence_log.insert().values(fence_id=fence_id, event=event, station_id=station_id, by=by,
                                           reason=reason[:2000]))


# -- the push, on central -------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """Events the fence keeps at their dock (seq -> note), and whether any is a resolution the
    dock already made effective whose creation waits in another batch (``orphans``)."""

    notes: dict[int, str]
    orphans: bool = False


def hold_commitments(conn: Connection, events: Sequence[Any]) -> Held:
    """While fenced, which of ``events`` (new to central) must not be applied: every event of a
    resolution that would stand as pending, and updates of a resolution central does not hold
    (its creation was held back in an earlier batch: it comes again with the update)."""
    per_record: dict[uuid.UUID, list[Any]] = {}
    for event in events:
        if event.entity_type == "resolutions":
            per_record.setdefault(event.entity_id, []).append(event)
    if not per_record:
        return Held({})
    table = Resolution.__table__
    on_central: set[uuid.UUID] = set(conn.execute(select(table.c.id).where(table.c.id.in_(list(per_record)))).scalars())
    notes: dict[int, str] = {}
    orphans = False
    for record, chain in per_record.items():
        first, last = chain[0], chain[-1]
        pending = last.payload.get("state") == "pending"
        orphan = first.operation != "insert" and record not in on_central
        if pending or orphan:
            notes.update((e.seq, HELD) for e in chain)
            orphans = orphans or (orphan and not pending)
    return Held(notes, orphans)


def hold_if_fenced(conn: Connection, events: Sequence[Any]) -> Held:
    """In the push transaction, after the ledger claim: the events the fence holds back, given
    back to the ledger (they were never applied; their next push claims them again)."""
    if not any(e.entity_type == "resolutions" for e in events) or current_fence(conn) is None:
        return Held({})
    held = hold_commitments(conn, events)
    if held.notes:
        ids = [e.event_id for e in events if e.seq in held.notes]
        conn.execute(applied_events.delete().where(applied_events.c.event_id.in_(ids)))
        log.info("fence: %d resolution event(s) held back at their dock", len(ids))
    return held
