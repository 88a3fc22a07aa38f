"""The audit log is append-only and hash-chained: any edit or deletion is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from station.audit import chain as audit
from station.models import AuditEvent, Role
from station.receiving.service import ReceivingService
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
        first.hash_scheme = "sha256"
        first.hash = audit.hash_of(first)
    result = verify(history)
    assert len(result.breaks) == 1 and "deleted or inserted" in result.breaks[0].problem


# -- keyed chain: re-chaining needs the station's secret -------------------------------------


def rechain_from_second(sf, edit, **hash_kw):
    """Edit the second event, then recompute its hash and every later one, as a person with
    the database file would (``hash_kw`` is what they hash with)."""
    with sf.begin() as db:
        events = db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        prev = events[0].hash
        edit(events[1])
        changes = hash_kw.pop("set", {})
        for event in events[1:]:
            event.prev_hash = prev
            for name, value in changes.items():
                setattr(event, name, value)
            event.hash = audit.hash_of(event, **hash_kw)
            prev = event.hash
        return events[1].seq


def test_every_new_event_is_keyed_with_the_station_key(history, station_home):
    result = verify(history)
    assert result.ok and (result.keyed, result.plain, result.unchecked) == (3, 0, 0)
    key_file = station_home / "config" / "audit-keys" / "DOCK01.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    with history() as db:
        schemes = set(db.scalars(select(AuditEvent.hash_scheme)))
    from station.audit.key import key_id

    assert schemes == {f"hmac-sha256:{key_id(bytes.fromhex(key_file.read_text()))}"}


def test_rechaining_with_hash_of_after_an_edit_is_caught(history):
    """What used to pass: edit a receipt's details, recompute every hash after it with hash_of."""
    def plain_rechain():
        return rechain_from_second(history, lambda e: setattr(e, "details", {**e.details, "condition": "crushed"}),
                                   set={"hash_scheme": "sha256"})

    seq = plain_rechain()
    result = verify(history)
    assert not result.ok
    assert result.breaks[0].seq == seq
    assert "plain SHA-256 hash although keyed events began" in result.breaks[0].problem


def test_rechaining_under_a_guessed_key_is_caught(history):
    seq = rechain_from_second(history, lambda e: setattr(e, "details", {"rma": "forged"}), key=b"guessed-key-1234")
    result = verify(history)
    assert [(b.seq, b.problem) for b in result.breaks] == [
        (seq, "content does not match its hash (the row was edited)"),
        (seq + 1, "content does not match its hash (the row was edited)"),
    ]


def test_verify_without_the_key_says_so_and_still_checks_links(history, tmp_path, monkeypatch, capsys):
    with history.begin() as db:
        seqs = db.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        db.execute(delete(AuditEvent).where(AuditEvent.seq == seqs[1]))
    monkeypatch.setenv("RMA_AUDIT_KEY_DIR", str(tmp_path / "no-keys-here"))
    result = verify(history)
    assert result.unchecked == 2 and not result.complete
    assert "no key in the file" in result.keyless["DOCK01"]
    assert [b.seq for b in result.breaks] == [seqs[2]]  # the links are still checked
    assert not (tmp_path / "no-keys-here").exists()  # verify never makes a key


def test_cli_verify_without_the_key_exits_3_and_says_what_was_not_checked(tmp_path, monkeypatch, capsys):
    from station.core.db import make_engine, make_session_factory, upgrade
    from ui.cli import main

    db_path = tmp_path / "s.sqlite"
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    sf = make_session_factory(engine)
    with sf.begin() as db:
        audit.append(db, station_id="DOCK01", actor=None, action="demo.seeded", entity_type="station",
                     entity_id="DOCK01")
    engine.dispose()
    assert main(["audit", "verify", "--db", str(db_path)]) == 0
    assert "Audit chain intact: 1 events (1 keyed" in capsys.readouterr().out
    monkeypatch.setenv("RMA_AUDIT_KEY_DIR", str(tmp_path / "elsewhere"))
    assert main(["audit", "verify", "--db", str(db_path)]) == 3
    out = capsys.readouterr().out
    assert out.startswith("Audit chain links intact: 1 events")
    assert "The station's audit key is not available here" in out
    assert "The content of 1 keyed event(s) was NOT checked, only their links" in out
    assert "No central database is configured" in out


def test_old_plain_events_keep_verifying_before_the_keyed_ones(session_factory):
    with session_factory.begin() as db:
        for n in range(2):
            event = audit.append(db, station_id="DOCK01", actor=None, action="old", entity_type="rma",
                                 entity_id=str(n))
            event.hash_scheme = "sha256"  # as written before keyed chaining
            event.hash = audit.hash_of(event)
            db.flush()
        audit.append(db, station_id="DOCK01", actor=None, action="new", entity_type="rma", entity_id="2")
    result = verify(session_factory)
    assert result.ok and (result.plain, result.keyed) == (2, 1)
