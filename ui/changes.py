"""The window's one change signal: the station's commits, relayed to the UI thread.

``station/core/changes.py`` tells what each commit wrote (the kinds of record, and which
records where the writer named them), on the committing thread (the write executor, the sync
worker, the print spooler). ``ChangeSignal`` re-emits that as a Qt signal, which reaches
widgets on the UI thread through a queued connection. A list or a count does not refresh by
hand after an action; it follows the kinds it shows with ``follow`` (and, for a view of a few
records, those records), so a change made anywhere in the window (another tab, a dialog, a
sync pull) shows everywhere it matters, and nothing polls.

Signals: ``changed(Change)`` -- after each commit (or a connection's commits) that wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine

from station.core.changes import Change, feed_for


class ChangeSignal(QObject):
    changed = Signal(object)

    def __init__(self, engine: Engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = feed_for(engine).subscribe(self.changed.emit)
        self.destroyed.connect(self.close)

    def close(self) -> None:
        """Stop listening (the window closes; a worker's late commit must not reach a dead object)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class ChangeFollower(QObject):
    """Calls ``refresh`` when a change touches ``kinds`` (only the records ``shown()`` names,
    if given: a view of one RMA ignores the other RMAs): soon if the widget shows, else the
    next time it is shown (``hidden_too``: soon either way, for a count kept for later).
    Changes arriving together are one refresh (``delay_ms``)."""

    def __init__(self, widget: QWidget, changes: ChangeSignal, kinds: Iterable[str],
                 refresh: Callable[[], None], *, shown: Callable[[], Collection[Any]] | None = None,
                 delay_ms: int = 50, hidden_too: bool = False) -> None:
        super().__init__(widget)
        self.widget = widget
        self.hidden_too = hidden_too
        self.kinds = frozenset(kinds)
        self.shown = shown
        self.refresh = refresh
        self.stale = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._refresh_now)
        changes.changed.connect(self._changed)
        widget.installEventFilter(self)

    def _changed(self, change: Change) -> None:
        if not change.touches(self.kinds, None if self.shown is None else self.shown()):
            return
        if self.hidden_too or self.widget.isVisible():
            self.timer.start()
        else:
            self.stale = True

    def settled(self) -> None:
        """The widget just reloaded by other means (its tab came to the front): nothing pending."""
        self.stale = False
        self.timer.stop()

    def _refresh_now(self) -> None:
        self.stale = False
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.widget and event.type() == QEvent.Type.Show and self.stale:
            self.timer.start()
        return False


def follow(widget: QWidget, changes: ChangeSignal | None, kinds: Iterable[str], refresh: Callable[[], None], *,
           shown: Callable[[], Collection[Any]] | None = None, delay_ms: int = 50,
           hidden_too: bool = False) -> ChangeFollower | None:
    """Keep ``widget`` true to the records of ``kinds`` (those ``shown()`` returns the ids of,
    when given); ``changes`` is None where no window runs (a screenshot script building one
    view alone)."""
    if changes is None:
        return None
    return ChangeFollower(widget, changes, kinds, refresh, shown=shown, delay_ms=delay_ms, hidden_too=hidden_too)
