"""What the status bar shows: queue length, last success, last error in words.

``read_status`` is a plain function over the local database, safe to call from any thread
(the window polls it from a worker); it needs no network. The sync worker writes its side
(last attempt, last success, last error, next try) into ``sync_state`` after every run, so
another process (``rma-station sync status``) sees the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from station.core.db import READ_ONLY
from station.core.station_state import CONFLICTS_SEEN, PULL_CURSOR, STATUS, read_value, write_value
from station.models import OutboxEvent, OutboxState, utcnow

_OUTBOX = OutboxEvent.__table__


@dataclass(frozen=True)
class SyncStatus:
    queue_length: int
    quarantined: int
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_error: str
    last_error_at: dt.datetime | None
    failures_in_a_row: int
    next_attempt_at: dt.datetime | None
    pull_cursor: int
    conflicts_seen: int
    open_conflicts: int = 0
    """Conflicts open on central at the last pull, waiting for a supervisor."""
    audit_refused: str = ""
    """Why central refuses this station's audit log (empty: it does not); the rest still syncs."""

    @property
    def online(self) -> bool:
        return self.last_success_at is not None and self.failures_in_a_row == 0

    def words(self, now: dt.datetime | None = None) -> str:
        """One line for the status bar."""
        now = now or utcnow()
        waiting = f"{self.queue_length} change{'s' if self.queue_length != 1 else ''} waiting"
        if self.quarantined:
            waiting += f", {self.quarantined} set aside"
        if self.open_conflicts:
            waiting += f", {self.open_conflicts} conflict{'s' if self.open_conflicts != 1 else ''} for a supervisor"
        if self.last_attempt_at is None:
            return f"Not synced yet - {waiting}."
        if self.online:
            refused = f" {self.audit_refused}" if self.audit_refused else ""
            return f"Synced {_ago(now, self.last_success_at)} - {waiting}.{refused}"
        since = f"last synced {_ago(now, self.last_success_at)}" if self.last_success_at else "never synced"
        retry = ""
        if self.next_attempt_at is not None:
            retry = f" Retrying in {max(0, int((self.next_attempt_at - now).total_seconds()))} s."
        return f"Offline ({since}) - {waiting}. {self.last_error}{retry}"


def _ago(now: dt.datetime, then: dt.datetime | None) -> str:
    if then is None:
        return "never"
    seconds = int((now - then).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"on {then.astimezone().strftime('%Y-%m-%d %H:%M')}"


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def read_status(local: Engine) -> SyncStatus:
    """The station's sync status, from its own database only."""
    with local.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        counts = dict(conn.execute(
            select(_OUTBOX.c.state, func.count()).where(_OUTBOX.c.state != OutboxState.SENT)
            .group_by(_OUTBOX.c.state)).all())
        status = read_value(conn, STATUS)
        cursor = int(read_value(conn, PULL_CURSOR).get("seq", 0))
        open_conflicts = len(read_value(conn, CONFLICTS_SEEN).get("open", []))
        conn.rollback()
    return SyncStatus(
        queue_length=counts.get(OutboxState.PENDING, 0),
        quarantined=counts.get(OutboxState.QUARANTINED, 0),
        last_success_at=_time(status.get("last_success_at")),
        last_attempt_at=_time(status.get("last_attempt_at")),
        last_error=str(status.get("last_error", "")),
        last_error_at=_time(status.get("last_error_at")),
        failures_in_a_row=int(status.get("failures", 0)),
        next_attempt_at=_time(status.get("next_attempt_at")),
        pull_cursor=cursor,
        conflicts_seen=int(status.get("conflicts_seen", 0)),
        open_conflicts=open_conflicts,
        audit_refused=str(status.get("audit_refused", "")),
    )


def record_run(local: Engine, *, ok: bool, error: str = "", next_attempt_at: dt.datetime | None = None,
               conflicts: int = 0, failures: int = 0, audit_refused: str | None = None) -> None:
    """Write the outcome of one sync run for the status bar."""
    now = utcnow().isoformat()
    with local.begin() as conn:
        status = read_value(conn, STATUS)
        status["last_attempt_at"] = now
        status["failures"] = failures
        status["next_attempt_at"] = next_attempt_at.isoformat() if next_attempt_at else None
        status["conflicts_seen"] = int(status.get("conflicts_seen", 0)) + conflicts
        if audit_refused is not None:
            status["audit_refused"] = audit_refused
        if ok:
            status["last_success_at"] = now
        else:
            status["last_error"] = error
            status["last_error_at"] = now
        write_value(conn, STATUS, status)
