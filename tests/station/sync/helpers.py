"""Shared story steps for the sync tests: upstream data, receiving, comparing databases."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from station.models import (
    Inspection, OutboxEvent, OutboxState, Receipt, Rma, RmaLine, Role, Unit,
)
from station.sync.central_schema import applied_events
from tests.helpers.builders import add_operator, add_product, add_rma

STATION_TABLES = (Rma.__table__, RmaLine.__table__, Receipt.__table__, Unit.__table__, Inspection.__table__)


def upstream(central_sf, rmas: int, *, clerks: int = 3, inspectors: int = 2) -> list[str]:
    """The web shop writes straight into central: staff, two products, RMAs of 1 + 2 units."""
    with central_sf.begin() as db:
        db.info["applying_sync"] = True
        for n in range(1, clerks + 1):
            add_operator(db, Role.CLERK, badge=f"CLERK{n}")
        for n in range(1, inspectors + 1):
            add_operator(db, Role.INSPECTOR, badge=f"INSP{n}")
        shirt = add_product(db, "TS-1")
        shoes = add_product(db, "SH-1", category="shoes", name_en="Shoes", name_zh="鞋")
        return [add_rma(db, [(shirt, 1), (shoes, 2)]).number for _ in range(rmas)]


def rows(engine: Engine, table, where=None) -> dict:
    query = select(table)
    if where is not None:
        query = query.where(where)
    with engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(query)}


def count(engine: Engine, table, where=None) -> int:
    query = select(func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def pending(engine: Engine) -> int:
    return count(engine, OutboxEvent.__table__, OutboxEvent.state == OutboxState.PENDING)


def assert_central_has_station(central: Engine, station_engine: Engine, station_id: str) -> None:
    """Every receipt and unit the station wrote is on central exactly as written, once."""
    for table in (Receipt.__table__, Unit.__table__):
        mine = rows(station_engine, table, table.c.station_id == station_id)
        theirs = rows(central, table, table.c.station_id == station_id)
        assert theirs == mine, f"{table.name} differ for {station_id}"
    sent = count(station_engine, OutboxEvent.__table__, OutboxEvent.state == OutboxState.SENT)
    assert count(central, applied_events, applied_events.c.pushed_by == station_id) == sent
