"""The sync worker: push, then pull, again and again, backing off while central is away.

Plain Python: ``run_once`` is one round (what ``rma-station sync --once`` does and what a
QThread can call); ``run_forever`` loops until a ``threading.Event`` is set, waiting
``interval`` seconds after a good round and a jittered, growing delay after a failed one;
``start``/``stop`` run that loop in a daemon thread. Every round first checks that central is the one the
station's cursor belongs to and that its station number is its own (``station.sync.identity``),
and ends by copying central's open conflicts to the station. A failed round never loses anything:
events stay pending until central has committed them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from station.core.context import StationContext
from station.core.db import make_session_factory
from station.core.photos import PhotoStore
from station.models import utcnow
from station.resolution.commitments import Settled, settle
from station.resolution.queue import ResolutionQueue
from station.rtv.commitments import CreditsSettled
from station.rtv.commitments import settle as settle_credits
from station.sync.backoff import Backoff
from station.sync.central_setup import require_central_schema
from station.sync.conflict_mirror import pull_conflicts
from station.sync.errors_in_words import describe
from station.sync.fence import Fence, current_fence, rejoin
from station.sync.history import CentralLostHistory, HistoryLost, remember_acked, station_acked
from station.sync.identity import central_id_of, meet_central, rebind, register_station
from station.sync.lost_parcels import VoidReport, void_lost_parcels
from station.sync.pull import PULL_TABLES, Puller, PullReport
from station.sync.push import BATCH_SIZE, Pusher, PushReport
from station.sync.status import SyncStatus, read_status, record_run

log = logging.getLogger(__name__)


@dataclass
class SyncRound:
    """The outcome of one round; ``error`` is empty when it went through."""

    push: PushReport = field(default_factory=PushReport)
    pull: PullReport = field(default_factory=PullReport)
    error: str = ""
    open_conflicts: int = 0
    history_lost: HistoryLost | None = None
    """Central turned out to be a copy or an older backup; what it lost was sent again."""
    voided: VoidReport = field(default_factory=VoidReport)
    """This dock's receipts voided because a supervisor kept another dock's (duplicate parcels)."""
    fence: Fence | None = None
    """Central's fence on commitments after a restore, after this round (``station.sync.fence``)."""
    settled: Settled = field(default_factory=Settled)
    """This dock's pending resolutions central took (now effective) or refused (voided)."""
    credits: CreditsSettled = field(default_factory=CreditsSettled)
    """This dock's pending RTV credits central took (the batch credited) or refused (voided)."""

    @property
    def ok(self) -> bool:
        return not self.error


class SyncWorker:
    def __init__(self, local: Engine, central: Engine | Callable[[], Engine], station_id: str, *,
                 interval: float = 5.0, batch_size: int = BATCH_SIZE, pull_tables: tuple[str, ...] = PULL_TABLES,
                 photos: PhotoStore | None = None, backoff: Backoff | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None, station_no: int | None = None) -> None:
        self.local = local
        self._central = central
        self._central_engine: Engine | None = central if isinstance(central, Engine) else None
        self.station_id = station_id
        self.station_no = station_no
        self.interval = interval
        self.batch_size = batch_size
        self.pull_tables = pull_tables
        self.photos = photos
        self.backoff = backoff or Backoff()
        self.on_status = on_status
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._checked_schema = False
        self._wake = threading.Event()
        self.next_wait = 0.0

    @property
    def central(self) -> Engine:
        if self._central_engine is None:
            self._central_engine = self._central()  # type: ignore[operator]
        return self._central_engine

    def run_once(self) -> SyncRound:
        """Push everything pending, then pull; record the outcome for the status bar."""
        result = SyncRound()
        try:
            if not self._checked_schema:
                require_central_schema(self.central)
                self._checked_schema = True
            meeting = meet_central(self.local, self.central, self.station_id, self.station_no)
            result.history_lost = meeting.history_lost
            try:
                self._push_and_pull(result, meeting.fence)
            except CentralLostHistory as exc:  # restored since the meeting: meet it again, once
                log.warning("%s", exc)
                meeting = meet_central(self.local, self.central, self.station_id, self.station_no)
                result.history_lost = result.history_lost or meeting.history_lost
                self._push_and_pull(result, meeting.fence)
        except Exception as exc:  # noqa: BLE001 - any failure is shown and retried, never fatal
            result.error = describe(exc)
            log.warning("sync round failed: %s", result.error, exc_info=log.isEnabledFor(logging.DEBUG))
            wait = self.backoff.failed()
            self._record(ok=False, error=result.error, wait=wait, conflicts=result.push.conflicts)
            self.next_wait = wait
            return result
        self.backoff.succeeded()
        self.next_wait = self.interval
        # A refused audit log is an error of the round (``sync --once`` fails with it, the status
        # line carries it) but not a failure to back off from: everything else went through.
        result.error = result.push.audit_refused
        self._record(ok=True, error="", wait=self.interval, conflicts=result.push.conflicts,
                     audit_refused=result.push.audit_refused)
        return result

    def _push_and_pull(self, result: SyncRound, met: Fence | None = None) -> None:
        result.push = Pusher(self.local, self.central, self.station_id, batch_size=self.batch_size,
                             photos=self.photos).push_all()
        if met is not None:  # central is fenced after a restore: this station has re-sent what it lost
            result.fence = self._rejoin(met, result.push)
        result.settled = settle(self.local, self.station_id, self.central)
        result.credits = settle_credits(self.local, self.station_id, self.central)
        registered = self.station_id if self.station_no is not None else None
        result.pull = Puller(self.local, self.central, tables=self.pull_tables, station_id=registered).pull_all()
        if result.pull.applied:  # derived tables follow what came down (the analytics days are marked by the pull)
            ResolutionQueue(StationContext(make_session_factory(self.local), station_id=self.station_id)).rebuild()
        result.open_conflicts = pull_conflicts(self.local, self.central)
        result.voided = void_lost_parcels(self.local, self.central, self.station_id)

    def _rejoin(self, met: Fence, push: PushReport) -> Fence | None:
        """Tell central this station owes nothing more (``station.sync.fence``); central's fence as
        it stands after that (``None``: lifted). An effective resolution's update held while its
        creation waits in the queue means something is still owed: it goes next round."""
        with self.central.begin() as conn:
            if self.station_no is not None and not push.held_orphans:
                rejoin(conn, self.station_id, met.fence_id)
            return current_fence(conn)

    def start_over(self) -> SyncRound:
        """Move this station to the central its URL names, for good: bind the cursor to that
        central, push the changes waiting here (none is dropped: they go to the new central),
        then pull everything from the start. Records central lacks stay on the station."""
        result = SyncRound()
        require_central_schema(self.central)
        with self.central.begin() as conn:
            central_id = central_id_of(conn)
            if self.station_no is not None:
                register_station(conn, self.station_id, self.station_no)
                # This central starts from here: what the station sent elsewhere is not "lost".
                remember_acked(conn, self.station_id, [station_acked(self.local)])
        rebind(self.local, central_id)
        try:
            self._push_and_pull(result)
        except Exception as exc:  # noqa: BLE001 - shown like any round; the next round carries on
            result.error = describe(exc)
            self._record(ok=False, error=result.error, wait=self.backoff.failed(), conflicts=result.push.conflicts)
            return result
        self.backoff.succeeded()
        result.error = result.push.audit_refused
        self._record(ok=True, error="", wait=self.interval, conflicts=result.push.conflicts,
                     audit_refused=result.push.audit_refused)
        return result

    def _record(self, *, ok: bool, error: str, wait: float, conflicts: int,
                audit_refused: str | None = None) -> None:
        try:
            record_run(self.local, ok=ok, error=error, conflicts=conflicts, failures=self.backoff.failures,
                       next_attempt_at=utcnow() + dt.timedelta(seconds=wait), audit_refused=audit_refused)
            if self.on_status is not None:
                self.on_status(read_status(self.local))
        except Exception:  # noqa: BLE001 - a busy local database must not kill the loop
            log.exception("could not record the sync status")

    def run_forever(self, stop: threading.Event | None = None) -> None:
        """Rounds until ``stop`` (or ``self.stop()``) is set."""
        stop = stop or self._stop
        while not stop.is_set():
            self.run_once()
            deadline = time.monotonic() + self.next_wait
            while not (stop.is_set() or self._wake.is_set()) and time.monotonic() < deadline:
                stop.wait(min(0.5, max(0.0, deadline - time.monotonic())))
            self._wake.clear()

    def start(self) -> threading.Thread:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name=f"sync-{self.station_id}", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Start the next round now (the window's "sync now", or right after a receipt)."""
        self._wake.set()
