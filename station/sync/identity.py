"""Which central a station syncs with, and which station number it holds there.

A pull cursor is a PostgreSQL snapshot of one server: on another server it means nothing, and
a station that pulled once from the wrong one (a typo in the URL) would skip, on the right one,
every change made in between, while its status said "Synced". So every central has an
identity (a UUID made by ``central init``, table ``sync_central``), the station keeps it with
its cursor, and a round against a central with another identity is refused before anything is
pushed or pulled. ``start_over`` is the explicit way to move a station to a new central.

Central also keeps the station number of every station (``sync_stations``): the number is part
of every LPN the station prints, so two stations with one number would print the same LPNs.
The second one is refused at its first round, before it pushes anything.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.postgresql import insert

from station.core.db import READ_ONLY
from station.core.errors import ConfigError
from station.core.station_state import CONFLICTS_SEEN, PULL_CURSOR, read_value, write_value
from station.sync.central_schema import applied_events, central_identity, stations
from station.sync.feed import START
from station.sync.fence import Fence, current_fence, fence, recognise
from station.sync.history import HistoryLost, catch_up, central_memory

log = logging.getLogger(__name__)


class CentralChanged(ConfigError):
    """The station's cursor belongs to another central database."""


class StationNumberTaken(ConfigError):
    """Another station already syncs with this station number."""


def _server_id(conn: Connection) -> str | None:
    """The PostgreSQL cluster's system identifier (the same on its streaming replicas)."""
    if conn.dialect.name != "postgresql":
        return None
    return str(conn.exec_driver_sql("SELECT system_identifier::text FROM pg_control_system()").scalar())


def central_id_of(conn: Connection) -> uuid.UUID:
    """The identity of the central database on ``conn``; refused if the database was restored
    on another PostgreSQL server since it got it (its transaction ids, hence every station's
    cursor, no longer match)."""
    found = conn.execute(select(central_identity.c.central_id, central_identity.c.server_id)).first()
    if found is None:
        raise ConfigError("The central database has no identity (its schema is older than this station).",
                          next_step="Run `rma-station central init --url URL` on it once.")
    central_id, server = found
    if server is not None and server != _server_id(conn):
        raise CentralChanged(
            f"Central database {central_id} was moved to another PostgreSQL server since stations last "
            "synced with it: their cursors mean nothing there, so nothing was sent or fetched.",
            next_step="An admin runs `rma-station central init --url URL` on it (it gets a new identity), "
                      "then each station runs `rma-station sync --start-over`.")
    return central_id if isinstance(central_id, uuid.UUID) else uuid.UUID(str(central_id))


def renew_if_moved(conn: Connection) -> uuid.UUID | None:
    """For ``central init``: a new identity if the database now lives on another server
    (restored from a dump); returns it, or ``None`` if nothing changed."""
    found = conn.execute(select(central_identity.c.central_id, central_identity.c.server_id)).first()
    server = _server_id(conn)
    if found is None or found.server_id == server:
        return None
    renewed = uuid.uuid4()
    conn.execute(central_identity.update().values(central_id=renewed, server_id=server))
    log.warning("central %s now lives on server %s: new identity %s", found.central_id, server, renewed)
    return renewed


def bound_central(local: Engine) -> str | None:
    """The central identity the station's cursor belongs to (``None`` before its first sync,
    or for a cursor kept before identities existed)."""
    with local.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        value = read_value(conn, PULL_CURSOR)
        conn.rollback()
    return value.get("central_id") or None


def check_same_central(local: Engine, central_id: uuid.UUID) -> None:
    """Bind an unbound cursor to ``central_id``; refuse a cursor bound to another central.

    Read without the write lock (every round calls this); only the first round writes."""
    if bound_central(local) == str(central_id):
        return
    with local.begin() as conn:
        cursor = read_value(conn, PULL_CURSOR)
        bound = cursor.get("central_id")
        if bound == str(central_id):
            return
        if bound:
            raise CentralChanged(
                f"This station syncs with central database {bound}, but the URL leads to central "
                f"database {central_id}: nothing was sent or fetched.",
                next_step="Check the central URL; if this station moves to the new central for good, "
                          "run `rma-station sync --start-over` (it sends the changes waiting here, "
                          "then fetches everything).")
        # A new station, or a cursor from before identities: this central is its own from now on.
        write_value(conn, PULL_CURSOR, {**cursor, "central_id": str(central_id)})


def register_station(conn: Connection, station_id: str, station_no: int) -> None:
    """Record this station's number on central; refuse a number another station holds."""
    # A station new to central has nothing of it yet: counted from 0, so a backup taken before its
    # first push still tells what it lacks. One that pushed here before it ever registered (no
    # station number then) gets NULL, "not counted", as stations from before central counted.
    added = conn.execute(insert(stations).values(station_id=station_id, station_no=station_no, acked_seq=0)
                         .on_conflict_do_nothing().returning(stations.c.station_id)).first()
    if added is not None and conn.execute(select(applied_events.c.event_id)
                                          .where(applied_events.c.pushed_by == station_id).limit(1)).first():
        conn.execute(stations.update().where(stations.c.station_id == station_id).values(acked_seq=None))
    holders: dict[str, int] = dict(conn.execute(select(stations.c.station_id, stations.c.station_no).where(
        (stations.c.station_id == station_id) | (stations.c.station_no == station_no))).all())
    other = next((s for s, n in holders.items() if n == station_no and s != station_id), None)
    if other is not None:
        raise StationNumberTaken(
            f"Station number {station_no} already belongs to station {other} on central, so station "
            f"{station_id} would print the same LPNs: nothing was sent.",
            next_step=f"Give {station_id} a free number (setting station.number) and sync again.")
    if holders.get(station_id) != station_no:
        raise StationNumberTaken(
            f"Station {station_id} synced before as station number {holders.get(station_id)}, "
            f"not {station_no}: nothing was sent.",
            next_step="Set station.number back, or ask an admin to renumber the station on central.")


@dataclass(frozen=True)
class Meeting:
    central_id: uuid.UUID
    history_lost: HistoryLost | None = None
    """Set when central turned out to be a copy or an older backup, and what was done about it."""
    fence: Fence | None = None
    """Central's fence on commitments after a restore, as this meeting found it (``station.sync.fence``)."""


def meet_central(local: Engine, central: Engine, station_id: str, station_no: int | None) -> Meeting:
    """What every round does before it pushes: same central as before, station number free,
    and central not behind what it once told this station (``station.sync.history``). A
    restored central fences itself here (``station.sync.fence``); one whose loss only this
    station's figures show is fenced by the station."""
    memory = None
    with central.begin() as conn:
        central_id = central_id_of(conn)
        recognise(conn)
        if station_no is not None:
            register_station(conn, station_id, station_no)
            memory = central_memory(conn, station_id)
        fenced = current_fence(conn)
    check_same_central(local, central_id)
    lost = catch_up(local, memory, str(central_id), station_id)
    if lost is not None and fenced is None:
        with central.begin() as conn:
            fence(conn, f"{station_id} found it lost history: {lost.words()}", by=station_id)
            fenced = current_fence(conn)
    return Meeting(central_id, lost, fenced)


def rebind(local: Engine, central_id: uuid.UUID) -> None:
    """Point the station at a new central: a cursor from the start, the old central's
    conflicts forgotten. Pending outbox events are untouched (they are pushed next)."""
    with local.begin() as conn:
        write_value(conn, PULL_CURSOR, {"seq": 0, "since": START, "central_id": str(central_id)})
        write_value(conn, CONFLICTS_SEEN, {"open": []})
    log.info("station rebound to central %s: full pull follows", central_id)
