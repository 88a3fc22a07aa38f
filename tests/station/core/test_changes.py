"""The station says what changed after each commit, so views follow without polling.

Real engines (a SQLite file and PostgreSQL), the station's own services writing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from station.core.changes import Change, feed_for, written_table
from station.core.context import Actor
from station.models import Receipt, Role
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context


def collect(engine: Engine) -> list[Change]:
    seen: list[Change] = []
    feed_for(engine).subscribe(seen.append)
    return seen


def test_receiving_a_parcel_reports_receipts_units_and_audit_once(engine: Engine,
                                                                 session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as db:
        clerk = Actor.of(add_operator(db, Role.CLERK))
        number = add_rma(db, [(add_product(db, "TEE-1"), 2)]).number
    seen = collect(engine)

    ReceivingService(make_context(session_factory)).receive(clerk, number)

    assert len(seen) == 1, "one transaction, one report"
    assert {"receipts", "units", "audit_events"} <= seen[0].tables
    assert seen[0].touches(["units"]) and not seen[0].touches(["vendors"])


def test_a_rolled_back_transaction_reports_nothing(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    seen = collect(engine)
    with pytest.raises(RuntimeError), session_factory.begin() as db:
        add_product(db, "MUG-1")
        db.flush()
        raise RuntimeError("the clerk's process died mid-transaction")
    assert seen == []
    with session_factory() as db:
        assert db.execute(text("select count(*) from products")).scalar() == 0


def test_reads_report_nothing_and_raw_sql_writes_are_seen(engine: Engine,
                                                          session_factory: sessionmaker[Session]) -> None:
    seen = collect(engine)
    with session_factory() as db:
        db.execute(select(Receipt)).all()
    assert seen == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE operators SET name = name WHERE 1 = 0"))
    assert [c.tables for c in seen] == [frozenset({"operators"})]


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


@pytest.mark.parametrize(("sql", "table"), [
    ('INSERT INTO "units" (id) VALUES (1)', "units"),
    ("insert or replace into label_jobs values (1)", "label_jobs"),
    ("UPDATE public.outbox SET sent = 1", "outbox"),
    ("DELETE FROM sync_state", "sync_state"),
    ("REPLACE INTO rmas VALUES (1)", "rmas"),
    ("SELECT * FROM units", None),
    ("WITH x AS (SELECT 1) SELECT * FROM x", None),
    ("BEGIN IMMEDIATE", None),
])
def test_which_table_a_statement_writes(sql: str, table: str | None) -> None:
    assert written_table(sql) == table
