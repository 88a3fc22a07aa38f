"""Each write says what it changed, told once after the commit, so views follow without polling.

Real engines (a SQLite file and PostgreSQL), the station's own services writing. No SQL text is
read: the ORM names the records it flushed, a Core statement names its table, and anything else
is reported only when its writer declares it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from station.core.changes import NAMED_AT_MOST, Change, declare, feed_for
from station.core.context import Actor
from station.core.outbox import move_fence
from station.intake.imports import import_orders, import_requests
from station.intake.service import IntakeService
from station.models import Approval, AuditEvent, Operator, OutboxEvent, Product, Receipt, Role
from station.receiving.service import ReceivingService
from station.supervision.desk import SupervisionService
from tests.helpers.builders import NOW, add_operator, add_product, add_rma, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue


def collect(engine: Engine) -> list[Change]:
    seen: list[Change] = []
    feed_for(engine).subscribe(seen.append)
    return seen


def late_parcel_held(session_factory: sessionmaker[Session]) -> tuple[Actor, Approval]:
    """A parcel past its return window, received and held for a supervisor's approval."""
    with session_factory.begin() as db:
        clerk = Actor.of(add_operator(db, Role.CLERK))
        boss = Actor.of(add_operator(db, Role.SUPERVISOR))
        number = add_rma(db, [(add_product(db, "TEE-1"), 1)], authorised=NOW - dt.timedelta(days=60)).number
    ReceivingService(make_context(session_factory)).receive(clerk, number)
    with session_factory() as db:
        return boss, db.scalars(select(Approval)).one()


def test_a_supervisor_rejecting_a_late_parcel_reports_exactly_the_approval_and_the_receipt(
        engine: Engine, session_factory: sessionmaker[Session]) -> None:
    boss, approval = late_parcel_held(session_factory)
    with engine.begin() as conn:  # a push has read the receipt's changes: the decision queues its own
        move_fence(conn, conn.scalar(select(func.max(OutboxEvent.seq))))
    seen = collect(engine)

    SupervisionService(make_context(session_factory)).decide(boss, approval.id, False, "no proof of posting")

    with session_factory() as db:
        event_seq = db.scalars(select(AuditEvent.seq).where(AuditEvent.action.like("approval.%_rejected"))).one()
    assert seen == [Change(records=frozenset({("approvals", approval.id), ("receipts", approval.entity_id),
                                              ("audit_events", event_seq)}),
                           unnamed=frozenset({"outbox"}))], "the outbox rows go in by a Core insert: kind only"
    assert seen[0].kinds == {"approvals", "receipts", "audit_events", "outbox"}


def test_receiving_a_parcel_names_the_receipt_and_each_unit_once(engine: Engine,
                                                                 session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as db:
        clerk = Actor.of(add_operator(db, Role.CLERK))
        number = add_rma(db, [(add_product(db, "TEE-1"), 2)]).number
    seen = collect(engine)

    result = ReceivingService(make_context(session_factory)).receive(clerk, number)

    assert len(seen) == 1, "one transaction, one report"
    with session_factory() as db:
        receipt = db.get_one(Receipt, result.receipt_id)
        units = {("units", unit.id) for unit in receipt.units}
    assert len(units) == 2 and units <= seen[0].records
    assert ("receipts", receipt.id) in seen[0].records
    assert seen[0].touches(["units"]) and not seen[0].touches(["vendors"])
    assert seen[0].touches(["units"], ids={next(iter(units))[1]})
    assert not seen[0].touches(["units"], ids={receipt.id}), "the receipt's id is not a unit"


def test_a_rolled_back_transaction_reports_nothing(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    seen = collect(engine)
    with pytest.raises(RuntimeError), session_factory.begin() as db:
        add_product(db, "MUG-1")
        db.flush()
        db.execute(update(Product).values(name_en="Mug"))
        declare(db, "label_jobs")
        raise RuntimeError("the clerk's process died mid-transaction")
    assert seen == []
    with session_factory.begin() as db:  # and nothing of it leaks into the next commit
        add_operator(db, Role.CLERK)
    assert seen[0].kinds == {"operators", "outbox"}
    with session_factory() as db:
        assert db.execute(text("select count(*) from products")).scalar() == 0


def test_a_core_statement_is_reported_by_its_table_without_naming_rows(engine: Engine,
                                                                       session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as db:
        add_operator(db, Role.CLERK, badge="EMP7001")
    seen = collect(engine)
    with engine.begin() as conn:
        conn.execute(update(Operator.__table__).where(Operator.badge == "EMP7001").values(name="Wang Fang"))
    assert seen == [Change(unnamed=frozenset({"operators"}))]
    assert seen[0].touches(["operators"], ids={"any operator at all"}), "unnamed rows may be any of them"


def test_raw_sql_is_reported_only_when_its_writer_declares_it(engine: Engine,
                                                             session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
    seen = collect(engine)
    with session_factory() as db:
        db.execute(select(Receipt)).all()
    with engine.begin() as conn:
        conn.execute(text("UPDATE operators SET name = 'Li Lei'"))
    assert seen == [], "reads report nothing, and SQL text is not read for a table name"

    with engine.begin() as conn:
        conn.execute(text("UPDATE operators SET name = 'Li Lei' WHERE id = :id"), {"id": clerk.id.hex})
        declare(conn, "operators", [clerk.id])
    with session_factory.begin() as db:
        db.execute(text("DELETE FROM label_jobs"))
        declare(db, "label_jobs")
    assert seen == [Change(records=frozenset({("operators", clerk.id)})),
                    Change(unnamed=frozenset({"label_jobs"}))]


def test_a_flush_and_core_statements_in_one_transaction_are_all_reported(
        engine: Engine, session_factory: sessionmaker[Session]) -> None:
    """The ORM's own statements are named by the flush; the Core writes around it on the same
    connection (the outbox hook's insert, a service's bulk update) are seen as statements."""
    with session_factory.begin() as db:
        add_operator(db, Role.CLERK, badge="EMP7002")
    seen = collect(engine)
    with session_factory.begin() as db:
        mug = add_product(db, "MUG-2")
        db.flush()
        db.execute(update(Operator).where(Operator.badge == "EMP7002").values(name="Zhao Min"))
        db.execute(update(Operator).where(Operator.badge == "nobody").values(name="Zhao Min"))
    assert seen == [Change(records=frozenset({("products", mug.id)}), unnamed=frozenset({"outbox", "operators"}))]


def test_a_statement_that_changed_no_row_reports_nothing(engine: Engine,
                                                         session_factory: sessionmaker[Session]) -> None:
    seen = collect(engine)
    with engine.begin() as conn:
        conn.execute(update(Operator.__table__).where(Operator.badge == "nobody").values(name="Zhao Min"))
    assert seen == []


def test_a_batch_import_reports_what_its_driver_sql_wrote(engine: Engine, session_factory: sessionmaker[Session],
                                                          tmp_path: Path) -> None:
    """The batch path writes past SQLAlchemy on SQLite (``exec_driver_sql``) and declares it."""
    seed_catalogue(session_factory)
    service = IntakeService(make_context(session_factory))
    orders, requests = tmp_path / "orders.jsonl", tmp_path / "requests.jsonl"
    orders.write_text(json.dumps(order_payload("SO-1")) + "\n")
    requests.write_text(json.dumps(request_payload("SO-1", quantity=1)) + "\n")
    import_orders(service, orders)
    seen = collect(engine)

    assert import_requests(service, requests).created == 1

    assert {"rma_requests", "rma_request_lines", "rmas", "rma_lines", "audit_events", "domain_events",
            "outbox"} <= set().union(*(c.kinds for c in seen))


def test_a_bulk_write_names_its_kind_not_a_million_ids(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    seen = collect(engine)
    with session_factory.begin() as db:
        declare(db, "rmas", range(NAMED_AT_MOST + 1))
        declare(db, "units", [1, 2])
    assert seen == [Change(records=frozenset({("units", 1), ("units", 2)}), unnamed=frozenset({"rmas"}))]


def test_the_report_comes_after_the_commit_is_visible(engine: Engine,
                                                      session_factory: sessionmaker[Session]) -> None:
    """A listener that reads at once (the status bar's count) already sees the new row."""
    counted: list[int] = []

    def count(_change: Change) -> None:
        with engine.connect() as other:
            counted.append(other.execute(text("select count(*) from products")).scalar_one())

    feed_for(engine).subscribe(count)
    with session_factory.begin() as db:
        add_product(db, "CAP-1")
    assert counted == [1]


def test_a_broken_listener_does_not_fail_the_commit(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    def broken(_change: Change) -> None:
        raise ValueError("a view that was already closed")

    unsubscribe = feed_for(engine).subscribe(broken)
    seen = collect(engine)
    with session_factory.begin() as db:
        add_product(db, "SOCK-1")
    assert len(seen) == 1
    unsubscribe()
    with session_factory.begin() as db:
        add_product(db, "SOCK-2")
    assert len(seen) == 2
