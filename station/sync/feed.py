"""The change feed: which central records changed since a station's cursor.

Statement-level triggers append one ``sync_changes`` entry per changed record: the writing
transaction's id (``xid``, 64-bit, from ``pg_current_xact_id()``), a sequence number, the
table and the record id. Entries are never updated, and nothing numbers them after commit.

The cursor a station keeps is a PostgreSQL snapshot (``pg_current_snapshot()``, text
``xmin:xmax:running-xids``), as PgQ does it. One pull round takes a new snapshot ``upto`` and
reads the entries of the transactions that are finished in ``upto`` but were not finished in
the station's ``since`` snapshot (``pg_visible_in_snapshot``), in (xid, seq) order, page by
page; then ``upto`` becomes the new ``since``. Why no change is ever skipped:

- a transaction still running when ``upto`` was taken is not visible in it, so none of its
  entries are read in this round; it is visible in a later snapshot and not in this one, so
  the next round reads it - however early it started and whatever numbers it drew;
- the set of entries of a round is fixed the moment ``upto`` is taken (finished transactions
  write nothing more), so paging through it by (xid, seq) cannot miss an entry either;
- a record is read in its current state when its entry is read, which is at least as new as
  the change the entry stands for.

This replaces a "sequencer" that numbered committed entries in a second UPDATE (every entry
written twice, one sequencer at a time, and only on the primary). Pulls are read-only, so
they can run on a streaming replica. A transaction left open on central delays nothing but
itself: other transactions' changes still arrive (unlike a rule "only below the oldest
running xid"). Records of upstream systems (the web shop inserting RMAs straight into
central) enter the feed the same way: the trigger does not care who wrote the row.

Writers need nothing special; ``note_changes`` re-enters records by hand (a conflict puts
the winner back in the feed so the losing station pulls it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

START = "1:1:"
"""A snapshot in which no transaction is finished yet: a new station's ``since``."""


@dataclass(frozen=True)
class Round:
    """The feed entries of transactions finished in ``upto`` but not in ``since``."""

    since: str
    upto: str

    @property
    def params(self) -> dict[str, Any]:
        return {"since": self.since, "upto": self.upto,
                "lo": self.since.split(":", 1)[0], "hi": self.upto.split(":", 2)[1]}


IN_ROUND = ("c.xid >= %(lo)s::xid8 AND c.xid < %(hi)s::xid8 "
            "AND pg_visible_in_snapshot(c.xid, %(upto)s::pg_snapshot) "
            "AND NOT pg_visible_in_snapshot(c.xid, %(since)s::pg_snapshot)")
"""SQL condition on ``sync_changes c``: the entry belongs to the round (psycopg parameters
``Round.params``). ``lo``/``hi`` bound the primary-key range scan."""


def current_snapshot(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar_one())


def note_changes(conn: Connection, entity_type: str, ids: Sequence[Any]) -> None:
    """Put records back into the feed (in the caller's transaction)."""
    conn.exec_driver_sql("INSERT INTO sync_changes (entity_type, entity_id) SELECT %s, unnest(%s::uuid[])",
                         (entity_type, list(ids)))
