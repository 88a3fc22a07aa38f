"""The base every station service stands on: one transaction per call, audit, permissions.

A service method opens ``self.transaction()``, checks ``self.require(actor, ...)``, changes
records, calls ``self.audit(...)``, and returns a frozen view. If anything raises, nothing is
written: not the change, not its audit event, not its outbox event.

The ``Actor`` a view holds is a copy taken at sign-in. Both ``require`` and ``audit`` compare it
with the operator's record as it is now (role, active), ``audit`` inside the very transaction
that writes the change: a supervisor demoted or blocked while signed in cannot approve.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

import station.core.outbox  # noqa: F401 - registers the outbox session hooks
from station.audit import chain as audit
from station.core.context import Actor, StationContext
from station.core.db import READ_ONLY
from station.core.permissions import Permission, check_current, require
from station.models import Operator


class Service:
    def __init__(self, ctx: StationContext) -> None:
        self.ctx = ctx

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction: committed when the block ends, rolled back if it raises."""
        with self.ctx.session_factory() as session:
            session.info["station_id"] = self.ctx.station_id
            with session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (nothing is flushed or committed)."""
        with self.ctx.session_factory() as session:
            session.info["station_id"] = self.ctx.station_id
            yield session
            session.rollback()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection for hot read paths; never takes the write lock."""
        engine = self.ctx.session_factory.kw["bind"]
        with engine.connect() as conn:
            conn = conn.execution_options(**READ_ONLY)
            yield conn
            conn.rollback()

    def require(self, actor: Actor, permission: Permission) -> None:
        """Refuse unless the operator, as their record stands now, may do this.

        An actor with no operator record (the command line's, a benchmark's) is taken as
        given here, for reads; ``audit`` refuses it for any change.
        """
        with self.read_connection() as conn:
            row = conn.execute(select(Operator.role, Operator.active).where(Operator.id == actor.id)).first()
        if row is not None:
            check_current(actor, row.role, row.active)
        require(actor, permission)

    def _check_actor(self, session: Session, actor: Actor) -> None:
        """The actor's record, read in the writing transaction, still matches the session."""
        checked: set[uuid.UUID] = session.info.setdefault("current_actors", set())
        if actor.id in checked or actor.is_command_line or actor.is_api_token:
            return
        with session.no_autoflush:  # refuse before the change itself reaches the database
            row = session.execute(select(Operator.role, Operator.active).where(Operator.id == actor.id)).first()
        check_current(actor, row.role if row else None, bool(row and row.active))
        checked.add(actor.id)

    def audit(
        self,
        session: Session,
        actor: Actor | None,
        action: str,
        entity_type: str,
        entity_id: str | uuid.UUID,
        details: dict[str, Any] | None = None,
        *,
        stale_ok: bool = False,
    ) -> None:
        """Record a change in the audit chain, after checking the actor is still who they were.

        ``stale_ok``: the one event a demoted or blocked operator may still leave (signing out).
        """
        if actor is not None and not stale_ok:
            self._check_actor(session, actor)
        audit.append(
            session,
            station_id=self.ctx.station_id,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            details=details,
            at=self.ctx.now(),
        )
