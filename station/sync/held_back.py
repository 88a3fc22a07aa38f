"""Records central holds back as a whole: a parcel received at two docks.

The first dock's receipt stands. The second dock's receipt, whose RMA change central refused,
is held back (not written) and joins that RMA's conflict; every record that depends on it (its
units by parent check, its ``rma.received`` event by receipt id or LPN, later inspections of
those units) joins the same conflict as a member (``sync_conflict_members``), however the
station's outbox was cut into batches. A supervisor then keeps central's version (the held
records stay off central) or the station's (they are all written, parents first).

Also here: which station wrote the version central holds, so conflict texts name both sides.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, literal_column, select, text

from station.sync.central_schema import applied_events, conflict_members, conflicts
from station.sync.payloads import SHAPES

if TYPE_CHECKING:
    from station.sync.central_apply import Chain


def held_receipts(conn: Connection, chains: list[Chain], refused_rmas: set[uuid.UUID],
                  pushed_by: str) -> list[Chain]:
    """New receipts whose RMA change from the same station was refused: a parcel another
    station received first. Such a receipt is held back as a whole (with its units and
    everything else recorded with it) for a supervisor, instead of doubling the units."""
    inserts = [(c, as_uuid(c.last.payload.get("rma_id"))) for c in chains if c.operation == "insert"]
    if not inserts:
        return []
    wanted = {r for _c, r in inserts if r is not None}
    refused = refused_rmas & wanted
    if wanted - refused:
        refused |= set(conn.execute(select(conflicts.c.entity_id).where(
            conflicts.c.entity_type == "rmas", conflicts.c.pushed_by == pushed_by,
            conflicts.c.state == "open", conflicts.c.entity_id.in_(list(wanted - refused)))).scalars())
    return [c for c, rma in inserts if rma in refused]


def held_events(conn: Connection, chains: list[Chain]) -> dict[uuid.UUID, int]:
    """New domain events about a held-back parcel (its receipt, or one of its units by LPN):
    they join its conflict, so the order system never hears of a parcel central does not hold.
    Returns the conflict id by event record id."""
    refs: dict[uuid.UUID, tuple[uuid.UUID | None, set[str]]] = {}
    for chain in chains:
        if chain.operation != "insert":
            continue
        data = chain.last.payload.get("payload") or {}
        receipt = as_uuid(data.get("receipt_id")) if isinstance(data, dict) else None
        lpns = {str(u["lpn"]) for u in data.get("units", []) if isinstance(u, dict) and u.get("lpn")} \
            if isinstance(data, dict) else set()
        if isinstance(data, dict) and data.get("lpn"):
            lpns.add(str(data["lpn"]))
        if receipt is not None or lpns:
            refs[chain.last.entity_id] = (receipt, lpns)
    if not refs:
        return {}
    m, c = conflict_members.c, conflicts.c
    receipts = {r for r, _l in refs.values() if r is not None}
    lpns = set().union(*(lp for _r, lp in refs.values()))
    open_members = select(m.entity_id, m.station_payload["lpn"].as_string().label("lpn"), m.conflict_id).join(
        conflicts, c.id == m.conflict_id).where(c.state == "open").subquery()
    by_receipt: dict[Any, int] = dict(conn.execute(select(open_members.c.entity_id, open_members.c.conflict_id).where(
        open_members.c.entity_id.in_(list(receipts)))).all()) if receipts else {}
    by_lpn: dict[Any, int] = dict(conn.execute(select(open_members.c.lpn, open_members.c.conflict_id).where(
        open_members.c.lpn.in_(list(lpns)))).all()) if lpns else {}
    found = {}
    for event_id, (receipt, event_lpns) in refs.items():
        holder = by_receipt.get(receipt) or next((by_lpn[lp] for lp in event_lpns if lp in by_lpn), None)
        if holder is not None:
            found[event_id] = holder
    return found


def held_references(conn: Connection, chains: list[Chain]) -> dict[uuid.UUID, int]:
    """New rows that point at a held-back record by id alone, with no database link (an
    expired-parcel approval names its receipt in ``entity_id``): the parent check cannot catch
    them, so they join that record's open conflict here. Returns the conflict id by row id."""
    refs = {c.last.entity_id: as_uuid(c.last.payload.get("entity_id")) for c in chains if c.operation == "insert"}
    targets = {t for t in refs.values() if t is not None}
    if not targets:
        return {}
    m, c = conflict_members.c, conflicts.c
    holders: dict[Any, int] = dict(conn.execute(select(m.entity_id, m.conflict_id).join(
        conflicts, c.id == m.conflict_id).where(c.state == "open", m.entity_id.in_(list(targets)))).all())
    return {row: holders[target] for row, target in refs.items() if target in holders}


def as_uuid(value: Any) -> uuid.UUID | None:
    if value is None:
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def last_writer(conn: Connection, entity_id: uuid.UUID, central: dict[str, Any]) -> str:
    """The station whose write central holds (the ledger's newest applied event for the
    record, not counting this batch's, which are claimed before they are written), else the row's creator (an upstream system writing central directly)."""
    this_batch: Any = select(literal_column("event_id")).select_from(text("sync_stage_events"))
    writer = conn.execute(select(applied_events.c.pushed_by).where(
        applied_events.c.entity_id == entity_id, applied_events.c.outcome == "applied",
        applied_events.c.event_id.not_in(this_batch))
        .order_by(applied_events.c.entity_version.desc(), applied_events.c.applied_at.desc()).limit(1)).scalar()
    return str(writer or central.get("station_id") or "central")


def why_held(conn: Connection, chain: Chain, pushed_by: str) -> tuple[str, str | None]:
    """A duplicate parcel: which station received the RMA first, which one second."""
    rma_id = as_uuid(chain.last.payload.get("rma_id"))
    rmas, receipts = SHAPES["rmas"].table, SHAPES["receipts"].table
    number = conn.execute(select(rmas.c.number).where(rmas.c.id == rma_id)).scalar() or str(rma_id)
    first: list[str] = list(dict.fromkeys(conn.execute(select(receipts.c.station_id).where(
        receipts.c.rma_id == rma_id).order_by(receipts.c.received_at)).scalars()))
    if first:
        return (f"RMA {number} was received at {' and '.join(first)} and again at {pushed_by}: "
                f"{first[0]}'s receipt stands; {pushed_by}'s receipt {chain.last.entity_id} and what was "
                f"recorded with it (units, events) are held back, not written on central."), first[0]
    rma = conn.execute(select(rmas).where(rmas.c.id == rma_id)).first()
    writer = last_writer(conn, rma_id, dict(rma._mapping)) if rma else None  # type: ignore[arg-type]
    return (f"RMA {number} was changed on central by {writer} while {pushed_by} received it: "
            f"{pushed_by}'s receipt {chain.last.entity_id} and its units are held back, not written on central."), writer


def holding_conflicts(conn: Connection, table: Table, chains: list[Chain]) -> dict[uuid.UUID, int]:
    """For chains that failed because a record they depend on (a parent, or the record itself)
    is held back in an open conflict: that conflict's id, by the chain's entity id."""
    wanted: dict[uuid.UUID, set[uuid.UUID]] = {}
    for chain in chains:
        ids = {chain.last.entity_id}
        for fk in table.foreign_keys:
            parent = as_uuid(chain.last.payload.get(fk.parent.name))
            if parent is not None:
                ids.add(parent)
        wanted[chain.last.entity_id] = ids
    every = set().union(*wanted.values()) if wanted else set()
    if not every:
        return {}
    m, c = conflict_members.c, conflicts.c
    holders: dict[Any, int] = dict(conn.execute(select(m.entity_id, m.conflict_id).join(conflicts, c.id == m.conflict_id)
                                .where(c.state == "open", m.entity_id.in_(list(every)))).all())
    found = {}
    for entity_id, ids in wanted.items():
        held_by = next((holders[i] for i in ids if i in holders), None)
        if held_by is not None:
            found[entity_id] = held_by
    return found


def rma_conflict(conn: Connection, chain: Chain, pushed_by: str) -> int | None:
    """The open conflict of the same station's change to the receipt's RMA, if any."""
    c = conflicts.c
    return conn.execute(select(c.id).where(
        c.entity_type == "rmas", c.entity_id == as_uuid(chain.last.payload.get("rma_id")), c.pushed_by == pushed_by,
        c.state == "open").order_by(c.id.desc()).limit(1)).scalar()


def member(chain: Chain, table: Table, conflict_id: int) -> dict[str, Any]:
    return {"event_id": chain.last.event_id, "conflict_id": conflict_id, "entity_type": table.name,
            "entity_id": chain.last.entity_id, "operation": chain.operation,
            "station_version": chain.last.version, "station_payload": chain.last.payload}
