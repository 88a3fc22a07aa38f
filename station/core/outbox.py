"""The sync outbox: every change to a synced record writes an event in the same transaction.

Services do not have to remember it: a session hook sees every inserted or updated record
that syncs (``station.models.SYNCED_MODELS``) and writes one outbox row with the record's
full state and version. Sync code that applies rows pulled from the central database sets
``session.info["applying_sync"] = True`` so that what came from central is not sent back.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from station.core.serialize import record_to_dict
from station.models import SYNCED_MODELS, OutboxEvent, OutboxState, utcnow

log = logging.getLogger(__name__)

_SYNCED = tuple(SYNCED_MODELS)


def entity_type_of(obj: Any) -> str:
    return type(obj).__tablename__


@event.listens_for(Session, "after_flush")
def _write_outbox(session: Session, _flush_context: Any) -> None:
    if session.info.get("applying_sync"):
        return
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for operation, objects in (("insert", session.new), ("update", session.dirty)):
        for obj in objects:
            if not isinstance(obj, _SYNCED):
                continue
            if operation == "update" and not session.is_modified(obj, include_collections=False):
                continue
            payload = record_to_dict(obj)
            rows.append(
                {
                    "created_at": now,
                    "station_id": obj.station_id,
                    "entity_type": entity_type_of(obj),
                    "entity_id": obj.id,
                    "entity_version": obj.version,
                    "operation": operation,
                    "payload": payload,
                    "state": OutboxState.PENDING,
                    "attempts": 0,
                    "last_error": "",
                }
            )
    if rows:
        for row in rows:
            row["event_id"] = uuid.uuid4()
        # Core insert on the flush's own connection: same transaction, no nested flush.
        session.connection().execute(insert(OutboxEvent), rows)


@event.listens_for(Session, "before_flush")
def _stamp_station(session: Session, _flush_context: Any, _instances: Any) -> None:
    """New synced records get the station id of the service that opened the session."""
    station_id = session.info.get("station_id")
    if not station_id:
        return
    for obj in session.new:
        if isinstance(obj, _SYNCED) and not obj.station_id:
            obj.station_id = station_id
