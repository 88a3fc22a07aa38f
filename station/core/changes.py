"""What changed in the database, told once after each commit.

Views must show what is true without polling and without every action remembering to
refresh every list it might have touched (that is how "awaiting approval" stayed on screen
after the approval). So the station says what changed, in one place: the engine itself.

Every INSERT, UPDATE or DELETE a transaction runs through SQLAlchemy (an ORM flush, a Core
statement, raw SQL text) adds its table to the connection's pending set, and code that writes
through the driver itself (the sync pull's ``executemany``, a bulk COPY) says so with
``wrote``; a rollback forgets the set; a
commit keeps it, and once the connection is handed back to the pool (the commit is then
durable and visible to any other reader) subscribers are told which tables changed. A
connection that commits twice before it is handed back is reported once, with both sets.

Subscribers run on the committing thread; the window relays them to its own thread
(``ui/changes.py``). Changes made by another process (a command-line ``rma-station`` run
beside the window) are not seen here.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+
        (?:ONLY\s+)?(?:"?\w+"?\.)?"?(\w+)"?""", re.IGNORECASE | re.VERBOSE)

_PENDING = "station_changes_pending"
_COMMITTED = "station_changes_committed"


@dataclass(frozen=True)
class Change:
    """The tables one or more committed transactions wrote."""

    tables: frozenset[str]

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)


Subscriber = Callable[[Change], None]


def written_table(statement: str) -> str | None:
    """The table an SQL statement writes, or None for a read (or anything else)."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


class ChangeFeed:
    """The subscribers of one engine's commits. Get it with ``feed_for(engine)``."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._tables_of: dict[str, str | None] = {}

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` after each commit that wrote something; returns the unsubscribe."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def publish(self, change: Change) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(change)
            except Exception:  # noqa: BLE001 - one broken listener must not fail the commit's caller
                log.exception("change subscriber failed")

    # -- engine events ---------------------------------------------------------------------

    def _written(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        table = self._tables_of.get(statement, "")
        if table == "":
            table = written_table(statement)
            if len(self._tables_of) < 4096:  # statements are cached SQL: a few hundred shapes
                self._tables_of[statement] = table
        if table is not None:
            conn.info.setdefault(_PENDING, set()).add(table)

    @staticmethod
    def _committed(conn: Any) -> None:
        pending = conn.info.pop(_PENDING, None)
        if pending:
            conn.info.setdefault(_COMMITTED, set()).update(pending)

    @staticmethod
    def _rolled_back(conn: Any) -> None:
        conn.info.pop(_PENDING, None)

    def _returned(self, _dbapi_conn: Any, record: Any) -> None:
        record.info.pop(_PENDING, None)  # never committed: a transaction left open is rolled back
        tables = record.info.pop(_COMMITTED, None)
        if tables:
            self.publish(Change(frozenset(tables)))


def wrote(conn: Any, *tables: str) -> None:
    """Declare tables written on ``conn`` behind SQLAlchemy's back (the sync pull's raw
    ``executemany``, a bulk COPY): they are reported with the transaction's commit."""
    conn.info.setdefault(_PENDING, set()).update(tables)


_feeds: weakref.WeakKeyDictionary[Engine, ChangeFeed] = weakref.WeakKeyDictionary()
_feeds_lock = threading.Lock()


def feed_for(engine: Engine) -> ChangeFeed:
    """The engine's change feed, listening from the first call on (idempotent)."""
    with _feeds_lock:
        feed = _feeds.get(engine)
        if feed is None:
            feed = _feeds[engine] = ChangeFeed()
            event.listen(engine, "after_cursor_execute", feed._written)
            event.listen(engine, "commit", feed._committed)
            event.listen(engine, "rollback", feed._rolled_back)
            event.listen(engine.pool, "checkin", feed._returned)
        return feed
