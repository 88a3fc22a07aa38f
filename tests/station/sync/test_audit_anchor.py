"""The audit chain anchored on central: what the station deletes or rewrites after a sync shows.

Stations are SQLite files, central is a fresh PostgreSQL database per test (conftest). The
"attacker" in these stories holds the station's database and, where said, its audit key.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from station.audit import chain as audit
from station.audit.key import default_store
from station.models import AuditEvent, Receipt, Role
from station.receiving.service import ReceivingService
from station.sync.audit_anchor import compare_with_central
from station.sync.central_schema import audit_copies, audit_refusals
from station.sync.push import Pusher
from station.sync.status import read_status
from station.sync.worker import SyncWorker
from tests.helpers.builders import add_operator, add_product, add_rma
from tests.station.sync.helpers import count

pytestmark = pytest.mark.postgres


def receive(station, parcels: int) -> None:
    """A clerk receives ``parcels`` parcels: one audit event each."""
    with station.sf.begin() as db:
        db.info["station_id"] = station.station_id
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, f"TS-{uuid.uuid4().hex[:8]}")
        numbers = [add_rma(db, [(shirt, 1)]).number for _ in range(parcels)]
    for number in numbers:
        ReceivingService(station.ctx).receive(clerk, number)


def seqs(station) -> list[int]:
    with station.sf() as db:
        return list(db.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))


def rechain_from(station, seq: int, edit, *, key: bytes | None) -> None:
    """Edit event ``seq`` and recompute its hash and every later one (with ``key``, if held)."""
    with station.sf.begin() as db:
        prev = db.scalar(select(AuditEvent.hash).where(AuditEvent.seq < seq)
                         .order_by(AuditEvent.seq.desc()).limit(1)) or audit.GENESIS
        events = db.scalars(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq)).all()
        edit(events[0])
        for event in events:
            event.prev_hash = prev
            event.hash = audit.hash_of(event, key)
            prev = event.hash


def compare(station, central):
    with station.engine.connect() as local, central.connect() as remote:
        return compare_with_central(local, remote, station.station_id)


def central_hashes(central, station_id: str) -> list[tuple[int, str]]:
    c = audit_copies.c
    with central.connect() as conn:
        return [tuple(r) for r in conn.execute(select(c.seq, c.hash).where(c.pushed_by == station_id)
                                               .order_by(c.seq))]


def local_hashes(station) -> list[tuple[int, str]]:
    with station.sf() as db:
        return [tuple(r) for r in db.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq))]


class TestAuditEventsTravel:
    def test_central_holds_the_station_chain_after_a_push(self, make_station, central):
        station = make_station(1)
        receive(station, 3)
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert report.audit_sent == 3 and report.audit_refused == ""
        assert central_hashes(central, "DOCK01") == local_hashes(station)
        receive(station, 2)
        assert Pusher(station.engine, central, station.station_id).push_all().audit_sent == 2
        check = compare(station, central)
        assert check.ok and check.central_events == 5 and check.unsent == 0


class TestDeletionIsCaughtAgainstCentral:
    def test_deleting_the_newest_events_is_caught(self, make_station, central):
        station = make_station(1)
        receive(station, 4)
        Pusher(station.engine, central, station.station_id).push_all()
        all_seqs = seqs(station)
        with station.sf.begin() as db:
            db.execute(delete(AuditEvent).where(AuditEvent.seq >= all_seqs[2]))
        with station.sf() as db:
            assert audit.verify_chain(db).ok  # a shorter chain is still a chain: only central can tell
        check = compare(station, central)
        assert not check.ok
        assert check.first_difference.seq == all_seqs[2]
        assert "on central but missing here" in check.first_difference.problem
        assert check.differences == 2

    def test_deleting_every_event_is_caught(self, make_station, central):
        station = make_station(1)
        receive(station, 2)
        Pusher(station.engine, central, station.station_id).push_all()
        with station.sf.begin() as db:
            db.execute(delete(AuditEvent))
        with station.sf() as db:
            assert audit.verify_chain(db).events == 0
        check = compare(station, central)
        assert check.first_difference.seq == 1 and check.differences == 2

    def test_a_station_that_deleted_sent_events_is_refused_on_the_next_push(self, make_station, central):
        station = make_station(1)
        receive(station, 3)
        Pusher(station.engine, central, station.station_id).push_all()
        last = seqs(station)[-1]
        with station.sf.begin() as db:
            db.execute(delete(AuditEvent).where(AuditEvent.seq == last))
        receive(station, 1)  # SQLite hands the deleted seq out again
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert f"Event #{last} here is not the event central holds" in report.audit_refused
        assert central_hashes(central, "DOCK01")[-1][0] == last


class TestRewrittenChain:
    def test_central_refuses_a_chain_rechained_with_the_station_key(self, make_station, central):
        """The worst case the station cannot see: database and key both in the wrong hands."""
        station = make_station(1)
        receive(station, 3)
        Pusher(station.engine, central, station.station_id).push_all()
        before = central_hashes(central, "DOCK01")
        second = seqs(station)[1]
        key = default_store().get("DOCK01")
        rechain_from(station, second, lambda e: setattr(e, "details", {**e.details, "condition": "crushed"}), key=key)
        with station.sf() as db:
            assert audit.verify_chain(db).ok  # with the key, the rewrite adds up locally
        receive(station, 1)
        result = SyncWorker(station.engine, central, station.station_id).run_once()
        assert not result.ok
        assert result.error.startswith("Central refused this station's audit log.")
        assert f"Event #{before[-1][0]} here is not the event central holds" in result.error
        assert "only the audit log is held back" in result.error
        status = read_status(station.engine).words()  # what the status bar says: synced, but not the audit log
        assert status.startswith("Synced just now - 0 changes waiting. Central refused this station's audit log.")
        assert central_hashes(central, "DOCK01") == before  # nothing of the rewritten chain went in
        assert count(central, Receipt.__table__) == 4  # the new receipt still reached central
        with central.connect() as conn:
            refusals = conn.execute(select(audit_refusals.c.pushed_by, audit_refusals.c.central_seq)).all()
        assert refusals == [("DOCK01", before[-1][0])]
        SyncWorker(station.engine, central, station.station_id).run_once()  # refused again, recorded once
        assert count(central, audit_refusals) == 1
        check = compare(station, central)
        assert check.first_difference.seq == second
        assert "(details, hash)" in check.first_difference.problem
        assert check.unsent == 1

    def test_central_itself_refuses_a_non_extending_insert_and_any_update(self, make_station, central):
        """The refusal is PostgreSQL's, not the pushing code's: a hand-made client gets it too."""
        station = make_station(1)
        receive(station, 2)
        Pusher(station.engine, central, station.station_id).push_all()
        c = audit_copies.c
        with central.connect() as conn:
            row = dict(conn.execute(select(audit_copies).where(c.pushed_by == "DOCK01").order_by(c.seq)
                                    .limit(1)).mappings().one())
        forged = {**row, "seq": 99, "prev_hash": "f" * 64, "id": row["id"].__class__(int=7)}
        with pytest.raises(IntegrityError) as refused:
            with central.begin() as conn:
                conn.execute(audit_copies.insert().values(**forged))
        assert refused.value.orig.diag.constraint_name == "sync_audit_chain_extends_head"
        assert "refused at event #99" in str(refused.value.orig)
        with pytest.raises(DBAPIError, match="append-only"):
            with central.begin() as conn:
                conn.execute(update(audit_copies).where(c.seq == row["seq"]).values(details={"forged": True}))
        with pytest.raises(DBAPIError, match="append-only"):
            with central.begin() as conn:
                conn.execute(delete(audit_copies))
        with central.connect() as conn:
            assert conn.execute(select(func.count()).select_from(audit_copies)).scalar_one() == 2
            heads = conn.execute(text("SELECT pushed_by, seq FROM sync_audit_heads")).all()
        assert heads == [("DOCK01", seqs(station)[-1])]

    def test_a_plain_hash_after_keyed_events_is_refused(self, make_station, central):
        """Re-chaining without the key (plain SHA-256) is refused even for events central never saw."""
        station = make_station(1)
        receive(station, 1)
        Pusher(station.engine, central, station.station_id).push_all()
        receive(station, 1)
        newest = seqs(station)[-1]

        def downgrade(event):
            event.hash_scheme = "sha256"
        rechain_from(station, newest, downgrade, key=None)
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert f"refused at event #{newest}: a plain SHA-256 event after keyed ones" in report.audit_refused


class TestLegacyChains:
    def test_old_plain_events_travel_and_keyed_ones_follow(self, make_station, central):
        station = make_station(1)
        with station.sf.begin() as db:  # written before keyed chaining, as old stations did
            for n in range(3):
                event = audit.append(db, station_id="DOCK01", actor=None, action="old.event",
                                     entity_type="rma", entity_id=str(n))
                event.hash_scheme = "sha256"
                event.hash = audit.hash_of(event)
                db.flush()
        receive(station, 2)
        with station.sf() as db:
            result = audit.verify_chain(db)
        assert result.ok and (result.plain, result.keyed) == (3, 2)
        report = Pusher(station.engine, central, station.station_id).push_all()
        assert report.audit_sent == 5 and not report.audit_refused
        assert compare(station, central).ok


class TestVerifyCommand:
    def test_verify_names_the_first_differing_event_and_counts_the_unsent(self, make_station, central, central_url,
                                                                        station_home, capsys):
        """``rma-station audit verify`` as an admin runs it, in its own process, against central."""
        import os
        import subprocess
        import sys

        from tests.conftest import REPO

        station = make_station(1)
        receive(station, 3)
        Pusher(station.engine, central, station.station_id).push_all()
        second = seqs(station)[1]
        rechain_from(station, second, lambda e: setattr(e, "entity_id", "someone-else"),
                     key=default_store().get("DOCK01"))
        receive(station, 2)  # two more, not synced yet
        env = {**os.environ, "PYTHONPATH": str(REPO), "RMA_STATION_HOME": str(station_home),
               "RMA_CENTRAL_URL": central_url}
        done = subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))",
                               "audit", "verify", "--db", station.url],
                              capture_output=True, text=True, env=env, timeout=120, check=False)
        assert done.returncode == 1, done.stdout + done.stderr
        lines = done.stdout.splitlines()
        assert lines[0] == "Audit chain intact: 5 events (5 keyed, 0 with plain SHA-256 hashes from before keyed chaining)."
        assert lines[1] == (f"Central's copy DIFFERS: event #{second} differs from central's copy (entity_id, hash): "
                            "it was changed after it was sent.")
        assert lines[2].strip() == ("2 event(s) in all differ from central's copy or are missing here; central holds "
                                    "3 for DOCK01 (up to #3).")
        assert lines[3].startswith("Not yet on central: 2 event(s) (the oldest at 20")

    def test_verify_of_an_untouched_station_says_what_central_has_not_seen(self, make_station, central, central_url,
                                                                          capsys):
        from ui.cli import main

        station = make_station(1)
        receive(station, 2)
        assert main(["audit", "verify", "--db", station.url, "--central", central_url]) == 0
        assert "Not yet on central: 2 event(s)" in capsys.readouterr().out
        Pusher(station.engine, central, station.station_id).push_all()
        assert main(["audit", "verify", "--db", station.url, "--central", central_url]) == 0
        out = capsys.readouterr().out
        assert "Central holds 2 event(s) of DOCK01 (up to #2); every one matches this station's chain." in out
        assert "Not yet on central: none." in out

    def test_verify_after_the_newest_events_were_deleted_fails_and_says_so(self, make_station, central, central_url,
                                                                          capsys):
        from ui.cli import main

        station = make_station(1)
        receive(station, 3)
        Pusher(station.engine, central, station.station_id).push_all()
        with station.sf.begin() as db:
            db.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
        assert main(["audit", "verify", "--db", station.url, "--central", central_url]) == 1
        out = capsys.readouterr().out
        assert out.startswith("Audit chain intact: 2 events")
        assert "Central's copy DIFFERS: event #3 (parcel.received at 20" in out
        assert "is on central but missing here: it was deleted after it was sent." in out


def test_sync_once_says_the_data_synced_when_only_the_audit_log_is_refused(make_station, central, central_url,
                                                                            capsys, monkeypatch):
    from station.core.settings import save_identity
    from ui.cli import main

    station = make_station(1)
    receive(station, 2)
    Pusher(station.engine, central, station.station_id).push_all()
    last = seqs(station)[-1]
    with station.sf.begin() as db:
        db.execute(delete(AuditEvent).where(AuditEvent.seq == last))
    receive(station, 1)  # a new parcel: its receipt must still reach central
    save_identity(station.station_id, station.station_no)
    monkeypatch.delenv("RMA_CENTRAL_URL", raising=False)
    assert main(["sync", "--once", "--db", station.url, "--central", central_url]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Synced, but central refused this station's audit log: ")
    assert f"Event #{last} here is not the event central holds" in out
    assert "Sync failed" not in out
    assert count(central, Receipt.__table__, Receipt.station_id == "DOCK01") == 3
