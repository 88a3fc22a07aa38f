"""Which station this is, and the local database's memory of it.

``station.id`` is stamped on every record and ``station.number`` is part of every LPN, so a
station that silently became ``DOCK01``/1 (a settings file that failed to load) writes
receipts under another station's name and prints LPNs that collide with that station's on
the central database. Two guards stop that:

- ``identity_from`` refuses settings whose id or number could not be read, instead of
  using the defaults;
- ``bind`` stores the id and number in the database on first use (``sync_state`` key
  ``station_identity``) and refuses later settings that name another station for it.

Both are checked by the one way a face opens a database, ``station.core.opening``.

Changing either is a deliberate, audited act: ``rename`` (``rma-station station rename``).
Units already carrying LPNs with the old number keep them, and RMAs their numbers: they were
unique when issued and stay unique, since the old number was this station's. A new number
whose LPNs or RMA numbers already exist in this database (pulled from the station that owns
it) is refused, because this station's next ones would collide with them.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from station.audit import chain as audit
from station.core.context import Actor
from station.core.errors import ConfigError, InvalidInput
from station.core.db import READ_ONLY, shown_database
from station.core.identifiers import STATION_RMA_LENGTH, make_lpn, rma_prefix
from station.core.permissions import Permission, require
from station.core.settings import Settings, check_value
from station.core.station_state import read_value, write_value
from station.models import Rma, RmaRequest, SyncState, Unit, utcnow

log = logging.getLogger(__name__)

BINDING_KEY = "station_identity"


class StationIdentityError(ConfigError):
    """This station's id or number is unknown, invalid, or not the one its database belongs to."""

    code = "station_identity"


@dataclass(frozen=True)
class StationIdentity:
    id: str
    number: int

    def words(self) -> str:
        return f"{self.id} (number {self.number})"

    @classmethod
    def checked(cls, station_id: str, number: int) -> StationIdentity:
        """An identity whose parts pass the same checks as the settings file's."""
        try:
            return cls(check_value("station.id", station_id), check_value("station.number", number))
        except ConfigError as exc:
            raise InvalidInput(exc.message) from None


def identity_from(settings: Settings, station_id_override: str | None = None) -> StationIdentity:
    """The station's identity from settings; raises when the file could not say it.

    ``station_id_override`` is the command line's ``--station-id``.
    """
    if settings.identity_problem:
        raise StationIdentityError(
            f"This station's id and number cannot be read from the settings: {settings.identity_problem}",
            next_step="The station does not start under a default id; fix station.id and station.number "
                      "in settings.toml.")
    station_id = str(settings.get("station.id"))
    if station_id_override:
        try:
            return StationIdentity.checked(station_id_override, int(settings.get("station.number")))
        except InvalidInput as exc:
            raise StationIdentityError(f"--station-id: {exc.message}") from None
    return StationIdentity(station_id, int(settings.get("station.number")))


def bound_identity(session_factory: sessionmaker[Session]) -> StationIdentity | None:
    """The identity this database belongs to (None before its first use, and in a database
    whose schema is older than the binding). Reads only: on SQLite it takes no write lock."""
    with session_factory() as db:
        conn = db.connection(execution_options=READ_ONLY)
        if not inspect(conn).has_table(SyncState.__tablename__):
            return None
        value = read_value(conn, BINDING_KEY)
        db.rollback()
    return _identity_of(value)


def refuse_other_station(session_factory: sessionmaker[Session], bound: StationIdentity | None,
                         identity: StationIdentity) -> None:
    """Refuse ``identity`` (from settings) for a database bound to another station, in one
    line naming both and the database."""
    if bound is None or bound == identity:
        return
    where = shown_database(session_factory.kw["bind"])
    raise StationIdentityError(
        f"{identity.words()} in settings, but the database {where} is bound to {bound.words()}; "
        "nothing was written.",
        next_step=f"Put station.id = {bound.id!r} and station.number = {bound.number} back in settings.toml, "
                  f"or change the station deliberately with `rma-station station rename --id {identity.id} "
                  f"--number {identity.number} --reason ...`.")


def _identity_of(value: dict[str, Any]) -> StationIdentity | None:
    if not value:
        return None
    return StationIdentity(str(value["id"]), int(value["number"]))


def bind(session_factory: sessionmaker[Session], identity: StationIdentity,
         now: dt.datetime | None = None) -> StationIdentity:
    """Tie the database to ``identity`` on first use; refuse if it belongs to another station."""
    with session_factory() as db, db.begin():
        value = read_value(db.connection(), BINDING_KEY)
        bound = _identity_of(value)
        if bound == identity:
            return identity
        refuse_other_station(session_factory, bound, identity)
        at = now or utcnow()
        write_value(db.connection(), BINDING_KEY,
                    {"id": identity.id, "number": identity.number, "bound_at": at.isoformat(), "history": []})
        audit.append(db, station_id=identity.id, actor=None, action="station.bound", entity_type="station",
                     entity_id=identity.id, details={"number": identity.number}, at=at)
    log.info("database bound to station %s", identity.words())
    return identity


def rename(session_factory: sessionmaker[Session], new: StationIdentity, actor: Actor, reason: str,
           now: dt.datetime | None = None) -> StationIdentity | None:
    """Give the database (and so this station) a new id and/or number; returns the old identity.

    Audited with the actor and the reason. Refused when this database already holds LPNs
    minted under the new number by another station.
    """
    require(actor, Permission.MANAGE_SETTINGS)
    if not reason.strip():
        raise InvalidInput("Say why the station is renamed (--reason); the audit log keeps it.")
    at = now or utcnow()
    with session_factory() as db, db.begin():
        value = read_value(db.connection(), BINDING_KEY)
        old = _identity_of(value)
        if old == new:
            raise InvalidInput(f"The database already belongs to station {new.words()}.")
        if old is not None and old.number != new.number:
            _refuse_taken_number(db, new.number)
        history = list(value.get("history", []))
        if old is not None:
            history.append({"id": old.id, "number": old.number, "until": at.isoformat()})
        write_value(db.connection(), BINDING_KEY,
                    {"id": new.id, "number": new.number, "bound_at": at.isoformat(), "history": history})
        audit.append(db, station_id=new.id, actor=actor, action="station.renamed", entity_type="station",
                     entity_id=new.id, at=at,
                     details={"from_id": old.id if old else None, "from_number": old.number if old else None,
                              "to_id": new.id, "to_number": new.number, "reason": reason.strip()})
    log.warning("station renamed from %s to %s by %s: %s", old.words() if old else "(unbound)", new.words(),
                actor.badge, reason)
    return old


def _refuse_taken_number(db: Session, number: int) -> None:
    prefix = make_lpn(number, 0)[:5]
    row = db.execute(select(func.count(), func.min(Unit.lpn))
                     .where(Unit.lpn >= prefix, Unit.lpn < prefix + "A")).one()
    if row[0]:
        raise InvalidInput(
            f"Station number {number} is taken: this database already holds {row[0]} unit(s) with LPNs "
            f"{prefix}... (first {row[1]}), printed by the station that has that number.",
            next_step="Choose a number no other station uses.")
    prefix = rma_prefix(number)
    for column in (Rma.number, RmaRequest.number):
        first = db.scalar(select(column).where(column >= prefix, column < prefix + "A",
                                               func.length(column) == STATION_RMA_LENGTH).limit(1))
        if first is not None:
            raise InvalidInput(
                f"Station number {number} is taken: this database already holds RMA number {first}, issued by "
                "the station that has that number.",
                next_step="Choose a number no other station uses.")
