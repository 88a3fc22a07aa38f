"""Return-to-vendor stories: approved RTV units scanned into a vendor's batch, shipped with the
vendor's RA number, and the claim acknowledged, credited or disputed - on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied, ScanRejected
from station.core.identifiers import make_rma_number
from station.models import AuditEvent, DomainEvent, RtvState
from tests.helpers.rtv import VENDOR, rtv_unit, with_vendor
from tests.station.builders_qc import make_dock


@pytest.fixture
def dock(session_factory):
    return make_dock(session_factory)


def audit_count(dock) -> int:
    with dock.sf() as db:
        return db.scalar(select(func.count()).select_from(AuditEvent))


def events(dock, name: str) -> list[DomainEvent]:
    with dock.sf() as db:
        return list(db.scalars(select(DomainEvent).where(DomainEvent.name == name).order_by(DomainEvent.rma_number)))


class TestBatch:
    def test_approved_units_ship_with_a_claim_at_the_agreement_rate(self, dock):
        rtv = with_vendor(dock, rate="80")
        first, second = rtv_unit(dock, serial="SN-0001"), rtv_unit(dock, serial="SN-0002")
        batch = rtv.open_batch(dock.inspector, "szpt")
        assert batch.number == "RTV-DOCK01-00001" and batch.state == RtvState.OPEN
        assert rtv.ready_units(dock.inspector, "SZPT") == [first, second]
        item = rtv.scan_into(dock.inspector, batch.number, first, "code128")
        assert (item.lpn, item.serial, item.claimed_amount) == (first, "SN-0001", Decimal("2399.20"))
        assert item.defect == "defective; failed: Does it power on?"  # reason and failed question, in words
        rtv.add(dock.inspector, batch.number, second)
        assert rtv.ready_units(dock.inspector, "SZPT") == []

        shipped = rtv.ship(dock.inspector, batch.number, ra_number="RA-77812", carrier="SF Express",
                           tracking="SF1234567890")
        assert (shipped.state, shipped.claimed_amount, shipped.ra_number, shipped.days_open) == \
            (RtvState.SHIPPED, Decimal("4798.40"), "RA-77812", 0)
        sent = events(dock, "rtv.shipped")
        assert len(sent) == 2  # one per RMA in the batch
        data = sent[0].payload
        assert (data["batch"], data["vendor"], data["ra_number"], data["tracking_number"], data["claimed_amount"],
                data["batch_units"]) == (batch.number, "SZPT", "RA-77812", "SF1234567890", "4798.40", 2)
        assert {u["lpn"] for e in sent for u in e.payload["units"]} == {first, second}
        with pytest.raises(IllegalTransition, match="units go only into an open batch"):
            rtv.add(dock.inspector, batch.number, rtv_unit(dock))

    def test_full_unit_cost_without_an_agreement_rate(self, dock):
        rtv = with_vendor(dock)
        lpn = rtv_unit(dock, value="1234.56")
        batch = rtv.open_batch(dock.supervisor, VENDOR)
        assert rtv.add(dock.supervisor, batch.number, lpn).claimed_amount == Decimal("1234.56")

    def test_scans_that_are_not_approved_units_of_the_vendor_are_refused_and_change_nothing(self, dock):
        rtv = with_vendor(dock)
        with_vendor(dock, code="OTHER", name="Other Electronics")
        pending = rtv_unit(dock, approve=None)
        rejected = rtv_unit(dock, approve=False)
        foreign = rtv_unit(dock, supplier="Other Electronics")
        good = rtv_unit(dock)
        batch = rtv.open_batch(dock.inspector, "SZPT")
        rtv.scan_into(dock.inspector, batch.number, good)
        before = audit_count(dock)
        refusals = [
            (pending, InvalidInput, "return to vendor waits for a supervisor's approval"),
            (rejected, InvalidInput, r"is not going back to a vendor \(quarantine\)"),
            (foreign, InvalidInput, f"comes from Other Electronics, not {VENDOR}"),
            (good, IllegalTransition, f"already in batch {batch.number}"),
            (make_rma_number(5), ScanRejected, "is an RMA number, not a unit's LPN"),
            ("LP001000000099", NotFound, "No unit with LPN LP001000000099"),
        ]
        for code, error, message in refusals:
            with pytest.raises(error, match=message):
                rtv.scan_into(dock.inspector, batch.number, code)
        assert audit_count(dock) == before
        assert [i.lpn for i in rtv.batch(dock.inspector, batch.number).items] == [good]

    def test_shipping_needs_units_and_the_vendors_ra_number(self, dock):
        rtv = with_vendor(dock)
        batch = rtv.open_batch(dock.inspector, "SZPT")
        with pytest.raises(InvalidInput, match="empty; there is nothing to ship"):
            rtv.ship(dock.inspector, batch.number, ra_number="RA-1", carrier="SF", tracking="SF1")
        rtv.add(dock.inspector, batch.number, rtv_unit(dock))
        with pytest.raises(InvalidInput, match="return authorisation \\(RA\\) number is missing"):
            rtv.ship(dock.inspector, batch.number, ra_number=" ", carrier="SF", tracking="SF1")
        assert rtv.batch(dock.inspector, batch.number).state == RtvState.OPEN

    def test_a_clerk_cannot_build_batches(self, dock):
        with_vendor(dock)
        from station.rtv.batches import RtvService

        with pytest.raises(PermissionDenied, match="may not set a disposition"):
            RtvService(dock.qc.ctx).open_batch(dock.clerk, "SZPT")


class TestClaim:
    def shipped(self, dock):
        rtv = with_vendor(dock)
        batch = rtv.open_batch(dock.inspector, "SZPT")
        rtv.add(dock.inspector, batch.number, rtv_unit(dock, value="500.00"))
        rtv.ship(dock.inspector, batch.number, ra_number="RA-9", carrier="SF", tracking="SF9")
        return rtv, batch.number

    def test_shipped_acknowledged_credited_with_amount_and_date(self, dock):
        rtv, number = self.shipped(dock)
        with pytest.raises(IllegalTransition, match="not yet acknowledged by the vendor; it cannot be credited"):
            rtv.credit(dock.supervisor, number, "500.00")
        with pytest.raises(PermissionDenied):
            rtv.acknowledge(dock.inspector, number)
        dock.clock.advance(days=12)
        aged = rtv.open_claims(dock.supervisor)
        assert [(b.number, b.days_open) for b in aged] == [(number, 12)]
        rtv.acknowledge(dock.supervisor, number)
        with pytest.raises(InvalidInput, match="in the future"):
            rtv.credit(dock.supervisor, number, "450.00", dock.clock().date() + dt.timedelta(days=1))
        credited = rtv.credit(dock.supervisor, number, "450.00", dock.clock().date())
        assert (credited.state, credited.credited_amount, credited.credited_on, credited.days_open) == \
            (RtvState.CREDITED, Decimal("450.00"), dock.clock().date(), None)
        assert rtv.open_claims(dock.supervisor) == []
        (event,) = events(dock, "rtv.credited")
        assert (event.payload["credited_amount"], event.payload["claimed_amount"]) == ("450.00", "500.00")
        with pytest.raises(IllegalTransition, match="already credited"):
            rtv.dispute(dock.supervisor, number, "late")
        with dock.sf() as db:
            actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("rtv.%"))
                                      .order_by(AuditEvent.at, AuditEvent.seq)))
        assert actions == ["rtv.batch_opened", "rtv.unit_added", "rtv.shipped", "rtv.claim_acknowledged",
                           "rtv.credited"]

    def test_disputed_with_a_reason_then_settled(self, dock):
        rtv, number = self.shipped(dock)
        rtv.acknowledge(dock.supervisor, number)
        with pytest.raises(InvalidInput, match="Give the vendor's reason"):
            rtv.dispute(dock.supervisor, number, "  ")
        disputed = rtv.dispute(dock.supervisor, number, "unit shows water damage")
        assert (disputed.state, disputed.dispute_reason) == (RtvState.DISPUTED, "unit shows water damage")
        assert rtv.credit(dock.supervisor, number, "100.00").state == RtvState.CREDITED

    def test_bad_amounts_are_refused(self, dock):
        rtv, number = self.shipped(dock)
        rtv.acknowledge(dock.supervisor, number)
        for amount, message in (("abc", "is not a number"), ("-5", "zero or more"),
                                ("1.234", "more decimal places than CNY allows")):
            with pytest.raises(InvalidInput, match=message):
                rtv.credit(dock.supervisor, number, amount)


class TestDecisionEvents:
    def test_supervisor_decisions_on_rtv_are_events(self, dock):
        approved, rejected = rtv_unit(dock), rtv_unit(dock, approve=False)
        assert [e.payload["lpn"] for e in events(dock, "rtv.approved")] == [approved]
        (event,) = events(dock, "rtv.rejected")
        assert (event.payload["lpn"], event.payload["reason"], event.payload["unit_state"]) == \
            (rejected, "vendor refuses this model", "quarantined")
