"""What changed in the database, told once after each commit.

Views must show what is true without polling and without every action remembering to
refresh every list it might have touched (that is how "awaiting approval" stayed on screen
after the approval). So each write says what it changed, the way Anki's ``OpChanges`` does,
and views listen for the kinds of record they show. Nothing reads SQL text to guess.

What a transaction wrote is collected on its connection, from three sources that each know
it for a fact:

- an ORM flush names every record it inserted, updated or deleted (``session.new``,
  ``dirty`` with a real change, ``deleted``): (kind, primary key);
- a Core ``insert``/``update``/``delete`` construct knows its table from the statement
  object; it does not say which rows it touched, so its kind is reported *unnamed* (any
  record of that kind may have changed);
- anything else (``text()`` SQL, ``exec_driver_sql``, the driver's own ``executemany`` or
  COPY) is not seen, and its writer must ``declare`` it.

A rollback forgets what the transaction collected; a commit keeps it, and once the
connection is handed back to the pool (the commit is then durable and visible to any other
reader) subscribers get one ``Change``. A connection that commits twice before it is handed
back is reported once, with both. A savepoint rolled back is still reported: a view reloads
once for nothing, which is harmless, where a change missed is not.

The kind of a record is its entity type as the outbox, the audit log and the sync feed
already name it: its table's name (``"rmas"``, ``"units"``). Subscribers run on the
committing thread; the window relays them to its own thread (``ui/changes.py``). Changes
made by another process (a command-line ``rma-station`` run beside the window) are not seen
here.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Delete, Engine, Insert, Update, event, inspect
from sqlalchemy.orm import Mapper, Session

log = logging.getLogger(__name__)

Record = tuple[str, Any]
"""One record: (kind, primary key); for a synced record the pair the outbox and the sync feed
carry (entity type, id)."""

NAMED_AT_MOST = 1000
"""Records of one kind named in one report; past that the kind is reported unnamed (a
first pull or a bulk import must not carry a million ids to every view)."""

_WRITTEN = "station_changes_written"
_COMMITTED = "station_changes_committed"
_FLUSHING = "station_changes_flushing"


@dataclass(frozen=True)
class Change:
    """What one or more committed transactions wrote.

    ``records``: each record written by name, as (kind, id). ``unnamed``: the kinds written
    by statements that did not name their rows (a Core ``UPDATE ... WHERE``, a pull, a COPY):
    any record of these kinds may have changed.
    """

    records: frozenset[Record] = frozenset()
    unnamed: frozenset[str] = frozenset()

    @cached_property
    def kinds(self) -> frozenset[str]:
        """Every kind of record written, named or not."""
        return self.unnamed | {kind for kind, _id in self.records}

    def touches(self, kinds: Iterable[str], ids: Collection[Any] | None = None) -> bool:
        """Whether this change may alter a view showing ``kinds`` (only the records ``ids``
        of them, when the view says which it shows)."""
        kinds = frozenset(kinds)
        if ids is None:
            return not self.kinds.isdisjoint(kinds)
        if not self.unnamed.isdisjoint(kinds):
            return True
        return any(kind in kinds and id_ in ids for kind, id_ in self.records)


Subscriber = Callable[[Change], None]


class _Written:
    """What one connection's transaction wrote, kept in the connection's ``info``."""

    __slots__ = ("named", "unnamed")

    def __init__(self) -> None:
        self.named: dict[str, set[Any]] = {}
        self.unnamed: set[str] = set()

    def add(self, kind: str, ids: Iterable[Any] | None) -> None:
        """Records of ``kind`` by id; ``None``: some records of ``kind``, not named."""
        if ids is None or kind in self.unnamed:
            self.unnamed.add(kind)
            self.named.pop(kind, None)
            return
        named = self.named.setdefault(kind, set())
        named.update(ids)
        if len(named) > NAMED_AT_MOST:
            self.add(kind, None)

    def merge(self, other: _Written) -> None:
        for kind in other.unnamed:
            self.add(kind, None)
        for kind, ids in other.named.items():
            self.add(kind, ids)

    def change(self) -> Change:
        return Change(frozenset((kind, id_) for kind, ids in self.named.items() for id_ in ids),
                      frozenset(self.unnamed))

    def __bool__(self) -> bool:
        return bool(self.unnamed) or any(self.named.values())


def _written(conn: Connection) -> _Written:
    written: _Written | None = conn.info.get(_WRITTEN)
    if written is None:
        written = conn.info[_WRITTEN] = _Written()
    return written


def declare(where: Session | Connection, kind: str, ids: Iterable[Any] | None = None) -> None:
    """Say what a write SQLAlchemy cannot see changed (``text()`` SQL, ``exec_driver_sql``,
    the driver's ``executemany`` or COPY): the records ``ids`` of ``kind``, or, with no ids,
    some records of ``kind``. Reported with the transaction's commit, forgotten with its
    rollback."""
    conn = where.connection() if isinstance(where, Session) else where
    if conn.engine in _feeds:  # else nobody follows this database (central, a script): nothing to keep
        _written(conn).add(kind, ids)


class ChangeFeed:
    """The subscribers of one engine's commits. Get it with ``feed_for(engine)``."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

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

    @staticmethod
    def _executed(conn: Connection, statement: Any, multiparams: list[Any], _params: Any, _options: Any,
                  result: Any) -> None:
        """A Core write construct: its table is a fact of the statement object. During a
        flush the ORM names the rows itself (``_flushed``), so its statements are skipped."""
        if not isinstance(statement, Insert | Update | Delete) or conn.info.get(_FLUSHING):
            return
        dialect = conn.dialect
        counts = dialect.supports_sane_multi_rowcount if len(multiparams) > 1 else dialect.supports_sane_rowcount
        if counts and result.rowcount == 0:
            return  # an UPDATE whose WHERE matched nothing changed nothing
        table: Any = statement.table  # a Table, or an alias of one
        _written(conn).add(getattr(table, "original", table).name, None)

    @staticmethod
    def _committed(conn: Connection) -> None:
        conn.info.pop(_FLUSHING, None)
        written = conn.info.pop(_WRITTEN, None)
        if written:
            committed = conn.info.get(_COMMITTED)
            if committed is None:
                conn.info[_COMMITTED] = written
            else:
                committed.merge(written)

    @staticmethod
    def _rolled_back(conn: Connection) -> None:
        conn.info.pop(_FLUSHING, None)
        conn.info.pop(_WRITTEN, None)

    @staticmethod
    def _savepoint_rolled_back(conn: Connection, *_args: Any) -> None:
        conn.info.pop(_FLUSHING, None)  # a flush that failed inside a savepoint ends there

    def _returned(self, _dbapi_conn: Any, record: Any) -> None:
        record.info.pop(_FLUSHING, None)
        record.info.pop(_WRITTEN, None)  # never committed: a transaction left open is rolled back
        committed = record.info.pop(_COMMITTED, None)
        if committed:
            self.publish(committed.change())


# -- ORM events (every session; only followed engines pay more than a lookup) ---------------

def _flushing(_mapper: Mapper[Any], conn: Connection, _target: Any) -> None:
    """A flush is about to write on ``conn``: its statements are named by ``_flushed``."""
    if conn.engine in _feeds:
        conn.info[_FLUSHING] = True


def _flushed(session: Session, _flush_context: Any) -> None:
    """Name what the flush wrote. Runs before other ``after_flush`` hooks (``insert=True``), so
    the Core writes those hooks make (the outbox's insert) are seen as statements again."""
    conn = session.connection()
    if conn.engine not in _feeds:
        return
    conn.info.pop(_FLUSHING, None)
    written = _written(conn)
    for obj in session.new | session.deleted:
        _add_record(written, obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _add_record(written, obj)


def _add_record(written: _Written, obj: Any) -> None:
    mapper = inspect(obj).mapper
    key = mapper.primary_key_from_instance(obj)
    written.add(mapper.local_table.name, (key[0] if len(key) == 1 else tuple(key),))


for _name in ("before_insert", "before_update", "before_delete"):
    event.listen(Mapper, _name, _flushing)
event.listen(Session, "after_flush", _flushed, insert=True)


_feeds: weakref.WeakKeyDictionary[Engine, ChangeFeed] = weakref.WeakKeyDictionary()
_feeds_lock = threading.Lock()


def feed_for(engine: Engine) -> ChangeFeed:
    """The engine's change feed, listening from the first call on (idempotent)."""
    with _feeds_lock:
        feed = _feeds.get(engine)
        if feed is None:
            feed = _feeds[engine] = ChangeFeed()
            event.listen(engine, "after_execute", feed._executed)
            event.listen(engine, "commit", feed._committed)
            event.listen(engine, "rollback", feed._rolled_back)
            event.listen(engine, "rollback_savepoint", feed._savepoint_rolled_back)
            event.listen(engine.pool, "checkin", feed._returned)
        return feed
