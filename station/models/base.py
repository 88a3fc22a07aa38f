"""Declarative base, column types and the mixin for records that sync.

Times are stored in UTC and always come back timezone-aware, on SQLite too (which keeps no
zone): comparing a naive and an aware datetime is a bug waiting at the first DST change.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, Integer, MetaData, String, TypeDecorator, Uuid, func, text
from sqlalchemy.sql import operators
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from station.core import money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is written as UTC and read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; station times are timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class FixedPoint(TypeDecorator[Decimal]):
    """An exact decimal kept as a whole number of ``10**-places`` (money: hundredths).

    ``Numeric`` on SQLite is a binary float (three 0.10 summed to 0.30000000000000004); an
    integer column adds exactly on both engines and SQL sums come back through this type as
    ``Decimal``. A float given to it is refused: money never passes through binary floats.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = money.STORED_PLACES) -> None:
        super().__init__()
        self.places = places

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise TypeError(f"exact amounts are never a {type(value).__name__}; pass a Decimal")
        scaled = Decimal(value).scaleb(self.places)
        whole = scaled.to_integral_value()
        if whole != scaled:
            raise money.MoneyError(f"{value} has more than {self.places} decimal places and cannot be stored exactly.")
        return int(whole)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("an exact column came back as a float (an AVG or a division in SQL?)")
        return Decimal(int(value)).scaleb(-self.places).quantize(Decimal(1).scaleb(-self.places))

    class comparator_factory(TypeDecorator.Comparator[Decimal]):  # noqa: N801 - SQLAlchemy's name
        """Arithmetic that stays money: money +/- money and money * count are money (summed
        and multiplied as integers, read back as ``Decimal``). Anything else (a division, a
        product of two amounts) would come back in the wrong scale, so it is refused: SQL
        shares go through ``station.analytics.sql.share``."""

        def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple[Any, Any]:
            other = other_comparator.type
            if op in (operators.add, operators.sub) and isinstance(other, FixedPoint | NullType):
                return op, self.type
            if op is operators.mul and isinstance(other, Integer | NullType):
                return op, self.type
            raise TypeError(f"{self.expr} {op.__name__} {other!r}: exact amounts only add, subtract and "
                            f"multiply by a count in SQL (see station.analytics.sql.share)")

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        # A plain integer beside a money column (quantity * unit_price) is a count, not money.
        if isinstance(value, int) and not isinstance(value, bool):
            return Integer()
        return self


Money = FixedPoint(money.STORED_PLACES)
"""Money: ``Decimal`` in Python, whole hundredths in the database (``station.core.money``)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dt.datetime: UtcDateTime(),
        uuid.UUID: Uuid(),
        Decimal: Money,
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Synced:
    """Columns every record that crosses to the central database carries.

    ``version`` is bumped on every update (SQLAlchemy's version counter), which gives optimistic
    locking locally and lets the central side spot two stations editing the same record.
    """

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    station_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class SyncedSince0016(Synced):
    """``Synced`` for the order and request tables, which gained the synced columns in
    migration 0016 while holding rows: it gave the columns server defaults to fill those rows
    (station ``''`` on a database bound to no station yet, version 1). Declared here too, so a
    database built from the models (``station.core.new_database``) is the one the migrations
    make."""

    station_id: Mapped[str] = mapped_column(String(64), server_default=text("''"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class SyncedTimesSince0016(SyncedSince0016):
    """``SyncedSince0016`` for the three tables that had no times before 0016 either: their
    ``created_at`` and ``updated_at`` default to the time of the upgrade for the old rows."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow,
                                                    server_default=func.current_timestamp())

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}  # type: ignore[attr-defined]


def db_enum(enum_cls: type[enum.Enum], length: int) -> Enum:
    """An enum column stored as its readable value (``"received"``), checked on write."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=False,
    )
