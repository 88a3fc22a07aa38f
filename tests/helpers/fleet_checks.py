"""The invariants of the fleet test (``tests/helpers/fleet.py``), checked after everything synced.

- one ``resolution.issued`` per resolved RMA in central's event feed, and one effective
  resolution per RMA on central;
- every RMA number names one RMA everywhere;
- one receipt per parcel and one unit per LPN on central;
- every dock equal to central for the tables they share: central's rows are on every dock as
  central holds them, and a dock's own rows are on central, except the ones it voided as a
  settled duplicate parcel (central never held those);
- nothing left pending in any outbox, central no longer fenced after a restore
  (``station.sync.fence``); ``audit verify`` clean at every dock.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, func, select

if TYPE_CHECKING:
    from tests.helpers.fleet import Fleet


def _rows(engine: Engine, table: Table) -> dict[Any, dict[str, Any]]:
    with engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(select(table))}


def effective_resolutions(conn) -> list[Any]:  # type: ignore[no-untyped-def]
    """Central's resolutions that stand (a voided second decision does not)."""
    from station.models import Resolution

    table = Resolution.__table__
    query = select(table.c.id, table.c.rma_id, table.c.station_id, table.c.state)
    return [r for r in conn.execute(query) if r.state != "voided"]


def check_fleet(fleet: Fleet) -> None:
    from station.models import DomainEvent, Receipt, Rma, Unit
    from station.sync.connection import make_central_engine
    from station.sync.central_schema import fence_log
    from station.sync.fence import current_fence

    inv, checked = fleet.figures.invariants, fleet.figures.checked
    central = make_central_engine(fleet.central_url, station_id="CHECK")
    try:
        with central.connect() as conn:
            issued = Counter(conn.execute(select(DomainEvent.rma_number)
                                          .where(DomainEvent.name == "resolution.issued")).scalars())
            standing = effective_resolutions(conn)
            numbers = dict(conn.execute(select(Rma.id, Rma.number)).all())
            per_parcel = conn.execute(select(Receipt.rma_id, func.count()).group_by(Receipt.rma_id)
                                      .having(func.count() > 1)).all()
            per_lpn = conn.execute(select(Unit.lpn, func.count()).group_by(Unit.lpn)
                                   .having(func.count() > 1)).all()
            fenced = current_fence(conn)
            fence_steps = Counter(conn.execute(select(fence_log.c.event)).scalars())
        fleet.figures.fence_steps.update(fence_steps)
        if fenced is not None:  # every dock synced: a restore's fence must be lifted by now
            inv.left_pending.append(f"central: {fenced.words()}")
        inv.issued_twice += [n for n, c in issued.items() if c > 1]
        inv.left_pending += [f"central: resolution of {numbers.get(r.rma_id)} still pending"
                             for r in standing if r.state != "effective"]
        per_rma = Counter(r.rma_id for r in standing)
        inv.effective_twice += [numbers.get(rma_id, str(rma_id)) for rma_id, c in per_rma.items() if c > 1]
        # Resolutions the docks made in this run (the demo warehouse's came without events).
        docks = {sid for sid, _ in _docks()}
        inv.resolved_without_event += [numbers[r.rma_id] for r in standing
                                       if r.station_id in docks and numbers.get(r.rma_id) not in issued]
        inv.receipts_twice += [numbers.get(rma_id, str(rma_id)) for rma_id, _ in per_parcel]
        inv.units_twice += [lpn for lpn, _ in per_lpn]
        fleet.figures.resolved_rmas = len(per_rma)
        checked["resolution events"] += sum(issued.values())
        checked["RMAs"] += len(numbers)
        for station_id in (sid for sid, _ in _docks()):
            _check_dock(fleet, station_id, central, numbers)
    finally:
        central.dispose()


def _docks() -> tuple[tuple[str, int], ...]:
    from tests.helpers.fleet import DOCKS

    return DOCKS


def _shared_tables() -> list[Table]:
    """The tables every dock shares with central (pulled down and pushed up)."""
    from station.models import Base
    from station.sync.pull import PULL_TABLES

    return [Base.metadata.tables[name] for name in PULL_TABLES]


def _check_dock(fleet: Fleet, station_id: str, central: Engine, numbers: dict[Any, str]) -> None:
    from station.audit import chain as audit
    from station.core.db import make_session_factory
    from station.models import OutboxEvent, OutboxState, Rma
    from station.sync.lost_parcels import VOID_FLAG

    inv, checked = fleet.figures.invariants, fleet.figures.checked
    with fleet._dock(station_id) as (engine, _, _):
        with engine.connect() as conn:
            mine = dict(conn.execute(select(Rma.id, Rma.number)).all())
            left = conn.execute(select(OutboxEvent.state, func.count()).where(OutboxEvent.state != OutboxState.SENT)
                                .group_by(OutboxEvent.state)).all()
        inv.numbers_clash += [f"{station_id}: {n} is RMA {i} here and {numbers[i]} on central"
                              for i, n in mine.items() if i in numbers and numbers[i] != n]
        by_number = {n: i for i, n in numbers.items()}
        inv.numbers_clash += [f"{station_id}: {n} names another RMA on central"
                              for i, n in mine.items() if n in by_number and by_number[n] != i]
        inv.left_pending += [f"{station_id}: {n} {state}" for state, n in left]
        tables = {t.name: _rows(engine, t) for t in _shared_tables()}
        # A voided duplicate parcel stays at its dock with what was recorded against it
        # (inspections, dispositions, approvals rejected by the void); central never held them.
        void_ids = {k for name in ("receipts", "units") for k, r in tables[name].items()
                    if VOID_FLAG in (r.get("flags") or [])}
        for table in _shared_tables():
            here, there = tables[table.name], _rows(central, table)
            checked[f"{table.name} rows compared"] += len(there)
            for key, row in there.items():
                if here.get(key) != row:
                    inv.dock_differs.append(f"{station_id}: {table.name} {key} "
                                            f"{'missing' if key not in here else 'differs'}")
            for key, row in here.items():
                voided = (VOID_FLAG in (row.get("flags") or []) or row.get("state") == "voided"
                          or row.get("unit_id") in void_ids or row.get("entity_id") in void_ids)
                if key not in there and not voided:  # a dock's own void: central never held it
                    inv.dock_differs.append(f"{station_id}: {table.name} {key} is not on central")
        with make_session_factory(engine)() as db:
            result = audit.verify_chain(db)
            db.rollback()
        checked["audit events verified"] += result.events
        inv.audit_broken += [f"{station_id}: event {b.seq} {b.problem}" for b in result.breaks]
