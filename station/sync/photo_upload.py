"""Photos travel once, by content: the blob is uploaded only if central lacks its hash.

Before a batch leaves, every photo record's file is checked in the local store (it must
exist and still hash to its name); a missing or altered picture quarantines that record
instead of pushing a photo row that points at nothing. In the central transaction the blobs
central does not have are inserted next to the rows; PostgreSQL's ``content_matches_hash``
check recomputes SHA-256 of the bytes on arrival, so a blob damaged on the way is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Connection, select

from station.core.photos import PhotoStore
from station.sync.central_schema import photo_blobs
from station.sync.outbox_queue import PendingEvent, Rejected

log = logging.getLogger(__name__)


def check_photo_files(events: Sequence[PendingEvent], store: PhotoStore) -> tuple[list[PendingEvent], list[Rejected]]:
    """Split off photo events whose picture is missing or no longer matches its hash."""
    good, bad = [], []
    verified: dict[str, bool] = {}
    for event in events:
        if event.entity_type == "photos":
            digest = str(event.payload.get("sha256", ""))
            if digest not in verified:
                verified[digest] = store.verify(digest)
            if not verified[digest]:
                bad.append(Rejected(event.seq, f"photo {digest[:12]} is missing from the photo store or damaged"))
                continue
        good.append(event)
    return good, bad


def upload_missing(conn: Connection, events: Sequence[PendingEvent], store: PhotoStore, pushed_by: str) -> int:
    """Insert the blobs of ``events``' photos that central does not hold yet; returns how many."""
    wanted = {str(e.payload["sha256"]): e for e in events if e.entity_type == "photos"}
    if not wanted:
        return 0
    have = set(conn.scalars(select(photo_blobs.c.sha256).where(photo_blobs.c.sha256.in_(list(wanted)))))
    rows = []
    for digest, event in wanted.items():
        if digest in have:
            continue
        data = store.read(digest)
        rows.append({"sha256": digest, "content_type": event.payload.get("content_type", "image/jpeg"),
                     "size_bytes": len(data), "data": data, "uploaded_by": pushed_by})
    if rows:
        from sqlalchemy.dialects.postgresql import insert

        conn.execute(insert(photo_blobs).on_conflict_do_nothing(index_elements=["sha256"]), rows)
        log.info("uploaded %d photo(s)", len(rows))
    return len(rows)
