"""Receiving stories: a clerk scans parcels at the dock, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from station.audit import chain as audit
from station.core.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied, ScanRejected
from station.core.identifiers import is_valid_lpn
from station.models import (
    Approval,
    ApprovalKind,
    ApprovalState,
    AuditEvent,
    OutboxEvent,
    Receipt,
    ReceiptStatus,
    Rma,
    RmaState,
    Role,
    Unit,
    UnitState,
)
from station.receiving.service import AcceptReasonNeeded, ItemCheck, ParcelInput, ReceivingService
from station.receiving.views import ReceiptOutcome
from tests.helpers.builders import NOW, Clock, add_operator, add_product, add_rma, make_context


@pytest.fixture
def dock(session_factory):
    """A dock with a clerk, an inspector, a supervisor and a few RMAs."""
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK, name="Zhang Min")
        inspector = add_operator(db, Role.INSPECTOR)
        supervisor = add_operator(db, Role.SUPERVISOR, name="Chen Jing")
        shirt = add_product(db, "TS-RED-M", gtin="6901234567892", weight_g=250)
        phone = add_product(db, "PH-X1", category="electronics", name_en="Phone X1",
                            name_zh="手机 X1", serialised=True, weight_g=400, value="2999.00")
        lipstick = add_product(db, "LS-01", category="cosmetics", name_en="Lipstick",
                               name_zh="口红", weight_g=40)
        normal = add_rma(db, [(shirt, 2), (phone, 1, "SN-A1")], tracking="SF1234567890123")
        cosmetics = add_rma(db, [(lipstick, 5)])
        late = add_rma(db, [(shirt, 1)], authorised=NOW - dt.timedelta(days=60))
        numbers = {"normal": normal.number, "cosmetics": cosmetics.number, "late": late.number}
    clock = Clock()
    service = ReceivingService(make_context(session_factory, clock))
    return dict(service=service, clerk=clerk, inspector=inspector, supervisor=supervisor,
                sf=session_factory, clock=clock, **numbers)


def count(sf, model) -> int:
    with sf() as db:
        return db.scalar(select(func.count()).select_from(model))


class TestNormalParcel:
    def test_clerk_scans_rma_and_sees_the_card(self, dock):
        card = dock["service"].find(dock["normal"])
        assert card.number == dock["normal"]
        assert [(l.sku, l.quantity, l.outstanding) for l in card.lines] == [
            ("TS-RED-M", 2, 2), ("PH-X1", 1, 1)]
        assert card.lines[1].name_zh == "手机 X1"
        assert card.days_late == 0

    def test_tracking_number_finds_the_same_rma(self, dock):
        assert dock["service"].find("sf1234567890123").number == dock["normal"]

    def test_confirming_creates_one_lpn_per_unit(self, dock):
        result = dock["service"].receive(dock["clerk"], dock["normal"])
        assert result.outcome == ReceiptOutcome.RECEIVED
        assert len(result.units) == 3
        assert all(is_valid_lpn(u.lpn) for u in result.units)
        assert len({u.lpn for u in result.units}) == 3
        assert result.message == f"RMA {dock['normal']} received: 3 units."
        with dock["sf"]() as db:
            rma = db.scalar(select(Rma).where(Rma.number == dock["normal"]))
            assert rma.state == RmaState.RECEIVED
            assert {u.state for u in db.scalars(select(Unit))} == {UnitState.RECEIVED}

    def test_lpns_continue_the_station_sequence_across_parcels(self, dock):
        first = dock["service"].receive(dock["clerk"], dock["normal"])
        second = dock["service"].receive(dock["clerk"], dock["cosmetics"])
        lpns = [u.lpn for u in first.units + second.units]
        assert [int(l[5:13]) for l in lpns] == [1, 2, 3, 4]

    def test_cosmetics_line_of_five_becomes_one_unit_of_quantity_five(self, dock):
        result = dock["service"].receive(dock["clerk"], dock["cosmetics"])
        assert [(u.sku, u.quantity) for u in result.units] == [("LS-01", 5)]

    def test_serial_captured_at_receipt_is_kept(self, dock):
        parcel = ParcelInput(items={2: [ItemCheck(scanned="PH-X1", serial="SN-A1")]})
        result = dock["service"].receive(dock["clerk"], dock["normal"], parcel)
        phone = [u for u in result.units if u.sku == "PH-X1"][0]
        assert phone.serial == "SN-A1" and phone.flags == ()

    def test_receipt_is_audited_and_queued_for_sync(self, dock):
        dock["service"].receive(dock["clerk"], dock["normal"])
        with dock["sf"]() as db:
            actions = db.scalars(select(AuditEvent.action)).all()
            assert "parcel.received" in actions
            assert audit.verify_chain(db).ok
            kinds = db.execute(select(OutboxEvent.entity_type, func.count())
                               .group_by(OutboxEvent.entity_type)).all()
            assert dict(kinds)["units"] == 3 and dict(kinds)["receipts"] == 1


class TestExceptions:
    def test_clerk_scans_unknown_parcel_gets_quarantine_prompt(self, dock):
        with pytest.raises(NotFound) as err:
            dock["service"].find("SF9999999999999")
        assert str(err.value) == ("No RMA found for SF9999999999999. Check the label; if the "
                                  "parcel has no RMA, quarantine it.")
        result = dock["service"].quarantine_unknown(dock["clerk"], "SF9999999999999", weight_g=800)
        assert result.outcome == ReceiptOutcome.QUARANTINED
        with dock["sf"]() as db:
            receipt = db.get(Receipt, result.receipt_id)
            assert receipt.status == ReceiptStatus.QUARANTINED and receipt.rma_id is None
            assert db.scalar(select(Approval.kind)) == ApprovalKind.UNKNOWN_PARCEL

    def test_quarantining_the_same_unknown_parcel_twice_records_it_once(self, dock):
        dock["service"].quarantine_unknown(dock["clerk"], "XYZ-1")
        again = dock["service"].quarantine_unknown(dock["clerk"], "XYZ-1")
        assert again.outcome == ReceiptOutcome.DUPLICATE
        assert count(dock["sf"], Receipt) == 1

    def test_misread_rma_number_fails_its_check_digit(self, dock):
        bad = dock["normal"][:-1] + str((int(dock["normal"][-1]) + 1) % 10)
        with pytest.raises(ScanRejected, match="fails its check digit"):
            dock["service"].find(bad)

    def test_duplicate_scan_is_idempotent_and_says_when_and_who(self, dock):
        first = dock["service"].receive(dock["clerk"], dock["normal"])
        before = (count(dock["sf"], Unit), count(dock["sf"], AuditEvent), count(dock["sf"], OutboxEvent))
        dock["clock"].advance(hours=2)
        again = dock["service"].receive(dock["clerk"], dock["normal"])
        assert again.outcome == ReceiptOutcome.DUPLICATE
        assert "already received on" in again.message and "by Zhang Min" in again.message
        assert {u.lpn for u in again.units} == {u.lpn for u in first.units}
        assert (count(dock["sf"], Unit), count(dock["sf"], AuditEvent),
                count(dock["sf"], OutboxEvent)) == before

    def test_partial_parcel_then_the_rest(self, dock):
        first = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(quantities={1: 1}))
        assert first.outcome == ReceiptOutcome.PARTIAL
        assert "2 item(s) still missing" in first.message
        card = dock["service"].find(dock["normal"])
        assert card.state == RmaState.PARTIALLY_RECEIVED
        assert [l.outstanding for l in card.lines] == [1, 1]
        second = dock["service"].receive(dock["clerk"], dock["normal"])
        assert second.outcome == ReceiptOutcome.RECEIVED
        assert dock["service"].find(dock["normal"]).state == RmaState.RECEIVED

    def test_expired_rma_is_held_for_a_supervisor(self, dock):
        result = dock["service"].receive(dock["clerk"], dock["late"])
        assert result.outcome == ReceiptOutcome.AWAITING_APPROVAL
        assert "days past its deadline" in result.message
        assert {u.state for u in result.units} == {UnitState.QUARANTINED}
        accepted = dock["service"].approve_expired(dock["supervisor"], result.receipt_id,
                                                   "customer was in hospital")
        assert {u.state for u in accepted.units} == {UnitState.RECEIVED}

    def test_clerk_cannot_approve_a_late_parcel(self, dock):
        result = dock["service"].receive(dock["clerk"], dock["late"])
        with pytest.raises(PermissionDenied, match="may not approve exceptions"):
            dock["service"].approve_expired(dock["clerk"], result.receipt_id, "please")

    def test_supervisor_receiving_a_late_parcel_must_say_why_and_it_is_recorded_as_approved(self, dock):
        with pytest.raises(AcceptReasonNeeded, match="days past its deadline: say why you accept it"):
            dock["service"].receive(dock["supervisor"], dock["late"])
        with dock["sf"]() as db:
            assert db.scalars(select(Receipt)).all() == []  # nothing was received without the reason
        result = dock["service"].receive(dock["supervisor"], dock["late"],
                                         ParcelInput(accept_reason="  courier lost it for a week "))
        assert result.outcome == ReceiptOutcome.RECEIVED and "expired" in result.flags
        with dock["sf"]() as db:
            approval = db.scalars(select(Approval)).one()
            actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
        assert (approval.kind, approval.state, approval.decision_reason) == (
            ApprovalKind.EXPIRED_RMA, ApprovalState.APPROVED, "courier lost it for a week")
        assert approval.decided_by == approval.requested_by == dock["supervisor"].id
        assert actions[-2:] == ["parcel.received", "approval.expired_accepted"]

    def test_wrong_item_and_serial_mismatch_are_flagged(self, dock):
        parcel = ParcelInput(items={1: [ItemCheck(scanned="6901234567892"), ItemCheck(scanned="BRICK")],
                                    2: [ItemCheck(scanned="PH-X1", serial="SN-ZZ")]})
        result = dock["service"].receive(dock["clerk"], dock["normal"], parcel)
        flags = {u.lpn: u.flags for u in result.units}
        assert sorted(flags.values()) == [(), ("serial_mismatch",), ("wrong_item",)]
        wrong = next(u for u in result.units if u.flags == ("wrong_item",))
        assert f"{wrong.lpn} is a wrong item: sold T-shirt (TS-RED-M), came back BRICK" in result.message
        assert wrong.came_back == "BRICK"  # a code the catalogue does not know is named as scanned

    def test_light_parcel_is_flagged_as_a_possible_empty_box(self, dock):
        result = dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(weight_g=90))
        assert "light_parcel" in result.flags


class TestBadInput:
    def test_inspector_may_not_receive(self, dock):
        with pytest.raises(PermissionDenied):
            dock["service"].receive(dock["inspector"], dock["normal"])

    def test_counting_more_than_expected_changes_nothing(self, dock):
        before = count(dock["sf"], AuditEvent)
        with pytest.raises(InvalidInput, match="only 2 are still expected"):
            dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(quantities={1: 3}))
        assert count(dock["sf"], Unit) == 0 and count(dock["sf"], Receipt) == 0
        assert count(dock["sf"], AuditEvent) == before

    @pytest.mark.parametrize("code, message", [
        ("", "The scan was empty."),
        ("\x00\x07\t\r\n", "The scan was empty."),
        ("A" * 500, "no RMA or tracking number is longer than 64"),
    ])
    def test_hostile_scans_are_rejected_with_a_message(self, dock, code, message):
        with pytest.raises(ScanRejected, match=message.replace("[", r"\[")):
            dock["service"].find(code)

    def test_sql_looking_scan_is_just_an_unknown_parcel(self, dock):
        with pytest.raises(NotFound):
            dock["service"].find("'; DROP TABLE rmas; --")
        assert count(dock["sf"], Rma) == 3

    def test_implausible_weight_is_refused(self, dock):
        with pytest.raises(InvalidInput, match="not plausible"):
            dock["service"].receive(dock["clerk"], dock["normal"], ParcelInput(weight_g=-5))

    def test_cancelled_rma_cannot_be_received(self, dock):
        with dock["sf"].begin() as db:
            db.scalar(select(Rma).where(Rma.number == dock["normal"])).state = RmaState.CANCELLED
        with pytest.raises(IllegalTransition, match="was cancelled"):
            dock["service"].receive(dock["clerk"], dock["normal"])
