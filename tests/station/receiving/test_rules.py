"""The dock's judgements, each asked of one function: is a parcel late, is it light, which of
its checks failed. The receiving service, the receiving window and inspection all ask these,
so a clerk's warning, the receipt and the inspector's flags cannot disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from station.core.return_policy import load_policy
from station.models import Receipt, ReceiptStatus, Role
from station.receiving.flags import FlagCode, receipt_checks
from station.receiving.rules import expected_weight_g, is_late, is_light_parcel
from station.receiving.service import ItemCheck, ParcelInput, ReceivingService
from station.receiving.views import ReceiptOutcome, ReceiptResult, failed_checks
from tests.helpers.builders import NOW, Clock, add_operator, add_product, add_rma, make_context
from tests.station.builders_qc import make_dock
from tests.station.supervision_desk import inspect

POLICY = dataclasses.replace(load_policy(), grace_days=3, light_parcel_ratio=0.5)


@dataclasses.dataclass(frozen=True)
class _Product:
    expected_weight_g: int | None


@dataclasses.dataclass(frozen=True)
class _Unit:
    product: _Product | None
    quantity: int = 1


class TestLate:
    @pytest.fixture
    def dock(self, session_factory):
        with session_factory.begin() as db:
            clerk = add_operator(db, Role.CLERK)
            shirt = add_product(db, "TS-LATE")
            # deadlines 3 and 4 days ago: inside and just past the three grace days
            numbers = [add_rma(db, [(shirt, 1)], authorised=NOW - dt.timedelta(days=30 + days)).number
                       for days in (3, 4)]
        ctx = dataclasses.replace(make_context(session_factory, Clock()), policy=POLICY)
        return ReceivingService(ctx), clerk, numbers

    def test_a_parcel_within_the_grace_days_is_not_late_and_is_received(self, dock):
        service, clerk, (within, _) = dock
        card = service.find(within)
        assert card.days_late == 3 and not is_late(card, POLICY)
        result = service.receive(clerk, within)
        assert result.outcome == ReceiptOutcome.RECEIVED and "expired" not in result.flags

    def test_a_parcel_one_day_past_the_grace_is_late_and_the_clerks_receipt_is_held(self, dock):
        service, clerk, (_, past) = dock
        card = service.find(past)
        assert card.days_late == 4 and is_late(card, POLICY)
        result = service.receive(clerk, past)
        assert result.outcome == ReceiptOutcome.AWAITING_APPROVAL and "expired" in result.flags


class TestLightParcel:
    def test_expected_weight_is_the_units_catalogue_weight_times_quantity(self):
        units = [_Unit(_Product(250), 2), _Unit(_Product(400)), _Unit(_Product(None), 3), _Unit(None)]
        assert expected_weight_g(units) == 900  # unknown weights count 0 g: never a false alarm

    @pytest.mark.parametrize(("weight", "expected", "light"), [
        (449, 900, True),    # under half of what the contents weigh
        (450, 900, False),   # exactly the ratio passes
        (None, 900, False),  # not weighed: nothing to compare
        (10, 0, False),      # contents without a catalogue weight: nothing to compare
    ])
    def test_light_means_strictly_under_the_policy_ratio(self, weight, expected, light):
        assert is_light_parcel(weight, expected, POLICY) is light

    @pytest.mark.parametrize(("weight", "light"), [(149, True), (150, False)])
    def test_receiving_and_inspection_flag_the_same_parcels(self, session_factory, weight, light):
        dock = make_dock(session_factory)
        with dock.sf.begin() as db:
            number = add_rma(db, [(add_product(db, "TS-WEIGH", weight_g=150), 2)]).number
        received = dock.receiving.receive(dock.clerk, number, ParcelInput(weight_g=weight))
        inspected = inspect(dock, received.units[0].lpn)
        assert (FlagCode.LIGHT_PARCEL in received.flags) is light
        assert (FlagCode.LIGHT_PARCEL in [f.code for f in inspected.flags]) is light

    @pytest.mark.parametrize(("weight", "light"), [(40, True), (600, False)])
    def test_a_parcel_matched_from_quarantine_is_weighed_at_the_dock_as_inspection_weighs_it(
            self, session_factory, weight, light):
        """Before, receiving judged the weight only at a normal receipt: a light parcel matched
        from quarantine reached QC unflagged on its receipt, and inspection flagged it."""
        dock = make_dock(session_factory)
        dock.receiving.quarantine_unknown(dock.clerk, "SF555000111", weight_g=weight)
        with dock.sf.begin() as db:
            number = add_rma(db, [(add_product(db, "TEE-MATCHED", weight_g=300), 2)]).number
            receipt_id = db.scalars(select(Receipt.id).where(Receipt.scanned_code == "SF555000111")).one()
        dock.receiving.match_unknown(dock.supervisor, receipt_id, number, "invoice in the box")
        with dock.sf() as db:
            receipt = db.get(Receipt, receipt_id)
            lpn = receipt.units[0].lpn
            assert receipt.status == ReceiptStatus.RECEIVED
            assert (FlagCode.LIGHT_PARCEL in receipt.flags) is light
        inspected = inspect(dock, lpn)
        assert (FlagCode.LIGHT_PARCEL in [f.code for f in inspected.flags]) is light


def _result(outcome: ReceiptOutcome, *flags: str) -> ReceiptResult:
    return ReceiptResult(outcome=outcome, receipt_id=None, rma_number="RMA-1", units=(), flags=flags,
                         message="", next_step="")


class TestFailedChecks:
    def test_a_received_parcel_names_its_failed_checks_in_the_banners_order(self):
        flagged = _result(ReceiptOutcome.RECEIVED, "light_parcel", "partial", "wrong_item")
        assert failed_checks(flagged) == (FlagCode.WRONG_ITEM, FlagCode.LIGHT_PARCEL)
        assert failed_checks(_result(ReceiptOutcome.PARTIAL, "serial_mismatch")) == (FlagCode.SERIAL_MISMATCH,)
        assert failed_checks(_result(ReceiptOutcome.RECEIVED, "partial", "expired")) == ()

    def test_held_or_quarantined_parcels_say_so_instead(self):
        assert failed_checks(_result(ReceiptOutcome.AWAITING_APPROVAL, "wrong_item")) == ()
        assert failed_checks(_result(ReceiptOutcome.QUARANTINED, "wrong_item")) == ()

    def test_the_receipt_message_names_the_checks_in_the_same_order_as_the_banner(self, session_factory):
        dock = make_dock(session_factory)
        with dock.sf.begin() as db:
            number = add_rma(db, [(add_product(db, "TS-ORDER", gtin="6901234567892", weight_g=300), 1)]).number
        result = dock.receiving.receive(dock.clerk, number, ParcelInput(
            weight_g=20, items={1: [ItemCheck(scanned="BRICK")]}))
        assert receipt_checks(result.flags) == (FlagCode.WRONG_ITEM, FlagCode.LIGHT_PARCEL)
        lpn = result.units[0].lpn
        assert result.message.endswith(f"Check: {lpn} is a wrong item: sold T-shirt (TS-ORDER), came back BRICK; "
                                       "the parcel is much lighter than its contents should be.")
