"""Pull: bring central's changed records into the station, page by page, by cursor.

A page is up to ``page_size`` feed entries after the station's cursor. The records are read
from central, any parent the station lacks is fetched too (a line can come before its RMA when
the RMA changed later), and the page is applied in ONE local transaction together with the
new cursor: a crash mid-pull repeats at most one page, and applying a page twice is harmless
(rows are upserted by id).

A record with a pending local change is not overwritten: the station's change is on its way
up and central will either take it or record a conflict (which puts the record back into the
feed, so the next pull brings the winner). Rows are written with Core, never through the ORM,
and under ``applying_sync``, so pulled rows never produce outbox events.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, select
from sqlalchemy.exc import IntegrityError

from station.db import READ_ONLY
from station.models import OutboxEvent, OutboxState
from station.sync.central_schema import changes
from station.sync.feed import sequence_changes
from station.sync.payloads import SHAPES
from station.sync.state import PULL_CURSOR, read_value, write_value

log = logging.getLogger(__name__)

PULL_TABLES = ("operators", "products", "rmas", "rma_lines", "receipts", "units")
"""What a station pulls by default: people, catalogue, authorised returns, and what other
stations received (so a duplicate parcel at another dock, or a unit to inspect here, is known)."""
PAGE_SIZE = 5000
MAX_PARENT_DEPTH = 4
_OUTBOX = OutboxEvent.__table__


@dataclass
class PullReport:
    applied: int = 0
    kept_local: int = 0
    rejected: int = 0
    pages: int = 0
    cursor: int = 0
    last_reject: str = ""


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

    def cursor(self) -> int:
        with self.local.connect() as conn:
            value = int(read_value(conn, PULL_CURSOR).get("seq", 0))
            conn.rollback()
        return value

    def pull_all(self) -> PullReport:
        """Sequence central's new changes, then pull pages until the station is up to date."""
        sequence_changes(self.central)
        report = PullReport(cursor=self.cursor())
        while True:
            with self.central.connect() as conn:
                feed = conn.execute(
                    select(changes.c.change_seq).where(changes.c.change_seq > report.cursor,
                                                       changes.c.entity_type.in_(self.tables))
                    .order_by(changes.c.change_seq).limit(self.page_size)).scalars().all()
                if not feed:
                    break
                high = feed[-1]
                rows = {name: self._read_page(conn, SHAPES[name].table, report.cursor, high)
                        for name in self.tables}
                self._add_missing_parents(conn, rows)
                conn.rollback()
            self._apply(rows, high, report)
            report.cursor = high
            report.pages += 1
        if report.pages:
            log.info("pull: %d applied, %d kept local, %d rejected, cursor %d",
                     report.applied, report.kept_local, report.rejected, report.cursor)
        return report

    @staticmethod
    def _read_page(conn: Connection, table: Table, low: int, high: int) -> dict[uuid.UUID, dict[str, Any]]:
        query = (select(table).join(changes, and_(changes.c.entity_type == table.name,
                                                  changes.c.entity_id == table.c.id))
                 .where(changes.c.change_seq > low, changes.c.change_seq <= high))
        return _by_id(conn.execute(query))

    def _add_missing_parents(self, central: Connection, rows: dict[str, dict[uuid.UUID, dict[str, Any]]]) -> None:
        """Fetch from central every parent record that neither this page nor the station has."""
        for _depth in range(MAX_PARENT_DEPTH):
            wanted: dict[str, set[uuid.UUID]] = {}
            for name, records in list(rows.items()):
                for fk in SHAPES[name].table.foreign_keys:
                    parent = fk.column.table.name
                    ids = {r[fk.parent.name] for r in records.values() if r[fk.parent.name] is not None}
                    ids -= set(rows.get(parent, {}))
                    if ids:
                        wanted.setdefault(parent, set()).update(ids)
            missing = {name: self._not_local(SHAPES[name].table, ids) for name, ids in wanted.items()}
            missing = {name: ids for name, ids in missing.items() if ids}
            if not missing:
                return
            for name, ids in missing.items():
                table = SHAPES[name].table
                for chunk in _chunks(sorted(ids), 5000):
                    rows.setdefault(name, {}).update(_by_id(central.execute(select(table).where(table.c.id.in_(chunk)))))

    def _not_local(self, table: Table, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        ids = set(ids)
        with self.local.connect() as conn:
            conn = conn.execution_options(**READ_ONLY)
            for chunk in _chunks(sorted(ids), 5000):
                ids -= set(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
            conn.rollback()
        return ids

    def _apply(self, rows: dict[str, dict[uuid.UUID, dict[str, Any]]], high: int, report: PullReport) -> None:
        with self.local.begin() as conn:
            conn.info["applying_sync"] = True
            pending = set(conn.execute(select(_OUTBOX.c.entity_id).where(
                _OUTBOX.c.state == OutboxState.PENDING).distinct()).scalars())
            for name in SHAPES:
                records = [r for i, r in rows.get(name, {}).items() if i not in pending]
                report.kept_local += len(rows.get(name, {})) - len(records)
                if records:
                    self._upsert(conn, SHAPES[name].table, records, report)
            write_value(conn, PULL_CURSOR, {"seq": high})

    @staticmethod
    def _upsert(conn: Connection, table: Table, records: list[dict[str, Any]], report: PullReport) -> None:
        if conn.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"], set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"})
        try:
            with conn.begin_nested():
                conn.execute(stmt, records)
            report.applied += len(records)
            return
        except IntegrityError:
            log.warning("pulled %s clash with local rows; applying one by one", table.name)
        for record in records:  # find the few that clash; the rest still go in
            try:
                with conn.begin_nested():
                    conn.execute(stmt, record)
                report.applied += 1
            except IntegrityError as exc:
                report.rejected += 1
                report.last_reject = f"{table.name} {record['id']}: {str(exc.orig).splitlines()[0][:200]}"
                log.warning("pulled row not applied: %s", report.last_reject)


def _by_id(result: Any) -> dict[uuid.UUID, dict[str, Any]]:
    """Rows as plain dicts keyed by id (keys read once: ``row._mapping`` per row costs more)."""
    keys = list(result.keys())
    at = keys.index("id")
    return {r[at]: dict(zip(keys, r)) for r in result.all()}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
