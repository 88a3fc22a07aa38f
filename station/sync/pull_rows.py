"""Central rows in the exact form SQLAlchemy stores them in the station's SQLite file.

Pulling 100,000 RMAs through SQLAlchemy spent half its time turning values into Python
objects (UUID, aware datetime, Decimal) on the PostgreSQL side and back into SQLite's storage
form on the other. Here PostgreSQL formats every value the way SQLAlchemy's SQLite types
write it, and the rows go to ``sqlite3`` as they come:

- ``Uuid``: 32 hex digits (``Uuid`` without native UUID storage);
- ``UtcDateTime``: ``'YYYY-MM-DD HH:MM:SS.ffffff'`` in UTC (the SQLite ``DATETIME`` format);
- ``Date``: ``'YYYY-MM-DD'``; ``Boolean``: 0 or 1; ``FixedPoint`` (money): the stored
  integer of hundredths, as it is; ``Float``: a float;
- ``JSON``: re-encoded by ``json.dumps`` with its defaults, as SQLAlchemy's JSON type does
  (PostgreSQL keeps the text its writer sent, which may be spaced differently);
- ``Enum``: the value, checked against the allowed values (SQLAlchemy refuses others).

``tests/station/sync/test_pull_rows.py`` checks byte for byte that a pulled row is stored
exactly as a SQLAlchemy Core insert of the same record would store it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, Integer, LargeBinary, Numeric, String, Table, Text, Uuid

from station.models.base import FixedPoint, UtcDateTime

_TIMESTAMP = "YYYY-MM-DD HH24:MI:SS.US"


class RowRejected(ValueError):
    """A central row the station's schema cannot take; ``str()`` says why."""


def _expression(column: Any) -> str:
    """The PostgreSQL expression that yields ``column`` in SQLite storage form."""
    kind, name = column.type, f't."{column.name}"'
    if isinstance(kind, UtcDateTime):
        return f"to_char({name} AT TIME ZONE 'UTC', '{_TIMESTAMP}')"
    if isinstance(kind, Uuid):
        return f"replace({name}::text, '-', '')"
    if isinstance(kind, Boolean):
        return f"{name}::int"
    if isinstance(kind, FixedPoint):
        return name  # whole hundredths on both sides: exact, no conversion
    if isinstance(kind, Numeric) and not isinstance(kind, Integer):
        return f"{name}::float8"
    if isinstance(kind, Date):
        return f"to_char({name}, 'YYYY-MM-DD')"
    if isinstance(kind, JSON):
        return f"{name}::text"
    if isinstance(kind, Integer | String | Text | LargeBinary):  # Enum is a String
        return name
    raise TypeError(f"no pull format for column {column} of type {kind!r}")  # a new column type


_dumps = json.dumps
_loads = json.loads


_JSON_CACHE: dict[str, str] = {}


def _json(value: str | None) -> str:
    if value is None:
        return "null"  # what SQLAlchemy's JSON type stores for None
    done = _JSON_CACHE.get(value)
    if done is None:
        done = _dumps(_loads(value))
        if len(value) <= 64 and len(_JSON_CACHE) < 10_000:  # '[]', '["unknown"]': the usual values
            _JSON_CACHE[value] = done
    return done


@dataclass(frozen=True)
class PullShape:
    """How one table travels down: the SELECT list, the local upsert, the value fixes."""

    table: Table
    columns: tuple[str, ...]
    select_list: str
    upsert: str
    insert: str
    """The same INSERT without ``ON CONFLICT`` (for records the station does not have)."""
    id_at: int
    parents: tuple[tuple[int, str], ...]
    """(position of a foreign-key column, parent table name)."""
    json_at: tuple[int, ...]
    enums: tuple[tuple[int, str, frozenset[str]], ...]

    def fix(self, raw: Sequence[Any]) -> Sequence[Any]:
        """A fetched row ready for SQLite (``RowRejected`` if its enum value is unknown)."""
        if not self.json_at and not self.enums:
            return raw
        row = list(raw)
        for at in self.json_at:
            row[at] = _json(row[at])
        for at, name, allowed in self.enums:
            value = row[at]
            if value is not None and value not in allowed:
                raise RowRejected(f"{self.table.name}.{name} is {str(value)[:40]!r}, not one of the allowed values")
        return row


def _shape(table: Table) -> PullShape:
    columns = tuple(c.name for c in table.columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
    return PullShape(
        table=table,
        columns=columns,
        select_list=", ".join(_expression(c) for c in table.columns),
        upsert=(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))}) '
                f"ON CONFLICT (id) DO UPDATE SET {sets}"),
        insert=f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})',
        id_at=columns.index("id"),
        parents=tuple((columns.index(fk.parent.name), fk.column.table.name) for fk in table.foreign_keys),
        json_at=tuple(i for i, c in enumerate(table.columns) if isinstance(c.type, JSON)),
        enums=tuple((i, c.name, frozenset(c.type.enums)) for i, c in enumerate(table.columns)
                    if isinstance(c.type, Enum)),
    )


_SHAPES: dict[str, PullShape] = {}


def pull_shape(table: Table) -> PullShape:
    shape = _SHAPES.get(table.name)
    if shape is None:
        shape = _SHAPES[table.name] = _shape(table)
    return shape

