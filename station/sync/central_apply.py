"""Applying one batch of outbox events inside one central transaction.

Steps, all in the caller's transaction (so the batch lands whole or not at all):

1. Claim every event UUID in ``sync_applied_events`` (``ON CONFLICT DO NOTHING RETURNING``).
   Events already there were applied by an earlier push whose reply never reached the
   station: they are skipped, which makes a retried batch change nothing. Two pushers of the
   same batch serialise on the unique index, so the second also sees them as done.
2. Fold the remaining events per record (an insert then two updates become one insert of the
   last state; updates keep the version the first one was based on).
3. Per table, parents first: COPY the rows into a staging table, then one INSERT ... SELECT
   ``ON CONFLICT DO NOTHING`` and one UPDATE ... FROM guarded by ``version = base version``
   (optimistic locking) and by parent rows existing. Records not written are conflicts.
4. A new receipt whose RMA change from the same station was refused (the parcel was received
   at another dock first) is held back, not written: its units and anything else that
   refers to it then fail their parent check and join the same conflict as members, so a
   duplicate parcel never doubles the units on central (``held_receipts``).
5. Every conflict becomes a ``sync_conflicts`` row with both sides' data and the reason in
   words, and its record re-enters the change feed so the losing station pulls the winner.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Connection, Table, bindparam, select

from station.core.serialize import to_json_value
from station.resolution.commitments import standing_resolution
from station.rtv.commitments import VOID_TAIL, standing_credit
from station.sync.bulk import as_copy_row, copy_rows, copy_text, fixed_point_columns, json_columns, quote
from station.sync.central_schema import applied_events, conflict_members, conflicts
from station.sync.feed import note_changes
from station.sync.fence import hold_if_fenced
from station.sync.held_back import (
    held_events,
    held_receipts,
    held_references,
    holding_conflicts,
    last_writer,
    member,
    rma_conflict,
    why_held,
)
from station.sync.outbox_queue import PendingEvent
from station.sync.payloads import SHAPES

log = logging.getLogger(__name__)

TABLE_ORDER = tuple(SHAPES)
"""Synced tables, parents before children (``SYNCED_MODELS`` order)."""


@dataclass(frozen=True)
class Chain:
    """All new events of one record in this batch, oldest first."""

    events: tuple[PendingEvent, ...]

    @property
    def last(self) -> PendingEvent:
        return self.events[-1]

    @property
    def operation(self) -> str:
        return self.events[0].operation

    @property
    def base_version(self) -> int | None:
        if self.operation == "insert":
            return None
        first = self.events[0]
        return first.base if first.base is not None else first.version - 1


@dataclass
class BatchOutcome:
    applied: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    conflicts: dict[int, str] = field(default_factory=dict)
    held: dict[int, str] = field(default_factory=dict)
    """Events central did not take while fenced after a restore (``station.sync.fence``): they
    stay pending at the dock with this note."""
    orphans: bool = False
    """Some held event was an effective resolution's update whose creation waits elsewhere."""

    @property
    def all_seqs(self) -> list[int]:
        return self.applied + self.duplicates + list(self.conflicts)


class Batch(list[PendingEvent]):
    """Events to push, with their central work prepared ahead (``prepare_batch``)."""

    prepared: Prepared | None = None


@dataclass(frozen=True)
class Prepared:
    """A batch's chains and COPY data, built in the read-ahead thread assuming every event is
    new to central (true unless a reply was lost); ``apply_batch`` uses them only then."""

    pushed_by: str
    events_copy: bytes | None
    chains: dict[str, list[Chain]]
    tables_copy: dict[str, bytes | None]


def _fold(events: Sequence[PendingEvent]) -> dict[str, list[Chain]]:
    """Events per record, in ``TABLE_ORDER``."""
    per_table: dict[str, dict[uuid.UUID, list[PendingEvent]]] = {}
    for event in events:
        per_table.setdefault(event.entity_type, {}).setdefault(event.entity_id, []).append(event)
    return {name: [Chain(tuple(evs)) for evs in per_table[name].values()]
            for name in TABLE_ORDER if name in per_table}


def _event_rows(events: Sequence[PendingEvent], pushed_by: str) -> Iterator[tuple[Any, ...]]:
    return ((e.event_id, pushed_by, e.entity_type, e.entity_id, e.version) for e in events)


def _stage_rows(table: Table, chains: list[Chain]) -> Iterator[list[Any]]:
    positions, fixed = json_columns(table), fixed_point_columns(table)
    return ([*as_copy_row(c.last.row, positions, fixed), c.operation, c.base_version] for c in chains)


def prepare_batch(events: Sequence[PendingEvent], pushed_by: str) -> Batch:
    """``events`` with their chains and COPY data built now (off the pushing thread)."""
    batch = Batch(events)
    chains = _fold(events)
    batch.prepared = Prepared(
        pushed_by, copy_text(_event_rows(events, pushed_by)), chains,
        {name: copy_text(_stage_rows(SHAPES[name].table, table_chains)) for name, table_chains in chains.items()})
    return batch


def apply_batch(conn: Connection, events: Sequence[PendingEvent], pushed_by: str) -> BatchOutcome:
    """Apply ``events`` on ``conn`` (inside the caller's transaction); see the module doc."""
    outcome = BatchOutcome()
    prepared = getattr(events, "prepared", None)
    if prepared is not None and prepared.pushed_by != pushed_by:
        prepared = None
    claimed = _claim(conn, events, pushed_by, prepared.events_copy if prepared else None)
    duplicates = {e.event_id for e in events if e.event_id in claimed and claimed[e.event_id] >= e.version}
    fenced = hold_if_fenced(conn, [e for e in events if e.event_id not in duplicates])
    outcome.held, outcome.orphans = fenced.notes, fenced.orphans
    if claimed or fenced.notes or prepared is None:
        fresh = [_since(e, claimed[e.event_id]) if e.event_id in claimed else e
                 for e in events if e.event_id not in duplicates and e.seq not in fenced.notes]
        _note_newer(conn, [e for e in fresh if e.event_id in claimed])
        outcome.duplicates.extend(e.seq for e in events if e.event_id in duplicates)
        chains, copies = _fold(fresh), {}
    else:
        chains, copies = prepared.chains, prepared.tables_copy
    refused_rmas: set[uuid.UUID] = set()
    for name, table_chains in chains.items():
        held: list[Chain] = []
        joined: dict[uuid.UUID, int] = {}
        if name == "receipts":
            held = held_receipts(conn, table_chains, refused_rmas, pushed_by)
        elif name == "domain_events":
            joined = held_events(conn, table_chains)
            held = [c for c in table_chains if c.last.entity_id in joined]
        elif name == "approvals":
            joined = held_references(conn, table_chains)
            held = [c for c in table_chains if c.last.entity_id in joined]
        if held:
            held_ids = {c.last.entity_id for c in held}
            table_chains = [c for c in table_chains if c.last.entity_id not in held_ids]
            copies = {**copies, name: None}  # the prepared COPY text holds the held ones too
        lost_ids = _apply_table(conn, SHAPES[name].table, table_chains, copies.get(name)) if table_chains else set()
        lost = [c for c in table_chains if c.last.entity_id in lost_ids] if lost_ids else []
        for chain in table_chains:
            if not lost_ids or chain.last.entity_id not in lost_ids:
                outcome.applied.extend(e.seq for e in chain.events)
        if name == "rmas":
            refused_rmas.update(c.last.entity_id for c in lost)
        if lost or held:
            for chain, reason in _record_conflicts(conn, SHAPES[name].table, [*held, *lost], pushed_by,
                                                   held=[] if joined else held, joined=joined):
                for event in chain.events:
                    outcome.conflicts[event.seq] = reason
    return outcome


def _since(event: PendingEvent, applied: int) -> PendingEvent:
    """An entry sent again whose record changed since central applied it (the reply was lost,
    then the dock worked on): the record as it is now, as an update of the version central
    took the first time."""
    return event._replace(operation="update", base=applied)


def _note_newer(conn: Connection, events: Sequence[PendingEvent]) -> None:
    """The ledger keeps the version an event last carried, for the next time it comes again."""
    if events:
        conn.execute(applied_events.update().where(applied_events.c.event_id == bindparam("e"))
                     .values(entity_version=bindparam("v")), [{"e": e.event_id, "v": e.version} for e in events])


def _claim(conn: Connection, events: Sequence[PendingEvent], pushed_by: str,
           text: bytes | None = None) -> dict[uuid.UUID, int]:
    """Claim the events in the ledger; returns the ids that were already there with the
    version central applied then (usually none: only those come back over the wire)."""
    conn.exec_driver_sql(
        "CREATE TEMP TABLE sync_stage_events (event_id uuid, pushed_by varchar(64), "
        "entity_type varchar(40), entity_id uuid, entity_version integer) ON COMMIT DROP")
    copy_rows(conn, "sync_stage_events",
              ("event_id", "pushed_by", "entity_type", "entity_id", "entity_version"),
              _event_rows(events, pushed_by), text)
    rows = conn.exec_driver_sql(
        "WITH claimed AS (INSERT INTO sync_applied_events (event_id, pushed_by, entity_type, entity_id, "
        "entity_version) SELECT event_id, pushed_by, entity_type, entity_id, entity_version FROM sync_stage_events "
        "ON CONFLICT (event_id) DO NOTHING RETURNING event_id) "
        # A concurrent pusher's claim is not in this statement's snapshot: taken as applied
        # with any version (a plain duplicate), as before versions were compared.
        "SELECT s.event_id, coalesce(a.entity_version, 2147483647) FROM sync_stage_events s "
        "LEFT JOIN sync_applied_events a ON a.event_id = s.event_id "
        "WHERE s.event_id NOT IN (SELECT event_id FROM claimed)")
    return {r[0]: int(r[1]) for r in rows}


def _parent_checks(conn: Connection, table: Table) -> str:
    checks = []
    for fk in table.foreign_keys:
        col = quote(conn, fk.parent.name)
        parent = quote(conn, fk.column.table.name)
        checks.append(f"(s.{col} IS NULL OR EXISTS (SELECT 1 FROM {parent} p WHERE p.id = s.{col}))")
    return " AND ".join(checks) or "TRUE"


def _apply_table(conn: Connection, table: Table, chains: list[Chain], text: bytes | None = None) -> set[uuid.UUID]:
    """Stage and write one table's records; returns the ids NOT written (usually none: only
    those come back over the wire)."""
    name, stage = quote(conn, table.name), quote(conn, f"sync_stage_{table.name}")
    columns = [c.name for c in table.columns]
    cols = ", ".join(quote(conn, c) for c in columns)
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT *, ''::varchar(12) AS sync_op, "
                         f"0 AS sync_base FROM {name} WITH NO DATA")
    copy_rows(conn, f"sync_stage_{table.name}", [*columns, "sync_op", "sync_base"], _stage_rows(table, chains), text)
    parents = _parent_checks(conn, table)
    lost: set[uuid.UUID] = set()
    if any(c.operation == "insert" for c in chains):
        rows = conn.exec_driver_sql(
            f"WITH written AS (INSERT INTO {name} ({cols}) SELECT {cols} FROM {stage} s "
            f"WHERE s.sync_op = 'insert' AND {parents} ON CONFLICT DO NOTHING RETURNING id) "
            f"SELECT s.id FROM {stage} s WHERE s.sync_op = 'insert' "
            f"AND s.id NOT IN (SELECT id FROM written)")
        lost.update(r[0] for r in rows)
        if lost:
            lost -= _already_there(conn, table, name, stage)
    if any(c.operation == "update" for c in chains):
        # Lock in id order first: two stations updating overlapping records never deadlock.
        conn.exec_driver_sql(f"SELECT t.id FROM {name} t JOIN {stage} s ON s.id = t.id "
                             f"WHERE s.sync_op = 'update' ORDER BY t.id FOR UPDATE OF t").all()
        sets = ", ".join(f"{quote(conn, c)} = s.{quote(conn, c)}" for c in columns if c != "id")
        rows = conn.exec_driver_sql(
            f"WITH written AS (UPDATE {name} AS t SET {sets} FROM {stage} s WHERE s.sync_op = 'update' "
            f"AND t.id = s.id AND t.version = s.sync_base AND {parents} RETURNING t.id) "
            f"SELECT s.id FROM {stage} s WHERE s.sync_op = 'update' "
            f"AND s.id NOT IN (SELECT id FROM written)")
        lost.update(r[0] for r in rows)
    return lost


BOOKKEEPING = frozenset({"station_id", "created_at", "updated_at", "version"})
"""Columns that say who wrote a record and when, not what it says."""


def _already_there(conn: Connection, table: Table, name: str, stage: str) -> set[uuid.UUID]:
    """Inserted records central already holds with the same content (who wrote it and when
    aside): the same order sent to two returns services, whose id comes from its number. Such a
    write changes nothing, so it is applied, not a conflict."""
    same = " AND ".join(
        f"t.{quote(conn, c.name)}::jsonb IS NOT DISTINCT FROM s.{quote(conn, c.name)}::jsonb"
        if isinstance(c.type, JSON) else f"t.{quote(conn, c.name)} IS NOT DISTINCT FROM s.{quote(conn, c.name)}"
        for c in table.columns if c.name not in BOOKKEEPING and c.name != "id")
    rows = conn.exec_driver_sql(f"SELECT s.id FROM {stage} s JOIN {name} t ON t.id = s.id "
                                f"WHERE s.sync_op = 'insert' AND {same}")
    return {r[0] for r in rows}


def _why(conn: Connection, table: Table, chain: Chain, central: dict[str, Any] | None,
         pushed_by: str) -> tuple[str, str | None]:
    """The reason in words, naming the station of each version, and the station whose version
    central holds (``None`` when central has none)."""
    event = chain.last
    what = f"{table.name} {event.entity_id}"
    if central is not None:
        writer = last_writer(conn, event.entity_id, central)
        if chain.operation == "insert":
            return f"{what} already exists on central (version {central['version']}, written by {writer}).", writer
        if central["version"] != chain.base_version:
            label = f"RMA {central['number']}" if table.name == "rmas" and central.get("number") else what
            return (f"{label} was changed on central by {writer} (central version {central['version']}); "
                    f"{pushed_by}'s change was based on version {chain.base_version}."), writer
    elif chain.operation == "update":
        return f"{what} is not on central (its creation never arrived there).", None
    if table.name == "resolutions":
        standing = standing_resolution(conn, event.payload.get("rma_id"))
        if standing is not None:
            return standing
    if table.name == "rtv_credits":
        credited = standing_credit(conn, event.payload.get("batch_id"), besides=event.entity_id)
        if credited is not None:
            return credited[0] + VOID_TAIL, credited[1]
    for fk in table.foreign_keys:
        parent_id = event.payload.get(fk.parent.name)
        if parent_id is not None:
            parent = fk.column.table
            if conn.execute(select(parent.c.id).where(parent.c.id == uuid.UUID(str(parent_id)))).first() is None:
                return f"{what} refers to {parent.name} {parent_id}, which is not on central.", None
    taken = [c.name for c in table.columns if c.unique and event.payload.get(c.name) is not None
             and conn.execute(select(table.c.id).where(table.c[c.name] == event.payload[c.name])).first()]
    if taken:
        return f"{what}: {', '.join(f'{c} {event.payload[c]}' for c in taken)} is already taken on central.", None
    return f"{what} could not be written on central.", None


def _record_conflicts(conn: Connection, table: Table, lost: list[Chain], pushed_by: str, *,
                      held: Sequence[Chain] = (), joined: dict[uuid.UUID, int] | None = None
                      ) -> list[tuple[Chain, str]]:
    """One conflict per lost record, except records that depend on one already held back in
    an open conflict: those join it as members, so the conflict is settled as a whole."""
    ids = [c.last.entity_id for c in lost]
    central = {r.id: {k: to_json_value(v) for k, v in r._mapping.items()}
               for r in conn.execute(select(table).where(table.c.id.in_(ids)))}
    held_ids = {c.last.entity_id for c in held}
    joined = joined or {}
    joining = {**holding_conflicts(conn, table, [c for c in lost if c.last.entity_id not in held_ids | set(joined)]),
               **joined}
    out, rows, members = [], [], []
    for chain in lost:
        conflict_id = joining.get(chain.last.entity_id)
        if conflict_id is not None:
            reason = f"{table.name} {chain.last.entity_id} is held back with conflict #{conflict_id}."
            members.append(member(chain, table, conflict_id))
            out.append((chain, reason))
            continue
        if chain.last.entity_id in held_ids:
            reason, writer = why_held(conn, chain, pushed_by)
            parcel = rma_conflict(conn, chain, pushed_by)
            if parcel is not None:  # one conflict for the whole parcel: the RMA change and its receipt
                conn.execute(conflicts.update().where(conflicts.c.id == parcel).values(reason=reason, central_by=writer))
                log.warning("sync conflict #%d from %s: %s", parcel, pushed_by, reason)
                members.append(member(chain, table, parcel))
                out.append((chain, reason))
                continue
        else:
            reason, writer = _why(conn, table, chain, central.get(chain.last.entity_id), pushed_by)
        row = central.get(chain.last.entity_id)
        log.warning("sync conflict from %s: %s", pushed_by, reason)
        out.append((chain, reason))
        rows.append({
            "event_id": chain.last.event_id, "pushed_by": pushed_by, "entity_type": table.name,
            "entity_id": chain.last.entity_id, "operation": chain.operation,
            "base_version": chain.base_version, "station_version": chain.last.version,
            "central_version": row["version"] if row else None, "reason": reason,
            "station_payload": chain.last.payload, "central_payload": row, "central_by": writer,
        })
    if rows:
        made: Any = conn.execute(conflicts.insert().returning(conflicts.c.id, conflicts.c.event_id,
                                                         sort_by_parameter_order=True), rows).all()
        by_event: dict[Any, int] = {event_id: int(conflict_id) for conflict_id, event_id in made}
        members.extend(member(c, table, by_event[c.last.event_id]) for c in lost if c.last.event_id in by_event)
    conn.execute(conflict_members.insert(), members)
    event_ids = [e.event_id for c in lost for e in c.events]
    conn.execute(applied_events.update().where(applied_events.c.event_id.in_(event_ids))
                 .values(outcome="conflict"))
    # The loser pulls the winner: its record re-enters the feed.
    note_changes(conn, table.name, ids)
    return out


