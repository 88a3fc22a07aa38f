"""Pull: bring central's changed records into the station, page by page, by cursor.

A page is up to ``page_size`` feed entries after the station's cursor. The records are read
from central, any parent the station lacks is fetched too (a line can come before its RMA when
the RMA changed later), and the page is applied in ONE local transaction together with the
new cursor: a crash mid-pull repeats at most one page, and applying a page twice is harmless
(rows are upserted by id).

A record with a pending local change is not overwritten: the station's change is on its way
up and central will either take it or record a conflict (which puts the record back into the
feed, so the next pull brings the winner). Rows are written with plain SQL, never through the
ORM, and under ``applying_sync``, so pulled rows never produce outbox events.

Speed (a new station pulls 100,000 RMAs and their lines): on a SQLite station PostgreSQL
formats each value exactly as SQLAlchemy would store it (``station.sync.pull_rows``) and the
rows go through ``sqlite3.executemany`` untouched. (Reading page N+1 in a thread while page N
is written was tried and lost: ``sqlite3`` re-takes the GIL for every row, and the reader's
row loading kept it waiting.) Any other local database takes the pages through SQLAlchemy Core.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, select
from sqlalchemy.exc import IntegrityError

from station.db import READ_ONLY
from station.models import OutboxEvent, OutboxState
from station.sync.central_schema import changes
from station.sync.feed import sequence_changes
from station.sync.payloads import SHAPES
from station.sync.pull_rows import RowRejected, pull_shape
from station.sync.state import PULL_CURSOR, read_value, write_value

log = logging.getLogger(__name__)

PULL_TABLES = ("operators", "products", "rmas", "rma_lines", "receipts", "units")
"""What a station pulls by default: people, catalogue, authorised returns, and what other
stations received (so a duplicate parcel at another dock, or a unit to inspect here, is known)."""
PAGE_SIZE = 20_000
MAX_PARENT_DEPTH = 4
_OUTBOX = OutboxEvent.__table__

Records = dict[Any, Any]
"""One table's rows of a page by id: SQLite-ready tuples by hex id, or dicts by UUID."""


@dataclass
class PullReport:
    applied: int = 0
    kept_local: int = 0
    rejected: int = 0
    pages: int = 0
    cursor: int = 0
    last_reject: str = ""


@dataclass
class _Page:
    high: int
    rows: dict[str, Records]
    rejects: list[str] = field(default_factory=list)



class Puller:
    def __init__(self, local: Engine, central: Engine, *, tables: Sequence[str] = PULL_TABLES,
                 page_size: int = PAGE_SIZE) -> None:
        unknown = set(tables) - set(SHAPES)
        if unknown:
            raise ValueError(f"not synced tables: {sorted(unknown)}")
        self.local = local
        self.central = central
        self.tables = tuple(t for t in SHAPES if t in tables)
        self.page_size = page_size
        self._raw = local.dialect.name == "sqlite"

    def cursor(self) -> int:
        with self.local.connect() as conn:
            value = int(read_value(conn, PULL_CURSOR).get("seq", 0))
            conn.rollback()
        return value

    def pull_all(self) -> PullReport:
        """Sequence central's new changes, then pull pages until the station is up to date."""
        sequence_changes(self.central)
        report = PullReport(cursor=self.cursor())
        for page in self._pages(report.cursor):
            self._apply(page, report)
            report.cursor = page.high
            report.pages += 1
        if report.pages:
            log.info("pull: %d applied, %d kept local, %d rejected, cursor %d",
                     report.applied, report.kept_local, report.rejected, report.cursor)
        return report

    # -- reading ----------------------------------------------------------------------------

    def _pages(self, cursor: int) -> Iterator[_Page]:
        with self.central.connect() as conn:
            while True:
                high = self._page_end(conn, cursor)
                if high is None:
                    conn.rollback()
                    return
                page = _Page(high, {})
                for name in self.tables:
                    page.rows[name] = self._read(conn, SHAPES[name].table, page, low=cursor, high=high)
                self._add_missing_parents(conn, page)
                conn.rollback()
                cursor = high
                yield page

    def _page_end(self, conn: Connection, cursor: int) -> int | None:
        """The feed number that closes the next page (``None``: nothing new)."""
        feed = changes.c
        wanted = and_(feed.change_seq > cursor, feed.entity_type.in_(self.tables))
        high = conn.execute(select(feed.change_seq).where(wanted).order_by(feed.change_seq)
                            .offset(self.page_size - 1).limit(1)).scalar()
        if high is None:
            high = conn.execute(select(feed.change_seq).where(wanted).order_by(feed.change_seq.desc())
                                .limit(1)).scalar()
        return high

    def _read(self, conn: Connection, table: Table, page: _Page, *, low: int | None = None,
              high: int | None = None, ids: Sequence[Any] = ()) -> Records:
        """Central rows of ``table``: the page's feed range, or the given ids."""
        if not self._raw:
            if ids:
                return _by_id(conn.execute(select(table).where(table.c.id.in_(list(ids)))))
            query = (select(table).join(changes, and_(changes.c.entity_type == table.name,
                                                      changes.c.entity_id == table.c.id))
                     .where(changes.c.change_seq > low, changes.c.change_seq <= high))
            return _by_id(conn.execute(query))
        shape = pull_shape(table)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if ids:
                cursor.execute(f'SELECT {shape.select_list} FROM "{table.name}" t WHERE t.id = ANY(%s::uuid[])',
                               (list(ids),))
            else:
                cursor.execute(f'SELECT {shape.select_list} FROM "{table.name}" t JOIN sync_changes c '
                               f"ON c.entity_type = %s AND c.entity_id = t.id "
                               f"WHERE c.change_seq > %s AND c.change_seq <= %s", (table.name, low, high))
            raw_rows = cursor.fetchall()
        finally:
            cursor.close()
        at, fix = shape.id_at, shape.fix
        records: Records = {}
        for raw in raw_rows:
            try:
                records[raw[at]] = fix(raw)
            except RowRejected as exc:
                page.rejects.append(f"{table.name} {raw[at]}: {exc}")
        return records

    def _parent_ids(self, name: str, records: Records) -> Iterator[tuple[str, set[Any]]]:
        table = SHAPES[name].table
        if self._raw:
            for at, parent in pull_shape(table).parents:
                yield parent, {r[at] for r in records.values() if r[at] is not None}
        else:
            for fk in table.foreign_keys:
                col = fk.parent.name
                yield fk.column.table.name, {r[col] for r in records.values() if r[col] is not None}

    def _add_missing_parents(self, central: Connection, page: _Page) -> None:
        """Fetch from central every parent record that neither this page nor the station has."""
        rows = page.rows
        for _depth in range(MAX_PARENT_DEPTH):
            wanted: dict[str, set[Any]] = {}
            for name, records in list(rows.items()):
                for parent, ids in self._parent_ids(name, records):
                    ids -= set(rows.get(parent, {}))
                    if ids:
                        wanted.setdefault(parent, set()).update(ids)
            missing = {name: self._not_local(SHAPES[name].table, ids) for name, ids in wanted.items()}
            missing = {name: ids for name, ids in missing.items() if ids}
            if not missing:
                return
            for name, ids in missing.items():
                for chunk in _chunks(sorted(ids), 5000):
                    rows.setdefault(name, {}).update(self._read(central, SHAPES[name].table, page, ids=chunk))

    def _not_local(self, table: Table, ids: Iterable[Any]) -> set[Any]:
        ids = set(ids)
        with self.local.connect() as conn:
            conn = conn.execution_options(**READ_ONLY)
            for chunk in _chunks(sorted(ids), 5000):
                if self._raw:
                    found = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                        f'SELECT id FROM "{table.name}" WHERE id IN (SELECT value FROM json_each(?))',
                        (json.dumps(list(chunk)),)).fetchall()
                    ids -= {r[0] for r in found}
                else:
                    ids -= set(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
            conn.rollback()
        return ids

    # -- writing ----------------------------------------------------------------------------

    def _apply(self, page: _Page, report: PullReport) -> None:
        for reason in page.rejects:
            report.rejected += 1
            report.last_reject = reason
            log.warning("pulled row not applied: %s", reason)
        with self.local.begin() as conn:
            conn.info["applying_sync"] = True
            if self._raw:
                found = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "SELECT DISTINCT entity_id FROM outbox WHERE state = ?", (OutboxState.PENDING.value,))
                pending = {r[0] for r in found}
            else:
                pending = set(conn.execute(select(_OUTBOX.c.entity_id).where(
                    _OUTBOX.c.state == OutboxState.PENDING).distinct()).scalars())
            for name in SHAPES:
                got = page.rows.get(name, {})
                records = [r for i, r in got.items() if i not in pending] if pending else list(got.values())
                report.kept_local += len(got) - len(records)
                if records:
                    self._upsert(conn, SHAPES[name].table, records, report)
            write_value(conn, PULL_CURSOR, {"seq": page.high})

    def _upsert(self, conn: Connection, table: Table, records: list[Any], report: PullReport) -> None:
        if self._raw:
            import sqlite3

            sql, raw = pull_shape(table).upsert, conn.connection.driver_connection
            clash: type[Exception] = sqlite3.IntegrityError

            def write(rows: list[Any]) -> None:
                raw.executemany(sql, rows)  # type: ignore[union-attr]
        else:
            from sqlalchemy.dialects.postgresql import insert

            stmt = insert(table)
            stmt = stmt.on_conflict_do_update(
                index_elements=["id"], set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"})
            clash = IntegrityError

            def write(rows: list[Any]) -> None:
                conn.execute(stmt, rows)
        try:
            with conn.begin_nested():
                write(records)
            report.applied += len(records)
            return
        except clash:
            log.warning("pulled %s clash with local rows; applying one by one", table.name)
        shape = pull_shape(table)
        for record in records:  # find the few that clash; the rest still go in
            try:
                with conn.begin_nested():
                    write([record])
                report.applied += 1
            except clash as exc:
                report.rejected += 1
                record_id = record[shape.id_at] if self._raw else record["id"]
                report.last_reject = f"{table.name} {record_id}: {str(getattr(exc, 'orig', exc)).splitlines()[0][:200]}"
                log.warning("pulled row not applied: %s", report.last_reject)


def _by_id(result: Any) -> dict[uuid.UUID, dict[str, Any]]:
    """Rows as plain dicts keyed by id (keys read once: ``row._mapping`` per row costs more)."""
    keys = list(result.keys())
    at = keys.index("id")
    return {r[at]: dict(zip(keys, r)) for r in result.all()}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
