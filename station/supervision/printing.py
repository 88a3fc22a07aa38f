"""The persistent print queue: label jobs kept in the database until a printer took them.

A job holds its rendered bytes (``LabelJob.payload``), so a printer that is off, a cable
pulled, or a station restart never loses a label. The life of a job::

    queued --claim--> printing --printer took it--> printed
       ^                 |--offline / timeout----> queued (next_attempt_at backs off)
       |                 '--printer refused it---> failed (operator: retry or cancel)
       '--------- retry() / recover_interrupted() -----'

A job is marked printed only after the driver returned, i.e. the printer or spooler had
accepted every byte. A job found in ``printing`` after a crash goes back to ``queued``:
printing a label twice is recoverable at the dock, a label never printed is a lost unit.
Nothing here talks to a printer; ``ui.spooler`` combines this queue with the drivers.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.models import LabelJob, LabelJobState, utcnow

log = logging.getLogger(__name__)

FORMATS = ("pdf", "zpl")
OPEN_STATES = (LabelJobState.QUEUED, LabelJobState.PRINTING, LabelJobState.FAILED)


@dataclass(frozen=True)
class ClaimedJob:
    """What the spooler needs to send one job (handed across threads, so frozen)."""

    id: uuid.UUID
    kind: str
    printer: str
    format: str
    copies: int
    payload: bytes
    attempt: int


@dataclass(frozen=True)
class JobView:
    """One row of the operator's print queue view."""

    id: uuid.UUID
    kind: str
    subject: str
    printer: str
    format: str
    copies: int
    state: LabelJobState
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    printed_at: dt.datetime | None
    size_bytes: int


class PrintQueue:
    """Queue operations, each in its own short transaction.

    ``base_delay`` doubles per failed attempt up to ``max_delay``: a printer that is off for
    the night is tried every ten minutes, not hammered every second.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        station_id: str,
        clock: Callable[[], dt.datetime] = utcnow,
        base_delay: dt.timedelta = dt.timedelta(seconds=5),
        max_delay: dt.timedelta = dt.timedelta(minutes=10),
    ) -> None:
        self._sessions = session_factory
        self.station_id = station_id
        self.clock = clock
        self.base_delay = base_delay
        self.max_delay = max_delay

    # --- writing jobs -------------------------------------------------------------------
    def enqueue(
        self,
        *,
        kind: str,
        printer: str,
        fmt: str,
        payload: bytes,
        copies: int = 1,
        subject: str = "",
        data: dict[str, Any] | None = None,
        requested_by: uuid.UUID | None = None,
        session: Session | None = None,
    ) -> uuid.UUID:
        """Queue a rendered job. Pass ``session`` to make it part of the caller's transaction
        (a receipt and its LPN labels commit together, or neither does)."""
        if fmt not in FORMATS:
            raise InvalidInput(f"Print format {fmt!r} is not one of {', '.join(FORMATS)}.")
        if not payload:
            raise InvalidInput("A print job needs content; the rendered label is empty.")
        if not printer:
            raise InvalidInput("No printer chosen for this job.", next_step="Pick a printer in settings.")
        if not 1 <= copies <= 999:
            raise InvalidInput(f"{copies} copies is out of range (1-999).")
        job = LabelJob(
            id=uuid.uuid4(), station_id=self.station_id, kind=kind, printer=printer, format=fmt,
            copies=copies, payload=payload, data=data or {}, state=LabelJobState.QUEUED,
            attempts=0, next_attempt_at=self.clock(), subject=subject, requested_by=requested_by,
        )
        if session is not None:
            session.add(job)
            session.flush()
        else:
            with self._sessions.begin() as own:
                own.add(job)
        log.info("queued %s job %s for %s (%d bytes)", kind, job.id, printer, len(payload))
        return job.id

    def claim_due(self, limit: int = 10) -> list[ClaimedJob]:
        """Take up to ``limit`` queued jobs whose time has come, oldest first, and mark them
        ``printing`` so no other spooler sends them too."""
        now = self.clock()
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(LabelJob)
                .where(LabelJob.state == LabelJobState.QUEUED)
                .where(or_(LabelJob.next_attempt_at.is_(None), LabelJob.next_attempt_at <= now))
                .order_by(LabelJob.created_at, LabelJob.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            claimed = []
            for job in rows:
                job.state = LabelJobState.PRINTING
                job.attempts += 1
                claimed.append(ClaimedJob(job.id, job.kind, job.printer, job.format, job.copies,
                                          job.payload, job.attempts))
        return claimed

    def mark_printed(self, job_id: uuid.UUID) -> None:
        with self._sessions.begin() as session:
            job = self._get(session, job_id)
            if job.state != LabelJobState.PRINTING:
                raise IllegalTransition(f"Print job {job_id} is {job.state.value}, not printing.")
            job.state = LabelJobState.PRINTED
            job.printed_at = self.clock()
            job.last_error = ""
            job.next_attempt_at = None

    def mark_failed(self, job_id: uuid.UUID, error: str, *, retryable: bool = True) -> dt.datetime | None:
        """Record a failed attempt. Retryable failures go back to ``queued`` with a back-off
        and return when the next try is due; others wait in ``failed`` for the operator."""
        with self._sessions.begin() as session:
            job = self._get(session, job_id)
            if job.state != LabelJobState.PRINTING:
                raise IllegalTransition(f"Print job {job_id} is {job.state.value}, not printing.")
            job.last_error = error[:2000]
            if not retryable:
                job.state = LabelJobState.FAILED
                job.next_attempt_at = None
                log.warning("print job %s refused: %s", job_id, error)
                return None
            job.state = LabelJobState.QUEUED
            job.next_attempt_at = self.clock() + self.backoff(job.attempts)
            log.info("print job %s attempt %d failed (%s); next try %s", job_id, job.attempts,
                     error, job.next_attempt_at)
            return job.next_attempt_at

    def backoff(self, attempts: int) -> dt.timedelta:
        """Delay after the ``attempts``-th failure: base, 2x, 4x ... capped at ``max_delay``."""
        return min(self.max_delay, self.base_delay * (2 ** max(0, min(attempts - 1, 30))))

    def retry(self, job_id: uuid.UUID) -> None:
        """Operator's "print again now" for a queued or failed job."""
        with self._sessions.begin() as session:
            job = self._get(session, job_id)
            if job.state not in (LabelJobState.QUEUED, LabelJobState.FAILED):
                raise IllegalTransition(f"Print job {job_id} is {job.state.value}; only queued or failed jobs can be retried.")
            job.state = LabelJobState.QUEUED
            job.next_attempt_at = self.clock()

    def cancel(self, job_id: uuid.UUID) -> None:
        """Operator's cancel; a job being sent right now or already printed cannot be."""
        with self._sessions.begin() as session:
            job = self._get(session, job_id)
            if job.state not in (LabelJobState.QUEUED, LabelJobState.FAILED):
                raise IllegalTransition(f"Print job {job_id} is {job.state.value} and cannot be cancelled.")
            job.state = LabelJobState.CANCELLED
            job.next_attempt_at = None

    def recover_interrupted(self) -> int:
        """At start-up: jobs left ``printing`` by a crash go back to the queue."""
        with self._sessions.begin() as session:
            jobs = session.scalars(select(LabelJob).where(LabelJob.state == LabelJobState.PRINTING)).all()
            for job in jobs:
                job.state = LabelJobState.QUEUED
                job.next_attempt_at = self.clock()
                job.last_error = job.last_error or "interrupted while printing"
            return len(jobs)

    # --- reading ------------------------------------------------------------------------
    def list_jobs(self, states: Iterable[LabelJobState] | None = OPEN_STATES, limit: int = 200) -> list[JobView]:
        """Jobs for the operator's queue view, newest first (all states when ``states`` is None)."""
        query = select(LabelJob, func.length(LabelJob.payload)).order_by(
            LabelJob.created_at.desc(), LabelJob.id
        ).limit(limit)
        if states is not None:
            query = query.where(LabelJob.state.in_(list(states)))
        with self._sessions() as session:
            return [
                JobView(j.id, j.kind, j.subject, j.printer, j.format, j.copies, j.state, j.attempts,
                        j.last_error, j.next_attempt_at, j.created_at, j.printed_at, int(size or 0))
                for j, size in session.execute(query).all()
            ]

    def counts(self) -> dict[LabelJobState, int]:
        with self._sessions() as session:
            rows = session.execute(select(LabelJob.state, func.count()).group_by(LabelJob.state)).all()
        return {state: int(n) for state, n in rows}

    def _get(self, session: Session, job_id: uuid.UUID) -> LabelJob:
        job = session.get(LabelJob, job_id, with_for_update=True)
        if job is None:
            raise NotFound(f"No print job {job_id}.")
        return job
