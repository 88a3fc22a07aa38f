"""``resolve --auto`` in bulk writes exactly what the per-RMA service path writes: one station
file, received and dispositioned through the real services, copied twice; the policy runs
through each path on its copy; every row the run wrote is compared (ids and wall-clock
stamps aside) and both audit chains verify."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from station.audit.chain import verify_chain
from station.core.db import make_engine, make_session_factory, upgrade
from station.models import Rma, RmaState
from station.resolution.queue import ResolutionQueue
from tests.helpers.builders import add_product, add_rma
from tests.station.resolution.test_queue import build, events, receive_and_dispose

VOLATILE = {"id", "created_at", "updated_at", "resolution_id", "event_id", "seq", "hash", "prev_hash"}


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _rows(path: Path, since: dict[str, int]) -> dict[str, list[Any]]:
    """What the run wrote: every table it touches, in a form both paths must share."""
    engine = make_engine(f"sqlite:///{path}")
    out: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        def q(sql: str, **kw: Any) -> list[Any]:
            rows = [dict(r._mapping) for r in conn.execute(text(sql), kw)]
            for row in rows:  # JSON columns come back as text through plain SQL
                for k in ("payload", "details", "breakdown"):
                    if isinstance(row.get(k), str):
                        row[k] = _clean(json.loads(row[k]))
            return rows

        out["rmas"] = q("SELECT number, state, version FROM rmas ORDER BY number")
        out["units"] = q("SELECT lpn, state, version, disposition FROM units ORDER BY lpn")
        out["resolutions"] = q("SELECT r.number, s.kind, s.gross_amount, s.fee_amount, s.amount, s.currency, "
                               "s.breakdown, s.reason, s.issued_by, s.issued_at, s.station_id, s.version "
                               "FROM resolutions s JOIN rmas r ON r.id = s.rma_id ORDER BY r.number")
        out["events"] = [_clean(r) for r in q(
            "SELECT rma_number, rma_seq, name, payload, occurred_at, station_id, version FROM domain_events "
            "ORDER BY rma_number, rma_seq")]
        out["audit"] = q("SELECT at, station_id, operator_id, operator_badge, action, entity_type, entity_id, "
                         "details, hash_scheme FROM audit_events WHERE seq > :s ORDER BY seq", s=since["audit"])
        out["queue"] = q("SELECT r.number, q.ready_at, q.resolved_at, q.closed_at, q.decided_by, "
                         "q.resolution_id IS NOT NULL AS has_resolution FROM resolution_queue q "
                         "JOIN rmas r ON r.id = q.rma_id ORDER BY r.number")
        outbox = q("SELECT station_id, entity_type, entity_id, entity_version, operation, base_version, payload, "
                   "state, attempts, last_error FROM outbox WHERE seq > :s", s=since["outbox"])
        for row in outbox:
            if row["operation"] == "insert":
                row.pop("entity_id")  # a new record's id is new on each side
        out["outbox"] = sorted(outbox, key=repr)
    engine.dispose()
    return out


def _marks(path: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        marks = {"audit": conn.scalar(text("SELECT coalesce(max(seq), 0) FROM audit_events")),
                 "outbox": conn.scalar(text("SELECT coalesce(max(seq), 0) FROM outbox"))}
    engine.dispose()
    return marks


def _verify(path: Path) -> None:
    sf = make_session_factory(make_engine(f"sqlite:///{path}"))
    with sf() as db:
        result = verify_chain(db)
    assert result.ok and result.complete and result.keyed > 0, result.breaks


@pytest.fixture
def waiting_station(tmp_path: Path):
    """A station file with RMAs waiting: routine refunds, a pair, one above the limit, one
    still waiting for a unit (not in the queue at all)."""
    path = tmp_path / "base.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    s = build(make_session_factory(engine), auto=False)
    with s["sf"].begin() as db:
        shirt = add_product(db, "AP-TS-M", name_en="T-shirt", name_zh="T恤", value="79.00")
        more = [add_rma(db, [(shirt, 1)], reason="size", price="79.00", customer_ref=f"C-3{i:03d}").number
                for i in range(6)]
    for number in (s["jeans"], s["pair"], s["phone"], *more):
        receive_and_dispose(s, number)
    engine.dispose()
    return path, s


@pytest.mark.parametrize("pushed", [False, True], ids=["changes still waiting", "changes read by a push"])
def test_bulk_auto_resolution_writes_the_same_rows_as_the_per_rma_path(waiting_station, tmp_path, pushed):
    base, s = waiting_station
    marks = _marks(base)
    results = {}
    for bulk in (False, True):
        path = tmp_path / f"{'bulk' if bulk else 'each'}.sqlite"
        shutil.copyfile(base, path)
        engine = make_engine(f"sqlite:///{path}")
        if pushed:  # a push has read every entry so far: the resolved records need entries of their own
            with engine.begin() as conn:
                conn.exec_driver_sql("UPDATE outbox_fence SET seq = (SELECT max(seq) FROM outbox)")
        ctx = dataclasses.replace(s["ctx"], session_factory=make_session_factory(engine))
        outcomes = ResolutionQueue(ctx).auto_resolve(s["supervisor"], batch=3, bulk=bulk)
        engine.dispose()
        results[bulk] = (outcomes, _rows(path, marks))
        _verify(path)
    (each_out, each_rows), (bulk_out, bulk_rows) = results[False], results[True]
    assert sum(o.issued for o in each_out) == 8 and len(each_out) == 9  # the phone is above the limit
    assert bulk_out == each_out
    for table in each_rows:
        assert bulk_rows[table] == each_rows[table], table
    kinds = Counter(row["entity_type"] for row in bulk_rows["outbox"])
    # One entry per changed record: 8 resolutions, their resolution.issued and rma.closed events;
    # the RMAs and units closed here reuse the entries still waiting from receiving, unless a
    # push has read those (then each gets one, based on the version the push read).
    assert kinds["resolutions"] == 8 and kinds["domain_events"] == 16
    assert kinds["rmas"] == (8 if pushed else 0) and (kinds["units"] > 8 if pushed else kinds["units"] == 0)
    assert len(bulk_rows["audit"]) == 16


def test_bulk_auto_resolution_closes_the_rma_and_continues_its_event_numbers(waiting_station):
    _base, s = waiting_station
    engine = make_engine(f"sqlite:///{_base}")
    ctx = dataclasses.replace(s["ctx"], session_factory=make_session_factory(engine))
    ResolutionQueue(ctx).auto_resolve(s["supervisor"], bulk=True)
    with ctx.session_factory() as db:
        assert db.scalar(select(Rma.state).where(Rma.number == s["jeans"])) == RmaState.CLOSED
        assert db.scalar(select(Rma.state).where(Rma.number == s["phone"])) == RmaState.RECEIVED  # above the limit
    names = events({"sf": ctx.session_factory}, s["jeans"])
    assert names[-2:] == ["resolution.issued", "rma.closed"] and names[0] == "rma.received"
    assert ResolutionQueue(ctx).page().total == 1
    engine.dispose()
    _verify(_base)
