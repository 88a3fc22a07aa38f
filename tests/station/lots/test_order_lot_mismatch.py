"""Issue 26: the order names the lot it shipped; a unit coming back with another lot is flagged.

The shop sends the lot with the order line; the RMA line copies it at authorisation, as it
copies the serial sold; the clerk scans the item's GS1 label at the dock and receives the
parcel: a lot other than the order's is ``lot_mismatch`` (banner words in English and
Chinese, a ✗ on the card's check), the same lot is no flag at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from station.core.return_policy import load_policy
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from station.models import OrderLine, Role, Unit
from station.receiving.flags import FlagCode
from station.receiving.item_checks import ItemChecks, StepKind
from station.receiving.service import ParcelInput, ReceivingService
from station.receiving.views import failed_checks
from station.scanning.classify import ScanClassifier
from tests.helpers.builders import Clock, add_operator, add_product, make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload

GTIN = "6901234567892"


@pytest.fixture
def shipped(session_factory) -> dict[str, Any]:  # noqa: ANN001
    """Lipstick of lot L-2405A sold, delivered three days ago, its return authorised."""
    with session_factory.begin() as db:
        add_product(db, "LIP-9", category="cosmetics", name_en="Lipstick", name_zh="口红", gtin=GTIN,
                    value="120.00", weight_g=40)
        clerk = add_operator(db, Role.CLERK, name="Zhang Min")
    ctx = make_context(session_factory, Clock())
    intake = IntakeService(ctx)
    intake.submit_order(parse_order(order_payload("SO-LOT", lines=[
        {"sku": "LIP-9", "quantity": 1, "unit_price": "120.00", "lot": "L-2405A"}])), by="shop")
    view = intake.request_return(parse_request(request_payload("SO-LOT", sku="LIP-9", reason="defective",
                                                                photos=[jpeg_b64()])), by="shop")
    assert view.status == "authorised"
    return dict(sf=session_factory, clerk=clerk, service=ReceivingService(ctx), number=view.rma_number)


def scan_and_receive(shipped: dict[str, Any], label: str):  # noqa: ANN201 - (ReceiptResult, card summary)
    """The clerk scans the lipstick's GS1 DataMatrix (its element string) and receives the parcel."""
    service = shipped["service"]
    card = service.find(shipped["number"])
    checks = ItemChecks(card, lambda no: 1, load_policy(), ScanClassifier())
    assert checks.take(ScanClassifier().classify(label, "gs1-datamatrix")).kind is StepKind.MATCHED
    summary = checks.summary(card.lines[0])
    return service.receive(shipped["clerk"], shipped["number"], ParcelInput(items=checks.items)), summary


class TestTheOrdersLot:
    def test_the_order_line_keeps_the_lot_the_shop_sent(self, shipped) -> None:  # noqa: ANN001
        with shipped["sf"]() as db:
            assert db.scalar(select(OrderLine.lot).where(OrderLine.sku == "LIP-9")) == "L-2405A"
        assert shipped["service"].find(shipped["number"]).lines[0].lot == "L-2405A"

    def test_dock_flags_a_unit_whose_gs1_code_carries_another_lot(self, shipped) -> None:  # noqa: ANN001
        result, summary = scan_and_receive(shipped, f"01{GTIN.zfill(14)}10L-2407C")
        assert summary == ("✓ LOT L-2407C ✗", False)
        assert FlagCode.LOT_MISMATCH in result.flags
        assert failed_checks(result) == (FlagCode.LOT_MISMATCH,)
        assert "a production lot differs from the one the order shipped" in result.message
        assert "有生产批号与订单发货的批号不一致" in result.words("zh")[0]
        with shipped["sf"]() as db:
            unit = db.scalars(select(Unit)).one()
            assert (unit.lot, unit.flags) == ("L-2407C", [FlagCode.LOT_MISMATCH.value])

    def test_the_same_lot_as_the_order_is_no_flag(self, shipped) -> None:  # noqa: ANN001
        result, summary = scan_and_receive(shipped, f"01{GTIN.zfill(14)}10L-2405A")
        assert summary == ("✓ LOT L-2405A", True)
        assert result.flags == () and failed_checks(result) == ()
        with shipped["sf"]() as db:
            assert db.scalars(select(Unit.flags)).one() == []


class TestLotThroughASupervisorsAuthorisation:
    def test_a_reviewed_phone_keeps_the_orders_lot_and_another_lot_at_the_dock_is_flagged(
            self, session_factory) -> None:  # noqa: ANN001
        with session_factory.begin() as db:
            add_product(db, "PHONE-9", category="electronics", name_en="Phone", name_zh="手机", gtin=GTIN,
                        value="2999.00", weight_g=400)
            clerk = add_operator(db, Role.CLERK, name="Zhang Min")
            boss = add_operator(db, Role.SUPERVISOR, name="Chen Jing")
        ctx = make_context(session_factory, Clock())
        intake = IntakeService(ctx)
        intake.submit_order(parse_order(order_payload("SO-PH", lines=[
            {"sku": "PHONE-9", "quantity": 1, "unit_price": "2999.00", "lot": "P-2411"}])), by="shop")
        asked = intake.request_return(parse_request(request_payload("SO-PH", sku="PHONE-9", reason="changed_mind")),
                                      by="shop")
        assert asked.status == "pending_review"  # too expensive for the policy alone
        intake.authorise(boss, asked.rma_number)
        shipped = dict(sf=session_factory, clerk=clerk, service=ReceivingService(ctx), number=asked.rma_number)
        result, summary = scan_and_receive(shipped, f"01{GTIN.zfill(14)}10P-2412")
        assert summary == ("✓ LOT P-2412 ✗", False)
        assert FlagCode.LOT_MISMATCH in result.flags
