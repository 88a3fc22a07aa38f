"""Pull: bring central's changed records into the station, page by page, by cursor.

A page is up to ``page_size`` feed entries after the station's cursor. The records are read
from central, any parent the station lacks is fetched too (a line can come before its RMA when
the RMA changed later), and the page is applied in ONE local transaction together with the
new cursor: a crash mid-pull repeats at most one page, and applying a page twice is harmless
(rows are upserted by id).

The cursor belongs to one central (``station.sync.identity``): a pull from a central with
another identity is refused before it reads anything.

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

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.exc import IntegrityError

from station.analytics.summary import mark_dirty
from station.core.changes import declare
from station.core.db import READ_ONLY
from station.core.station_state import PULL_CURSOR, read_value, write_value
from station.sync.history import HANDED, hand_page
from station.models import OutboxEvent, OutboxState, Receipt, Unit
from station.sync.feed import IN_ROUND, START, Round, current_snapshot
from station.sync.identity import central_id_of, check_same_central
from station.sync.owners import PULLED
from station.sync.payloads import SHAPES
from station.sync.pull_rows import RowRejected, pull_shape

log = logging.getLogger(__name__)

PULL_TABLES = PULLED
"""What a station pulls (``station.sync.owners``): people, catalogue and vendors, authorised
returns, what other stations received, inspected, dispositioned and resolved (so a duplicate
parcel at another dock, a unit to inspect here, an RMA resolved elsewhere is known), and
return-to-vendor batches."""
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
    position: dict[str, Any]
    """The cursor to store with this page (``sync_state.pull_cursor``)."""
    rows: dict[str, Records]
    rejects: list[str] = field(default_factory=list)


class Puller:
    def __init__(self, local: Engine, central: Engine, *, tables: Sequence[str] = PULL_TABLES,
                 page_size: int = PAGE_SIZE, station_id: str | None = None) -> None:
        unknown = set(tables) - set(SHAPES)
        if unknown:
            raise ValueError(f"not synced tables: {sorted(unknown)}")
        self.local = local
        self.central = central
        self.tables = tuple(t for t in SHAPES if t in tables)
        self.page_size = page_size
        self.station_id = station_id
        """Set for a registered station: central counts the pages it hands it (station.sync.history)."""
        self._raw = local.dialect.name == "sqlite"

    def _position(self) -> dict[str, Any]:
        with self.local.connect() as conn:
            value = read_value(conn, PULL_CURSOR)
            conn.rollback()
        if "since" not in value:  # a new station (or a cursor of the old numbered feed): from the start
            value = {"seq": int(value.get("seq", 0)), "since": START}
        return value

    def cursor(self) -> int:
        """How many records the station has pulled so far (for the status line)."""
        return int(self._position().get("seq", 0))

    def pull_all(self) -> PullReport:
        """Pull every change committed on central before this call, page by page.

        A round interrupted by a crash resumes where its last applied page ended (the round's
        snapshots and the last entry are part of the stored cursor).
        """
        with self.central.connect() as conn:
            central_id = str(central_id_of(conn))
            conn.rollback()
        check_same_central(self.local, uuid.UUID(central_id))
        position = self._position()
        report = PullReport(cursor=int(position.get("seq", 0)))
        read = int(position.get(HANDED, 0))  # central's page count as the station holds it
        for page in self._pages(position):
            page.position["central_id"] = central_id  # the cursor stays bound to this central
            if self.station_id is not None:
                page.position = hand_page(self.central, self.station_id, page.position, read=read)
                read = int(page.position.get(HANDED, read))
            if page.rows or page.rejects:
                self._apply(page, report)
                report.pages += 1
            else:  # nothing new: only move the round forward
                with self.local.begin() as conn:
                    write_value(conn, PULL_CURSOR, page.position)
            report.cursor = int(page.position["seq"])
        if report.pages:
            log.info("pull: %d applied, %d kept local, %d rejected, cursor %d",
                     report.applied, report.kept_local, report.rejected, report.cursor)
        return report

    # -- reading ----------------------------------------------------------------------------

    def _pages(self, position: dict[str, Any]) -> Iterator[_Page]:
        """The pages of one round, each with the cursor that follows it; the last one closes
        the round (its cursor's ``since`` is the round's ``upto``)."""
        with self.central.connect() as conn:
            upto = position.get("upto") or current_snapshot(conn)
            if upto == position["since"]:
                conn.rollback()
                return
            feed = Round(position["since"], upto)
            after = tuple(position.get("after") or ("0", 0))
            seen = int(position.get("seq", 0))
            driver = conn.connection.driver_connection
            base = {**feed.params, "tables": list(self.tables)}
            while True:
                with driver.cursor() as cur:  # type: ignore[union-attr]
                    cur.execute(f"SELECT c.xid::text, c.seq FROM sync_changes c WHERE {IN_ROUND} "
                                f"AND (c.xid, c.seq) > (%(ax)s::xid8, %(as)s) AND c.entity_type = ANY(%(tables)s) "
                                f"ORDER BY c.xid, c.seq OFFSET %(skip)s LIMIT 1",
                                {**base, "ax": after[0], "as": after[1], "skip": self.page_size - 1})
                    end = cur.fetchone()
                where = f"{IN_ROUND} AND (c.xid, c.seq) > (%(ax)s::xid8, %(as)s)"
                params = {**base, "ax": after[0], "as": after[1]}
                if end is not None:
                    where += " AND (c.xid, c.seq) <= (%(bx)s::xid8, %(bs)s)"
                    params.update(bx=end[0], bs=end[1])
                page = _Page({}, {})
                for name in self.tables:
                    records = self._read(conn, SHAPES[name].table, page, where=where, params=params)
                    if records:
                        page.rows[name] = records
                if page.rows:
                    self._add_missing_parents(conn, page)
                conn.rollback()
                seen += sum(len(r) for r in page.rows.values())
                if end is None:
                    page.position = {"seq": seen, "since": upto}
                    yield page
                    return
                after = (end[0], int(end[1]))
                page.position = {"seq": seen, "since": feed.since, "upto": upto, "after": list(after)}
                yield page

    def _read(self, conn: Connection, table: Table, page: _Page, *, where: str = "",
              params: dict[str, Any] | None = None, ids: Sequence[Any] = ()) -> Records:
        """Central rows of ``table``: those with feed entries matching ``where``, or the given ids."""
        changed = (f'SELECT c.entity_id FROM sync_changes c WHERE c.entity_type = %(entity_type)s AND {where}')
        if not self._raw:
            if not ids:
                ids = [r[0] for r in conn.exec_driver_sql(
                    f"SELECT DISTINCT entity_id FROM ({changed}) c", {**(params or {}), "entity_type": table.name})]
            records: Records = {}
            for chunk in _chunks(list(ids), 5000):
                records.update(_by_id(conn.execute(select(table).where(table.c.id.in_(list(chunk))))))
            return records
        shape = pull_shape(table)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if ids:
                cursor.execute(f'SELECT {shape.select_list} FROM "{table.name}" t WHERE t.id = ANY(%s::uuid[])',
                               (list(ids),))
            else:
                cursor.execute(f'SELECT {shape.select_list} FROM "{table.name}" t WHERE t.id IN ({changed})',
                               {**(params or {}), "entity_type": table.name})
            raw_rows = cursor.fetchall()
        finally:
            cursor.close()
        at, fix = shape.id_at, shape.fix
        records = {}
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
            mark_dirty(conn, touched_days(conn, page.rows))
            write_value(conn, PULL_CURSOR, page.position)

    def _upsert(self, conn: Connection, table: Table, records: list[Any], report: PullReport) -> None:
        declare(conn, table.name)  # the views follow the pull (station.core.changes): rows go in under SQLAlchemy
        if self._raw:
            import sqlite3

            shape, raw = pull_shape(table), conn.connection.driver_connection
            clash: type[Exception] = sqlite3.IntegrityError

            def write(rows: list[Any]) -> None:
                if len(rows) == 1:
                    raw.executemany(shape.upsert, rows)  # type: ignore[union-attr]
                    return
                # Records the station lacks go in by plain INSERT (SQLite's upsert costs ~25 %
                # more a row); the ids are looked up in this same write transaction.
                at = shape.id_at
                found = raw.execute(  # type: ignore[union-attr]
                    f'SELECT id FROM "{table.name}" WHERE id IN (SELECT value FROM json_each(?))',
                    (json.dumps([r[at] for r in rows]),)).fetchall()
                if not found:
                    raw.executemany(shape.insert, rows)  # type: ignore[union-attr]
                    return
                known = {r[0] for r in found}
                raw.executemany(shape.insert, [r for r in rows if r[at] not in known])  # type: ignore[union-attr]
                raw.executemany(shape.upsert, [r for r in rows if r[at] in known])  # type: ignore[union-attr]
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


def touched_days(conn: Connection, rows: dict[str, Records]) -> set[dt.date]:
    """The parcel days whose analytics summaries pulled rows may change.

    Pulled rows keep central's ``updated_at``, which can be older than the local summaries'
    watermark, so the refresh would not see them by itself: receipts count on their own day,
    units on their parcel's day, RMAs (shipping cost, state) on the days of all their parcels.
    """
    receipts, units = Receipt.__table__.c, Unit.__table__.c
    queries = (
        ("receipts", lambda ids: select(receipts.received_at).where(receipts.id.in_(ids))),
        ("units", lambda ids: select(receipts.received_at).join_from(
            Unit.__table__, Receipt.__table__, units.receipt_id == receipts.id).where(units.id.in_(ids))),
        ("rmas", lambda ids: select(receipts.received_at).where(receipts.rma_id.in_(ids))),
    )
    days: set[dt.date] = set()
    for name, query in queries:
        ids = [i if isinstance(i, uuid.UUID) else uuid.UUID(hex=str(i)) for i in rows.get(name, {})]
        for chunk in _chunks(ids, 500):
            days.update(at.astimezone(dt.UTC).date() for at in conn.execute(query(chunk)).scalars())
    return days


def _by_id(result: Any) -> dict[uuid.UUID, dict[str, Any]]:
    """Rows as plain dicts keyed by id (keys read once: ``row._mapping`` per row costs more)."""
    keys = list(result.keys())
    at = keys.index("id")
    return {r[at]: dict(zip(keys, r)) for r in result.all()}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
