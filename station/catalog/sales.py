"""Import units sold from a CSV file: the denominator of the return rate.

The file is what a web shop or ERP exports: one row per SKU and day (more rows for the same
SKU and day, e.g. per order, are added up). Columns, by header name in any order::

    date (or sold_on)   YYYY-MM-DD
    sku
    units (or quantity, qty)   whole number >= 0
    channel             optional (web, store, marketplace ...)
    lot (or batch)      optional: the production lot the units came from (issue 26), so a
                        lot's return rate is its returns over its units sold

Bad rows are reported by their line number in the file (the header is line 1) and skipped;
the good rows are imported. A file that cannot be read at all (missing, not UTF-8, no usable
header, no good row) raises and writes nothing. Importing again replaces the sales of the
same SKU, day and channel instead of counting them twice; everything commits in one
transaction, so a crash half-way leaves the previous figures intact. A file with lots replaces
every row of the same SKU, day and channel, with or without a lot, so a day is never counted
once per lot and once more as a whole. Importing is an
admin's change like the price list's (``SalesService.import_file``), audited with its counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from station.core.context import Actor
from station.core.days import parse_day
from station.core.db import database_error
from station.core.errors import InvalidInput, StationError
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Product, SalesDay, utcnow

log = logging.getLogger(__name__)

ALIASES = {"date": "date", "sold_on": "date", "day": "date", "sku": "sku", "units": "units",
           "quantity": "units", "qty": "units", "channel": "channel", "lot": "lot", "batch": "lot"}
REQUIRED = ("date", "sku", "units")
MAX_SKU, MAX_CHANNEL, MAX_LOT, MAX_UNITS = 64, 40, 40, 10_000_000
CHUNK = 300
_UNITS = re.compile(r"[+-]?[0-9]{1,12}", re.ASCII)
"""Plain ASCII digits: ``int()`` also takes ``1_000`` and fullwidth ``１２``, which an ERP
export never means; a shop that writes them has a broken export worth hearing about."""

Key = tuple[str, dt.date, str, str]
"""(SKU, day, channel, lot); the lot is empty when the file has no lot column or cell."""


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ParsedSales:
    totals: dict[Key, int]
    rows_read: int
    bad: tuple[BadRow, ...]


@dataclass(frozen=True)
class ImportResult:
    rows_read: int
    rows_imported: int
    keys_written: int
    units: int
    replaced: int
    bad: tuple[BadRow, ...] = ()
    unknown_skus: tuple[str, ...] = field(default_factory=tuple)


def _header(row: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(row):
        canonical = ALIASES.get(name.strip().lower().lstrip("\ufeff"))
        if canonical and canonical not in columns:
            columns[canonical] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(
            f"The sales file's header has no {', '.join(missing)} column.",
            next_step="The first line must name the columns: date,sku,units[,channel][,lot].",
        )
    return columns


def _row(values: list[str], columns: dict[str, int], latest: dt.date) -> tuple[Key, int]:
    """One data row as (sku, day, channel, lot) and units; ``ValueError`` says what is wrong."""
    def cell(name: str) -> str:
        index = columns.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    if len(values) < len(columns) and any(v.strip() for v in values):
        raise ValueError(f"has {len(values)} fields, the header has {max(columns.values()) + 1}")
    sku = cell("sku").upper()
    if not sku:
        raise ValueError("the SKU is empty")
    if len(sku) > MAX_SKU or not sku.isprintable():
        raise ValueError(f"SKU {sku[:20]!r} is not a SKU (at most {MAX_SKU} printable characters)")
    try:
        day = parse_day(cell("date"), "date", latest=latest)
    except StationError as exc:
        raise ValueError(str(exc).rstrip(".")) from None
    raw_units = cell("units")
    if not _UNITS.fullmatch(raw_units):
        raise ValueError(f"units {raw_units[:20]!r} is not a whole number")
    units = int(raw_units)
    if not 0 <= units <= MAX_UNITS:
        raise ValueError(f"units {units} is out of range (0 to {MAX_UNITS})")
    channel = cell("channel").lower()
    if len(channel) > MAX_CHANNEL:
        raise ValueError(f"channel is longer than {MAX_CHANNEL} characters")
    lot = cell("lot")
    if len(lot) > MAX_LOT or not lot.isprintable():
        raise ValueError(f"lot {lot[:20]!r} is not a lot (at most {MAX_LOT} printable characters)")
    return (sku, day, channel, lot), units


def parse_sales(text: str, *, today: dt.date | None = None) -> ParsedSales:
    """Parse the CSV text; rows that cannot be used are collected, not raised.

    A sale dated after tomorrow (``today`` + 1, allowing for time zones) is refused: it
    is a typo that would distort the return rate of a day that has not happened.
    """
    latest = (today or utcnow().date()) + dt.timedelta(days=1)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput(f"The sales file's header cannot be read ({exc}).",
                           next_step="The first line must name the columns: date,sku,units[,channel].") from None
    if header is None or not any(h.strip() for h in header):
        raise InvalidInput("The sales file is empty.", next_step="Export the sales again.")
    columns = _header(header)
    totals: dict[Key, int] = {}
    bad: list[BadRow] = []
    read = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a 200 KB field; the reader goes on with the next line
            read += 1
            bad.append(BadRow(reader.line_num, f"cannot be read as CSV ({exc})"))
            continue
        if not any(v.strip() for v in values):
            continue
        read += 1
        try:
            key, units = _row(values, columns, latest)
        except ValueError as exc:
            bad.append(BadRow(reader.line_num, str(exc)))
            continue
        totals[key] = totals.get(key, 0) + units
    return ParsedSales(totals, read, tuple(bad))


def read_sales_file(path: Path, *, today: dt.date | None = None) -> ParsedSales:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"No sales file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a sales file.") from None
    except OSError as exc:
        raise InvalidInput(f"The sales file {path} cannot be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.", next_step="Save it as CSV UTF-8.") from None
    return parse_sales(text, today=today)


def _chunks(keys: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start:start + CHUNK]


def store_sales(session: Session, parsed: ParsedSales, *, source: str, now: dt.datetime) -> ImportResult:
    """Replace the sales of every (SKU, day, channel) in ``parsed``, all their lots, in the caller's transaction."""
    good_rows = parsed.rows_read - len(parsed.bad)
    if not parsed.totals:
        detail = "; ".join(str(b) for b in parsed.bad[:5])
        raise InvalidInput(f"The sales file has no usable rows{': ' + detail if detail else ''}.",
                           next_step="Nothing was imported.")
    keys = sorted(parsed.totals)
    days = sorted({k[:3] for k in keys})
    replaced = 0
    for chunk in _chunks(days):
        result = session.execute(delete(SalesDay).where(
            tuple_(SalesDay.sku, SalesDay.sold_on, SalesDay.channel).in_(chunk)))
        replaced += result.rowcount or 0  # type: ignore[attr-defined]
    session.execute(insert(SalesDay), [
        {"sku": sku, "sold_on": day, "channel": channel, "lot": lot, "units": parsed.totals[(sku, day, channel, lot)],
         "source": source[:200], "imported_at": now}
        for sku, day, channel, lot in keys
    ])
    skus = sorted({k[0] for k in keys})
    known: set[str] = set()
    for start in range(0, len(skus), CHUNK):
        known.update(session.scalars(select(Product.sku).where(Product.sku.in_(skus[start:start + CHUNK]))))
    return ImportResult(
        rows_read=parsed.rows_read, rows_imported=good_rows, keys_written=len(keys),
        units=sum(parsed.totals.values()), replaced=replaced, bad=parsed.bad,
        unknown_skus=tuple(s for s in skus if s not in known),
    )


class SalesService(Service):
    def import_file(self, actor: Actor, path: Path) -> ImportResult:
        """Read ``path`` and store its good rows in one transaction, audited with the counts.

        The same permission as the price list (``MANAGE_SETTINGS``): both feed the figures the
        desk's return rates and net cost are computed from.
        """
        self.require(actor, Permission.MANAGE_SETTINGS)
        now = self.ctx.now()
        parsed = read_sales_file(path, today=now.date())
        try:
            with self.transaction() as db:
                result = store_sales(db, parsed, source=path.name, now=now)
                self.audit(db, actor, "sales.imported", "sales", path.name[:64], {
                    "rows": result.rows_imported, "bad": len(result.bad), "units": result.units,
                    "keys": result.keys_written, "replaced": result.replaced})
        except DBAPIError as exc:  # e.g. locked by another writer past the busy timeout
            raise database_error(exc, opening=False) from None
        log.info("imported sales from %s: %d rows, %d bad, %d units", path, result.rows_imported,
                 len(result.bad), result.units)
        return result
