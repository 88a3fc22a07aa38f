"""Turning records into plain JSON values (for the outbox, audit details and exports)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect as sa_inspect


def to_json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None  # binary payloads (rendered labels) do not travel in events
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(v) for v in value]
    return value


def record_to_dict(obj: object) -> dict[str, Any]:
    """Every mapped column of ``obj`` as a JSON-safe value, keyed by column name."""
    mapper = sa_inspect(obj).mapper
    return {
        attr.key: to_json_value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
    }


def canonical_json(value: Any) -> str:
    """Stable text for hashing: sorted keys, no whitespace, non-ASCII kept as is."""
    return json.dumps(to_json_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
