"""The audit log is append-only and hash-chained: any edit or deletion is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from station import audit
from station.models import AuditEvent, Role
from station.receiving import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context


@pytest.fixture
def history(session_factory):
    """Three received parcels: a chain of audit events with details."""
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, "TS-1")
        numbers = [add_rma(db, [(shirt, 1)]).number for _ in range(3)]
    service = ReceivingService(make_context(session_factory))
    for number in numbers:
        service.receive(clerk, number)
    return session_factory


def verify(sf):
    with sf() as db:
        return audit.verify_chain(db)


def test_untouched_chain_verifies(history):
    result = verify(history)
    assert result.ok and result.events == 3


def test_edited_detail_is_detected_at_that_row(history):
    with history.begin() as db:
        seq = db.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()[1]
        db.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(details={"rma": "forged"}))
    result = verify(history)
    assert [(b.seq, b.problem) for b in result.breaks] == [
        (seq, "content does not match its hash (the row was edited)")]


def test_deleted_row_is_detected_at_the_next_one(history):
    with history.begin() as db:
        seqs = db.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        db.execute(delete(AuditEvent).where(AuditEvent.seq == seqs[1]))
    result = verify(history)
    assert [b.seq for b in result.breaks] == [seqs[2]]
    assert "deleted or inserted" in result.breaks[0].problem


def test_rehashing_an_edited_row_still_breaks_the_link_after_it(history):
    with history.begin() as db:
        first = db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).first()
        first.details = {"rma": "forged"}
        first.hash = audit.hash_of(first)
    result = verify(history)
    assert len(result.breaks) == 1 and "deleted or inserted" in result.breaks[0].problem
