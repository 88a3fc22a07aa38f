"""Checking outbox payloads before they travel: a bad event is refused here, alone.

A payload is the full row as JSON (``station.serialize``). Before it goes into a central
transaction every value is checked against its column: type, length, range, enum value, no
NUL characters (PostgreSQL text cannot hold them), id and version matching the event. One
event that would make PostgreSQL raise would otherwise fail the whole batch and, retried,
block the queue for ever; refused here, it is quarantined with the reason and the rest flows.

The checked row comes back as typed Python values (UUID, aware datetime, Decimal...) in
column order, ready for COPY or for a Core insert.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, Enum, Integer, LargeBinary, Numeric, String, Table, Text, Uuid,
)

from station.models import SYNCED_MODELS
from station.models.base import UtcDateTime

MAX_PAYLOAD_CHARS = 1_000_000
OPERATIONS = ("insert", "update")


class PayloadRejected(ValueError):
    """An event that must not be applied; ``str()`` is the reason kept with it."""


Check = Callable[[Any], Any]


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise PayloadRejected("contains a NUL character")
    return text


_ENCODE = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def _string(length: int | None) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise PayloadRejected(f"must be text, not {type(value).__name__}")
        if length is not None and len(value) > length:
            raise PayloadRejected(f"is {len(value)} characters long; at most {length}")
        return _no_nul(value)
    return check


def _enum(values: list[str], length: int | None) -> Check:
    allowed = frozenset(values)
    base = _string(length)

    def check(value: Any) -> str:
        value = base(value)
        if value not in allowed:
            raise PayloadRejected(f"is {value[:40]!r}, not one of the allowed values")
        return value
    return check


def _integer(bits: int) -> Check:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PayloadRejected(f"must be a whole number, not {type(value).__name__}")
        if not low <= value <= high:
            raise PayloadRejected("is out of range")
        return value
    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise PayloadRejected(f"must be true or false, not {type(value).__name__}")
    return value


def _numeric(precision: int | None, scale: int | None) -> Check:
    limit = Decimal(10) ** ((precision or 18) - (scale or 0))

    def check(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise PayloadRejected("must be a decimal number written as text")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise PayloadRejected(f"is {str(value)[:40]!r}, not a number") from None
        if not number.is_finite() or abs(number) >= limit:
            raise PayloadRejected("is out of range")
        return number
    return check


def _uuid(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise PayloadRejected("must be a UUID written as text")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PayloadRejected(f"is {value[:40]!r}, not a UUID") from None


def _timestamp(value: Any) -> dt.datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise PayloadRejected("must be an ISO timestamp")
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PayloadRejected(f"is {value[:40]!r}, not an ISO timestamp") from None
    if stamp.tzinfo is None:
        raise PayloadRejected("has no time zone")
    if not 1900 <= stamp.year <= 9999:
        raise PayloadRejected("is out of range")
    return stamp


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or len(value) > 10:
        raise PayloadRejected("must be an ISO date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PayloadRejected(f"is {value[:12]!r}, not an ISO date") from None


def _json(value: Any) -> Any:
    if "\\u0000" in _ENCODE(value):
        raise PayloadRejected("contains a NUL character")
    return value


def _as_is(value: Any) -> Any:
    return value


def _binary(value: Any) -> bytes:
    # Rendered label bytes do not travel (serialize.py sends None); central keeps an empty value.
    if value is not None:
        raise PayloadRejected("binary columns do not travel in events")
    return b""


def _checker(column: Any) -> Check:
    kind = column.type
    if isinstance(kind, Enum):
        return _enum(list(kind.enums), kind.length)
    if isinstance(kind, UtcDateTime):
        return _timestamp
    if isinstance(kind, Uuid):
        return _uuid
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, BigInteger):
        return _integer(64)
    if isinstance(kind, Integer):
        return _integer(32)
    if isinstance(kind, Numeric):
        return _numeric(kind.precision, kind.scale)
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, JSON):
        return _json
    if isinstance(kind, LargeBinary):
        return _binary
    if isinstance(kind, String | Text):
        return _string(getattr(kind, "length", None))
    raise TypeError(f"no payload check for column {column} of type {kind!r}")  # a new column type


@dataclass(frozen=True)
class TableShape:
    """How to check one synced table's payloads; ``columns`` is the order of checked rows."""

    table: Table
    columns: tuple[str, ...]
    checks: tuple[tuple[str, Check, bool], ...]
    nul_free_checks: tuple[tuple[str, Check, bool], ...]
    """The same checks minus the NUL hunt, for payload text with no ``\\u0000`` in it at all."""


SHAPES: dict[str, TableShape] = {}
for _model in SYNCED_MODELS:
    _table: Table = _model.__table__  # type: ignore[assignment]
    _checks = tuple((c.name, _checker(c), bool(c.nullable) or isinstance(c.type, LargeBinary))
                    for c in _table.columns)
    SHAPES[_table.name] = TableShape(
        _table, tuple(c.name for c in _table.columns), _checks,
        tuple((name, _as_is if check is _json else check, nullable) for name, check, nullable in _checks),
    )


def check_payload(entity_type: str, entity_id: uuid.UUID, version: int, operation: str,
                  payload: Any, *, nul_free: bool = False) -> tuple[Any, ...]:
    """The payload as a typed row of ``SHAPES[entity_type].table``, or ``PayloadRejected``.

    ``nul_free``: the caller saw the payload's JSON text and it holds no escaped NUL, so
    JSON columns need not be re-encoded to look for one (the hot path of a big push).
    """
    shape = SHAPES.get(entity_type)
    if shape is None:
        raise PayloadRejected(f"unknown record type {entity_type[:40]!r}")
    if operation not in OPERATIONS:
        raise PayloadRejected(f"unknown operation {operation[:20]!r}")
    if not isinstance(payload, dict):
        raise PayloadRejected("payload is not a JSON object")
    extra = set(payload) - set(shape.columns)
    if extra:
        raise PayloadRejected(f"unknown column {sorted(extra)[0][:40]!r} for {entity_type}")
    row = []
    for name, check, nullable in (shape.nul_free_checks if nul_free else shape.checks):
        if name not in payload:
            raise PayloadRejected(f"{entity_type}.{name} is missing")
        value = payload[name]
        if value is None and nullable and not name == "id":
            row.append(b"" if check is _binary else None)
            continue
        try:
            row.append(check(value))
        except PayloadRejected as exc:
            raise PayloadRejected(f"{entity_type}.{name} {exc}") from None
    values = dict(zip(shape.columns, row))
    if values["id"] != entity_id:
        raise PayloadRejected(f"payload id {values['id']} is not the event's record {entity_id}")
    if values["version"] != version:
        raise PayloadRejected(f"payload version {values['version']} is not the event's version {version}")
    if values["version"] < 1:
        raise PayloadRejected("version must be at least 1")
    return tuple(row)
