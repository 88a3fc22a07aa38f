"""Opening a station: the one way the window, every command and the returns service get a
``StationContext`` for a database.

Every record a face writes is stamped with the context's station id, and every LPN and RMA
number carries its station number; so the context must not exist until both are known to be
this station's. ``open_station`` does the whole sequence, in this order, and nothing is
written before the last check passed:

1. the identity from settings (``identity_from``): unreadable -> refused, before the database
   is touched (a brand-new station file is not even created);
2. the database (``connect_recognised``): another program's -> refused; empty -> refused
   unless the caller creates station databases;
3. the database's bound identity (``bound_identity``, a read): another station's -> refused,
   naming both;
4. only then the schema is brought up to date and, on first use, the database is bound.

A face that only reads (``writes=False``: ``audit verify``, ``rules explain``) gets the same
checks but changes nothing: no migration, no binding.
"""

from __future__ import annotations

import logging

from station.core.context import StationContext
from station.core.db import bring_up_to_date, connect_recognised, make_session_factory, require_current
from station.core.identity import (
    StationIdentityError, bind, bound_identity, identity_from, refuse_other_station,
)
from station.core.settings import Settings

log = logging.getLogger(__name__)


def open_station(db: str | None, settings: Settings, *, station_id: str | None = None, create: bool = False,
                 writes: bool = True) -> StationContext:
    """This station's context on the database ``db`` (``--db``; None: ``RMA_STATION_DB`` or the
    default file), checked as the module says.

    ``station_id`` is the command line's ``--station-id``. ``create`` lets a missing file or an
    empty database become a station's (``db upgrade``, ``seed-demo``, the window's first start).
    Raises ``StationIdentityError`` or ``ConfigError``, each one line; the engine is disposed.
    """
    try:
        identity = identity_from(settings, station_id)
    except StationIdentityError as exc:
        raise _with_binding(exc, db) from None
    engine, recognition = connect_recognised(db, create=create)
    try:
        session_factory = make_session_factory(engine)
        bound = bound_identity(session_factory)
        refuse_other_station(session_factory, bound, identity)
        if writes:
            bring_up_to_date(engine, recognition)
            if bound is None:
                bind(session_factory, identity)
        else:
            require_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return StationContext(session_factory, station_id=identity.id, station_no=identity.number)


def _with_binding(error: StationIdentityError, db: str | None) -> StationIdentityError:
    """The refusal of unreadable settings, telling which station the database says this is
    (when it can be read without changing anything): the admin then knows what to write."""
    try:
        engine, _ = connect_recognised(db)
    except Exception:  # noqa: BLE001 - a database that cannot be read adds nothing to the refusal
        return error
    try:
        bound = bound_identity(make_session_factory(engine))
    except Exception:  # noqa: BLE001 - as above
        bound = None
    finally:
        engine.dispose()
    if bound is None:
        return error
    return StationIdentityError(
        f"{error.message} The database is bound to {bound.words()}; nothing was written.",
        next_step=f"Put station.id = {bound.id!r} and station.number = {bound.number} in settings.toml.")
