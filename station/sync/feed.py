"""The change feed: which central records changed since a station's cursor.

Triggers write one ``sync_changes`` row per changed record with ``change_seq`` empty. The
sequencer numbers those rows *after* the writing transactions committed: it takes an advisory
lock (one sequencer at a time), skips rows still locked by an open writer, and draws numbers
from a sequence. Numbers therefore only ever appear in increasing order, so a station that
has seen everything up to N never misses a change that commits later with a lower number -
the classic gap of a plain bigserial read by cursor, where a slow transaction commits number
10 after a reader already moved past 11.

Records of upstream systems (the web shop inserting RMAs straight into central) enter the
feed the same way: the trigger does not care who wrote the row.

Parents are numbered before children in a run (operators, products, RMAs, lines...), so a
station pulling from scratch mostly meets parents first; the puller fetches any parent it
still lacks.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text

from station.sync.central_schema import FEED_TABLES

log = logging.getLogger(__name__)

SEQUENCER_LOCK = 70_2607
RUN_LIMIT = 200_000

_RANK = " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(FEED_TABLES))
_NUMBER = f"""
WITH todo AS (
    SELECT entity_type, entity_id FROM sync_changes WHERE change_seq IS NULL
    ORDER BY CASE entity_type {_RANK} ELSE 99 END, entity_id
    LIMIT :limit FOR UPDATE SKIP LOCKED
), numbered AS (
    SELECT entity_type, entity_id, nextval('sync_change_seq') AS seq FROM todo
)
UPDATE sync_changes c SET change_seq = n.seq FROM numbered n
WHERE c.entity_type = n.entity_type AND c.entity_id = n.entity_id
"""


def sequence_changes(central: Engine) -> int:
    """Number the committed, not yet numbered changes; returns how many were numbered.

    If another station is sequencing right now this returns 0 at once: its numbers become
    visible when it commits, and whatever it skipped is numbered by the next run.
    """
    total = 0
    while True:
        with central.begin() as conn:
            if not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SEQUENCER_LOCK}).scalar():
                return total
            numbered = conn.execute(text(_NUMBER), {"limit": RUN_LIMIT}).rowcount
        total += numbered
        if numbered < RUN_LIMIT:
            if total:
                log.debug("sequenced %d change(s)", total)
            return total
