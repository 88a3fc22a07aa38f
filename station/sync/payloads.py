"""Checking outbox payloads before they travel: a bad event is refused here, alone.

A payload is the full row as JSON (``station.core.serialize``). Before it goes into a central
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
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Uuid,
)

from station.models import SYNCED_MODELS
from station.models.base import FixedPoint, UtcDateTime

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


def _fixed_point(places: int) -> Check:
    """An exact amount written as text ("12.50"): refused if it has more places than the
    column keeps, since storing it would change it."""
    decimal = _numeric(18, places)
    step = Decimal(1).scaleb(-places)

    def check(value: Any) -> Decimal:
        number = decimal(value)
        if number != number.quantize(step):
            raise PayloadRejected(f"has more than {places} decimal places")
        return number.quantize(step)
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
    if isinstance(kind, FixedPoint):
        return _fixed_point(kind.places)
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


# -- the hot path --------------------------------------------------------------------------
#
# ``check_payload`` calls one small function per column: 40 % of a 100,000-event push. Each
# table also gets a generated function with the same checks written out inline for the shapes
# a station actually writes (canonical UUID text, ``isoformat()`` timestamps). It never says
# no: whenever it is unsure it returns ``None`` and ``check_payload`` decides, with its reason.
# What it accepts, ``check_payload`` accepts too; UUIDs and timestamps stay text (PostgreSQL
# reads the same value from it), everything else is the value ``check_payload`` returns.

_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
_STAMP_TEXT = re.compile(r"(19|[2-9]\d)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?[+-]\d\d:\d\d").fullmatch

FastCheck = Callable[[dict[str, Any], str, int, bool], "tuple[Any, ...] | None"]


def _fast_source(shape: TableShape) -> tuple[str, dict[str, Any]]:
    env: dict[str, Any] = {"_uuid_text": _UUID_TEXT, "_stamp_text": _STAMP_TEXT, "_fromiso": dt.datetime.fromisoformat,
                           "Rejected": PayloadRejected, "_json": _json}
    lines = ["def fast(p, entity_id, version, nul_free):",
             f"    if len(p) != {len(shape.columns)}:",
             "        return None",
             "    try:"]
    out = []
    for i, (name, check, nullable) in enumerate(shape.checks):
        column = shape.table.c[name]
        kind, v = column.type, f"v{i}"
        out.append(v)
        lines.append(f"        {v} = p[{name!r}]")
        if nullable and name != "id":
            lines.append(f"        if {v} is None:")
            lines.append(f"            {v} = {'b' + repr('') if isinstance(kind, LargeBinary) else 'None'}")
            lines.append("        else:")
            pad = "            "
        else:
            pad = "        "
        if name == "id":
            lines.append(f"{pad}if {v} != entity_id: return None")
        elif isinstance(kind, Enum):
            env[f"allowed{i}"] = frozenset(kind.enums)
            lines.append(f"{pad}if {v}.__class__ is not str or {v} not in allowed{i}: return None")
        elif isinstance(kind, UtcDateTime):
            lines.append(f"{pad}if {v}.__class__ is not str or not _stamp_text({v}): return None")
            lines.append(f"{pad}_fromiso({v})")
        elif isinstance(kind, Uuid):
            lines.append(f"{pad}if {v}.__class__ is not str or not _uuid_text({v}): return None")
        elif isinstance(kind, Boolean):
            lines.append(f"{pad}if {v} is not True and {v} is not False: return None")
        elif isinstance(kind, Integer):
            bits = 64 if isinstance(kind, BigInteger) else 32
            lines.append(f"{pad}if {v}.__class__ is not int or not {-(2 ** (bits - 1))} <= {v} <= {2 ** (bits - 1) - 1}:"
                         " return None")
        elif isinstance(kind, JSON):
            lines.append(f"{pad}if not nul_free: _json({v})")
        elif isinstance(kind, String | Text) and not isinstance(kind, Enum | Numeric | Date):
            length = getattr(kind, "length", None)
            limit = f" or len({v}) > {length}" if length is not None else ""
            lines.append(f"{pad}if {v}.__class__ is not str{limit} or '\\x00' in {v}: return None")
        else:  # Numeric, Date, binary: the plain check, converting as check_payload does
            env[f"check{i}"] = check
            lines.append(f"{pad}{v} = check{i}({v})")
    lines += ["    except (KeyError, ValueError, Rejected):",
              "        return None",
              "    if v_version != version or version < 1: return None".replace(
                  "v_version", out[shape.columns.index("version")]),
              f"    return ({', '.join(out)},)"]
    return "\n".join(lines), env


def _fast_check(shape: TableShape) -> FastCheck:
    source, env = _fast_source(shape)
    exec(compile(source, f"<fast payload check: {shape.table.name}>", "exec"), env)  # noqa: S102 - our own code
    return env["fast"]  # type: ignore[no-any-return]


FAST_CHECKS: dict[str, FastCheck] = {name: _fast_check(shape) for name, shape in SHAPES.items()}


def check_payload_fast(entity_type: str, entity_id: uuid.UUID, entity_id_text: str, version: int, operation: str,
                       payload: Any, *, nul_free: bool = False) -> tuple[Any, ...]:
    """``check_payload``, quicker for well-formed events (same verdicts, same reasons)."""
    fast = FAST_CHECKS.get(entity_type)
    if fast is not None and operation in OPERATIONS and payload.__class__ is dict:
        row = fast(payload, entity_id_text, version, nul_free)
        if row is not None:
            return row
    return check_payload(entity_type, entity_id, version, operation, payload, nul_free=nul_free)
