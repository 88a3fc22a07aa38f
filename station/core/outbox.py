"""The sync outbox: every change to a synced record writes an event in the same transaction.

Services do not have to remember it: a session hook sees every inserted or updated record
that syncs (``station.models.SYNCED_MODELS``) and writes one outbox row with the record's
full state and version. Sync code that applies rows pulled from the central database sets
``session.info["applying_sync"] = True`` so that what came from central is not sent back.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from station.core.serialize import record_to_dict
from station.models import SYNCED_MODELS, OutboxEvent, OutboxState, utcnow

log = logging.getLogger(__name__)

_SYNCED = tuple(SYNCED_MODELS)


def entity_type_of(obj: Any) -> str:
    return type(obj).__tablename__


def outbox_row(*, station_id: str, entity_type: str, entity_id: Any, version: int, operation: str,
               payload: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    """The outbox row for one written record version: what this hook writes after a flush,
    and what writers that insert many rows with one statement add for each of theirs."""
    return {"event_id": uuid.uuid4(), "created_at": at, "station_id": station_id, "entity_type": entity_type,
            "entity_id": entity_id, "entity_version": version, "operation": operation, "payload": payload,
            "state": OutboxState.PENDING, "attempts": 0, "last_error": ""}


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
            rows.append(outbox_row(station_id=obj.station_id, entity_type=entity_type_of(obj), entity_id=obj.id,
                                   version=obj.version, operation=operation, payload=record_to_dict(obj), at=now))
    if rows:
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


def insert_answered(session: Session, entity_type: str, entity_id: uuid.UUID) -> bool:
    """Central has answered for the record's insert (taken, or kept as a conflict): its outbox
    event was sent. A commitment whose insert still waits in the outbox (or was quarantined)
    stays pending (``station.resolution.commitments``, ``station.rtv.commitments``)."""
    o = OutboxEvent
    state = session.scalar(select(o.state).where(o.entity_type == entity_type, o.entity_id == entity_id,
                                                 o.operation == "insert").order_by(o.seq).limit(1))
    return state == OutboxState.SENT
