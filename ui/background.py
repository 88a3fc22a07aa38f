"""One helper for background work: ``Background.op(fn).success(...).failure(...).write()``.

Every database call from the window runs off the UI thread (STYLE 5). Writes go through a
single-worker executor, so they are serialised in the order the operator acted; reads have
their own single worker so a look-up never waits behind a slow write more than one call.
Results come back to the UI thread through a queued signal; ``fn`` receives nothing from
the widgets (build frozen values before calling ``op``). Tests pass ``SyncExecutor`` for
both, which runs ``fn`` at once and makes every story deterministic.

Signals: ``busy_changed(int)`` -- number of operations still running.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class SyncExecutor(Executor):
    """Runs each call immediately on the caller's thread (tests, benchmarks)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered to the op's failure handler
            future.set_exception(exc)
        return future


class Background(QObject):
    """Owner of the read and write executors and the relay back to the UI thread."""

    busy_changed = Signal(int)
    _finished = Signal(object, object)

    def __init__(self, reads: Executor | None = None, writes: Executor | None = None,
                 parent: QObject | None = None, *, housekeeping: Executor | None = None) -> None:
        super().__init__(parent)
        self.reads = reads or ThreadPoolExecutor(1, thread_name_prefix="db-read")
        self.writes = writes or ThreadPoolExecutor(1, thread_name_prefix="db-write")
        # Periodic status counts get their own lane so a slow count never delays a scan's look-up.
        self.housekeeping = housekeeping or (reads if isinstance(reads, SyncExecutor) else
                                             ThreadPoolExecutor(1, thread_name_prefix="db-status"))
        self.busy = 0
        self.closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.AutoConnection)

    def op(self, fn: Callable[[], T], parent: QObject | None = None) -> Op[T]:
        return Op(self, fn, parent)

    def shutdown(self) -> None:
        """Finish queued work (a sign-out audit, a receipt) and refuse new work."""
        self.closed = True
        for executor in {self.reads, self.writes, self.housekeeping}:
            executor.shutdown(wait=True, cancel_futures=False)

    def _submit(self, op: Op[Any], executor: Executor) -> None:
        if self.closed:
            log.warning("background operation refused: the station is shutting down")
            return
        self.busy += 1
        self.busy_changed.emit(self.busy)
        future = executor.submit(op.fn)
        # Emitted on the worker thread; the receiver lives on the UI thread -> queued.
        future.add_done_callback(lambda f: self._finished.emit(op, f))

    def _deliver(self, op: Op[Any], future: Future[Any]) -> None:
        self.busy -= 1
        try:
            op._complete(future)
        finally:
            self.busy_changed.emit(self.busy)


class Op(Generic[T]):
    """One background operation; callbacks run on the UI thread, only if ``parent`` lives."""

    def __init__(self, background: Background, fn: Callable[[], T], parent: QObject | None) -> None:
        self.background = background
        self.fn = fn
        self.parent = parent
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self._on_failure = callback
        return self

    def read(self) -> None:
        """Run on the read executor (look-ups)."""
        self.background._submit(self, self.background.reads)

    def housekeeping(self) -> None:
        """Run on the status lane (periodic counts the operator does not wait for)."""
        self.background._submit(self, self.background.housekeeping)

    def write(self) -> None:
        """Run on the single write executor (anything that writes the database)."""
        self.background._submit(self, self.background.writes)

    def _complete(self, future: Future[T]) -> None:
        if self.parent is not None and not shiboken6.isValid(self.parent):
            log.debug("op result dropped: its view is gone")
            return
        exc = future.exception()
        if exc is None:
            if self._on_success is not None:
                self._on_success(future.result())
            return
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            log.error("background operation failed with no handler", exc_info=exc)
