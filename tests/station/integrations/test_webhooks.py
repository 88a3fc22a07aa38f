"""Signed webhooks to a real local HTTP receiver: once per consumer, in order per RMA,
retries with back-off, dead letters, time-outs; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from station.core.errors import InvalidInput
from station.integrations import webhooks
from station.integrations.http_post import KeepAlivePoster
from station.integrations.ledger import deliveries
from station.integrations.signing import signature
from station.integrations.webhooks import Backoff, WebhookDispatcher
from tests.station.integrations.conftest import SECRET, full_return, new_rma

ENV = {"ORDER_HOOK_SECRET": SECRET}


def dispatcher(dock, engine, **kw):
    kw.setdefault("backoff", Backoff(base_s=60, factor=2))
    return WebhookDispatcher(engine, clock=dock.clock, env=ENV, workers=4, **kw)


def short(cloud_type: str) -> str:
    """``com.example.rma.received`` -> ``rma.received`` (the default type prefix is com.example)."""
    assert cloud_type.startswith("com.example.")
    return cloud_type.removeprefix("com.example.")


def per_rma(received):
    out = defaultdict(list)
    for r in received:
        out[r["event"]["subject"]].append((r["event"]["rmaseq"], short(r["event"]["type"])))
    return out


STORY = ["rma.received", "unit.inspected", "unit.dispositioned", "resolution.issued", "rma.closed"]


def test_each_event_reaches_the_consumer_once_signed_and_in_order(dock, ledger_engine, receiver):
    numbers = [new_rma(dock) for _ in range(3)]
    for n in numbers:
        full_return(dock, n)
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", from_start=True)
    d = dispatcher(dock, ledger_engine)
    try:
        report = d.run_once()
        assert (report.delivered, report.failed, report.dead) == (15, 0, 0)
        assert d.run_once().delivered == 0
    finally:
        d.close()
    assert receiver.bad_signatures == 0 and len(receiver.received) == 15
    keys = [r["key"] for r in receiver.received]
    assert len(set(keys)) == 15 and all(k == f"{r['event']['id']}:orders" for k, r in zip(keys, receiver.received))
    for n in numbers:
        assert per_rma(receiver.received)[n] == list(enumerate(STORY, start=1))
    issued = next(r for r in receiver.received if r["event"]["type"] == "com.example.resolution.issued")["event"]
    assert issued["data"]["amount"] == "299.00" and issued["data"]["kind"] == "refund"
    assert "wang@example.com" not in str(receiver.received[0]["event"])


def test_signature_covers_timestamp_and_body(receiver):
    body = b'{"id":"x"}'
    assert signature(SECRET, 1700000000, body) != signature(SECRET, 1700000001, body)
    assert signature(SECRET, 1700000000, body) != signature(SECRET, 1700000000, body + b" ")
    assert signature(SECRET, 1700000000, body).startswith("v1=")


def test_a_failing_event_is_retried_with_back_off_and_holds_back_its_rma_only(dock, ledger_engine, receiver):
    slow, fast = new_rma(dock), new_rma(dock)
    full_return(dock, slow)
    full_return(dock, fast)
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", from_start=True)
    with dock.sf() as db:
        from station.models import DomainEvent
        first = db.scalar(select(DomainEvent.id).where(DomainEvent.rma_number == slow, DomainEvent.rma_seq == 1))
    receiver.fail_times[str(first)] = 2
    d = dispatcher(dock, ledger_engine)
    try:
        assert (d.run_once().delivered, len(per_rma(receiver.accepted())[slow])) == (5, 0)
        assert per_rma(receiver.accepted())[fast] == list(enumerate(STORY, start=1))
        dock.clock.advance(seconds=59)
        assert d.run_once().failed == 0  # not due yet: back-off is 60 s
        dock.clock.advance(seconds=1)
        assert d.run_once().failed == 1  # second failure; next try 120 s later
        dock.clock.advance(seconds=119)
        assert d.run_once().delivered == 0
        dock.clock.advance(seconds=1)
        assert d.run_once().delivered == 5
    finally:
        d.close()
    assert per_rma(receiver.accepted())[slow] == list(enumerate(STORY, start=1))
    assert len(receiver.accepted()) == 10 and len(receiver.received) == 12
    with ledger_engine.connect() as conn:
        attempts = conn.scalar(select(deliveries.c.attempts).where(deliveries.c.event_id == first))
    assert attempts == 3


def test_dead_letter_after_max_attempts_nothing_lost_after_retry(dock, ledger_engine, receiver):
    number = new_rma(dock)
    full_return(dock, number)
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", max_attempts=3,
                          from_start=True)
    receiver.always = 500
    d = dispatcher(dock, ledger_engine)
    try:
        reports = []
        for _ in range(3):
            reports.append(d.run_once())
            dock.clock.advance(hours=1)
        assert [r.dead for r in reports] == [0, 0, 1]
        dead = webhooks.dead_letters(ledger_engine)
        assert [(x["consumer"], x["name"], x["attempts"], x["last_status"]) for x in dead] == [
            ("orders", "rma.received", 3, 500)]
        assert {short(r["event"]["type"]) for r in receiver.received} == {"rma.received"}  # later ones held back
        receiver.always = None
        assert webhooks.retry_dead(ledger_engine, dead[0]["event_id"], now=dock.clock()) == 1
        assert d.run_once().delivered == 5
    finally:
        d.close()
    assert per_rma(receiver.accepted())[number] == list(enumerate(STORY, start=1))
    assert webhooks.dead_letters(ledger_engine) == []


def test_a_receiver_that_times_out_gets_the_same_idempotency_key_again(dock, ledger_engine, receiver):
    number = new_rma(dock)
    dock.receiving.receive(dock.clerk, number)
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "ORDER_HOOK_SECRET", from_start=True)
    receiver.sleep_s = 1.0
    d = dispatcher(dock, ledger_engine, poster=KeepAlivePoster(timeout=0.3))
    try:
        report = d.run_once()
        assert (report.delivered, report.failed) == (0, 1)
        with ledger_engine.connect() as conn:
            assert "timed out" in conn.scalar(select(deliveries.c.last_error))
        receiver.sleep_s = 0
        dock.clock.advance(minutes=1)
        assert d.run_once().delivered == 1
        assert d.run_once().delivered == 0
    finally:
        d.close()
    keys = [r["key"] for r in receiver.received]
    assert len(keys) == 2 and len(set(keys)) == 1  # the receiver can tell the retry from a new event


def test_unset_secret_sends_nothing_unsigned(dock, ledger_engine, receiver):
    dock.receiving.receive(dock.clerk, new_rma(dock))
    webhooks.add_consumer(ledger_engine, "orders", receiver.url, "NOT_SET", from_start=True)
    d = dispatcher(dock, ledger_engine)
    try:
        assert d.run_once().failed == 1
    finally:
        d.close()
    assert receiver.received == []


def test_consumers_get_only_their_events_and_only_new_ones_by_default(dock, ledger_engine, receiver):
    before = new_rma(dock)
    dock.receiving.receive(dock.clerk, before)
    webhooks.add_consumer(ledger_engine, "refunds", receiver.url, "ORDER_HOOK_SECRET",
                          events=["resolution.issued"])
    d = dispatcher(dock, ledger_engine)
    try:
        d.run_once()  # numbers the earlier event: it predates the subscription
        after = new_rma(dock)
        full_return(dock, after)
        assert d.run_once().delivered == 1
    finally:
        d.close()
    assert [(r["event"]["subject"], short(r["event"]["type"])) for r in receiver.received] == [
        (after, "resolution.issued")]
    with pytest.raises(InvalidInput, match="Unknown event"):
        webhooks.add_consumer(ledger_engine, "x", receiver.url, "S", events=["rma.lost"])
    with pytest.raises(InvalidInput, match="exists already"):
        webhooks.add_consumer(ledger_engine, "refunds", receiver.url, "S")
