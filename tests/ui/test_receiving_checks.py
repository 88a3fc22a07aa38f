"""Receiving extras, all optional: weight (typed or from the scale), parcel condition, and
item checks (product scan, then the serial of a serialised line), through the real window."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from drivers.scales import FakeScale
from station.core.settings import defaults
from station.models import LabelJob, ParcelCondition, Receipt, Unit
from tests.helpers.builders import add_rma
from tests.labels.helpers import decoded, pdf_pages, pdf_text
from tests.ui.conftest import Station, make_station, sign_in
from ui.bridge import Level
from ui.views.receiving import ReceivingView


@pytest.fixture
def clerk(station: Station) -> ReceivingView:
    sign_in(station, "EMP1001", "1234")
    view = station.window.views["receiving"]
    assert isinstance(view, ReceivingView)
    return view


def make_rma(station: Station, lines):  # noqa: ANN001, ANN201
    with station.session_factory.begin() as db:
        return add_rma(db, lines)


def receipt(station: Station) -> Receipt:
    with station.session_factory() as db:
        return db.scalars(select(Receipt)).one()


class TestItemChecks:
    def test_matching_gtin_and_serial_receive_clean(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            rma = add_rma(db, [(catalogue["shirt"], 1), (catalogue["phone"], 1, "SN-PH-0001")])
        station.keys.scan(rma.number)
        station.keys.scan("6901234567892")  # the shirt's EAN-13
        assert station.last.code == "item_checked" and station.last.title == "TS-100 checked"
        assert clerk.card.lines.item(0, 4).text() == "✓"
        station.keys.scan("PH-200")  # a typed-in SKU label works like a GTIN
        assert station.last.code == "serial_asked"
        assert station.last.title == "Scan the serial number of Smartphone X2"
        station.keys.scan("SN-PH-0001")
        assert station.last.code == "serial_ok"
        assert clerk.card.lines.item(1, 4).text() == "✓ S/N SN-PH-0001"
        station.keys.press("Return")
        assert station.last.code == "received" and station.last.level == Level.OK
        assert station.last.title == "Received"
        with station.session_factory() as db:
            units = {(u.sku_received, u.gtin_received): (u.serial_received, u.flags) for u in db.scalars(select(Unit))}
        assert units == {("TS-100", "06901234567892"): ("", []), ("PH-200", ""): ("SN-PH-0001", [])}

    def test_wrong_item_and_wrong_serial_are_flagged_in_the_banner(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            rma = add_rma(db, [(catalogue["phone"], 1, "SN-PH-0001")])
        station.keys.scan(rma.number)
        station.keys.scan("PH-200")
        station.keys.scan("SN-FAKE-999")
        assert station.last.code == "serial_mismatch" and station.last.level == Level.WARNING
        assert station.last.text == "Smartphone X2 was sold with serial SN-PH-0001."
        assert clerk.card.lines.item(0, 4).text() == "✓ S/N SN-FAKE-999 ✗"
        station.keys.press("Return")
        assert station.last.level == Level.WARNING and station.last.code == "received"
        assert station.last.title == "Received — check: serial mismatch"
        assert "a serial number differs from the one sold" in station.last.text
        with station.session_factory() as db:
            assert db.scalars(select(Unit.flags)).one() == ["serial_mismatch"]

    def test_a_gs1_lot_other_than_the_orders_is_flagged_at_the_scan_and_in_the_banner(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            rma = add_rma(db, [(catalogue["shirt"], 1)])
            rma.lines[0].lot = "L-2405A"  # the order named the lot it shipped (issue 26)
        station.keys.scan(rma.number)
        station.keys.scan("]C1010690123456789210L-2407C")  # the shirt's GS1-128: GTIN, then lot (10)
        assert station.last.code == "lot_mismatch" and station.last.level == Level.WARNING
        assert station.last.title == "Lot L-2407C is not the one shipped"
        assert station.last.text.endswith("was shipped from lot L-2405A.")
        assert clerk.card.lines.item(0, 4).text() == "✓ LOT L-2407C ✗"
        station.keys.press("Return")
        assert station.last.level == Level.WARNING and station.last.code == "received"
        assert station.last.title == "Received — check: lot mismatch"
        assert "a production lot differs from the one the order shipped" in station.last.text
        with station.session_factory() as db:
            assert db.scalars(select(Unit.flags)).one() == ["lot_mismatch"]

    def test_the_orders_own_lot_is_checked_clean(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            rma = add_rma(db, [(catalogue["shirt"], 1)])
            rma.lines[0].lot = "L-2405A"
        station.keys.scan(rma.number)
        station.keys.scan("]C1010690123456789210L-2405A")
        assert station.last.code == "item_checked" and station.last.level == Level.INFO
        station.keys.press("Return")
        assert station.last.level == Level.OK and station.last.title == "Received"

    def test_product_not_on_the_rma_is_a_wrong_item(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        station.keys.scan(rma.number)
        station.keys.scan("4006381333931")  # a valid EAN-13 of some other product
        assert station.last.code == "wrong_item"
        assert station.last.title == "Wrong item: 04006381333931"  # a code the catalogue does not know
        assert station.last.text == "Recorded as a wrong item in place of Cotton T-shirt (TS-100)."
        station.keys.scan("CMD:CONFIRM")
        assert station.last.title == "Received — check: wrong item"
        with station.session_factory() as db:
            assert db.scalars(select(Unit.flags)).one() == ["wrong_item"]

    def test_another_product_is_labelled_and_recorded_for_what_it_is(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["phone"], 1, "SN-PH-0001")])
        station.keys.scan(rma.number)
        station.keys.scan("6901234567892")  # the shirt's EAN-13 in the phone's box
        assert (station.last.code, station.last.title) == ("wrong_item", "Wrong item: Cotton T-shirt (TS-100)")
        assert station.last.text == "Recorded as a wrong item in place of Smartphone X2 (PH-200)."
        station.keys.press("Return")
        assert station.last.title == "Received — check: wrong item"
        assert "sold Smartphone X2 (PH-200), came back Cotton T-shirt (TS-100)" in station.last.text
        with station.session_factory() as db:
            unit = db.scalars(select(Unit)).one()
            assert (unit.sku_received, unit.gtin_received, unit.flags) == ("TS-100", "06901234567892", ["wrong_item"])
            job = db.scalars(select(LabelJob).where(LabelJob.kind == "lpn")).one()
        text = " ".join(pdf_text(job.payload).split())
        assert "WRONG ITEM" in text and "Cotton T-shirt (TS-100)" in text and "Sold: Smartphone X2 (PH-200)" in text
        assert unit.lpn in [t for _, t in decoded(pdf_pages(job.payload, 203)[0])]

    def test_alt_c_reaches_the_count_and_lowering_it_drops_a_check(
            self, station: Station, clerk: ReceivingView, catalogue, qtbot) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 2)])
        station.keys.scan(rma.number)
        station.keys.scan("6901234567892")
        station.keys.scan("6901234567892")
        assert clerk.card.lines.item(0, 4).text() == "✓  ✓"
        station.keys.press("Alt+C")
        spin = clerk.card.spins[1]
        assert spin.hasFocus()
        station.keys.type("1")  # the box's text was selected: typing replaces it
        qtbot.waitUntil(lambda: spin.value() == 1)  # typing reaches the field once the scanner filter lets it
        assert clerk.card.lines.item(0, 4).text() == "✓"
        station.keys.press("Return")
        assert station.last.code == "partial"  # one of the two counted, received as a partial parcel
        with station.session_factory() as db:
            assert sum(u.quantity for u in db.scalars(select(Unit))) == 1

    def test_letters_never_reach_the_weight(self, station: Station, clerk: ReceivingView, catalogue, qtbot) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        station.keys.scan(rma.number)
        station.keys.press("Alt+W")
        station.keys.type("abc1")
        qtbot.waitUntil(lambda: clerk.parcel.weight.text() == "1")  # the letters were refused key by key
        station.keys.type(".25")
        qtbot.waitUntil(lambda: clerk.parcel.weight.text() == "1.25")

    def test_a_tracking_scan_after_the_card_opens_the_next_parcel(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        first = make_rma(station, [(catalogue["shirt"], 1)])
        with station.session_factory.begin() as db:
            second = add_rma(db, [(catalogue["shirt"], 1)], tracking="SF123456789012")
        station.keys.scan(first.number)
        station.keys.scan("SF123456789012")
        assert clerk.card.card is not None and clerk.card.card.number == second.number
        assert station.last.code == "found"

    def test_a_bin_or_lpn_is_not_a_product(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        station.keys.scan(rma.number)
        station.keys.scan("A01-02-03")
        assert station.last.code == "not_product"
        assert clerk.checks is not None and clerk.checks.items == {}

    def test_normal_parcel_is_still_one_scan_one_enter(self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        before = len(station.messages)
        station.keys.scan(rma.number)
        station.keys.press("Return")
        assert [m.code for m in station.messages[before:]] == ["found", "received"]
        saved = receipt(station)
        assert (saved.weight_g, saved.parcel_condition, saved.flags) == (None, ParcelCondition.INTACT, [])


class TestWeightAndCondition:
    def test_typed_weight_and_keyboard_condition(self, station: Station, clerk: ReceivingView, catalogue, qtbot) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["phone"], 2)])  # 2 x 400 g expected
        station.keys.scan(rma.number)
        assert clerk.parcel.isVisible()
        station.keys.press("Alt+W")
        assert clerk.parcel.weight.hasFocus()
        station.keys.type("0.2")
        qtbot.waitUntil(lambda: clerk.parcel.weight.text() == "0.2")
        station.keys.press("Alt+3")
        assert clerk.parcel.condition_value() == ParcelCondition.OPENED
        station.keys.press("Return")
        assert station.last.title == "Received — check: parcel too light"
        saved = receipt(station)
        assert saved.weight_g == 200 and saved.parcel_condition == ParcelCondition.OPENED
        assert saved.flags == ["light_parcel", "parcel_opened"]

    def test_unreadable_weight_stops_the_receipt_with_a_banner(
            self, station: Station, clerk: ReceivingView, catalogue) -> None:  # noqa: ANN001
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        station.keys.scan(rma.number)
        clerk.parcel.weight.setText("heavy")
        station.keys.press("Return")
        assert station.last.code == "invalid_input" and station.last.text == "'heavy' is not a weight in kg."
        assert station.count(Receipt) == 0


@pytest.fixture
def scale() -> Iterator[FakeScale]:
    fake = FakeScale(mode="request")
    yield fake
    fake.close()


@pytest.fixture
def scale_station(qtbot, ui_session_factory: sessionmaker[Session], people: None, scale: FakeScale) -> Iterator[Station]:  # noqa: ANN001
    settings = defaults().replace(**{"scale.uri": f"serial://{scale.port}?mode=request&timeout=2"})
    yield from make_station(qtbot, ui_session_factory, settings)


class TestScale:
    def test_weight_comes_from_the_scale_off_the_ui_thread(
            self, scale_station: Station, scale: FakeScale, catalogue, qtbot) -> None:  # noqa: ANN001
        station = scale_station
        sign_in(station, "EMP1001", "1234")
        view = station.window.views["receiving"]
        scale.place(Decimal("0.750"))
        rma = make_rma(station, [(catalogue["phone"], 1)])
        station.keys.scan(rma.number)  # the card asks the scale at once
        assert view.scale is not None and view.scale.busy  # the UI thread did not wait
        qtbot.waitUntil(lambda: view.parcel.weight.text() == "0.750", timeout=5000)
        assert view.parcel.scale_state.text() == "from the scale"
        station.keys.press("Return")
        assert receipt(station).weight_g == 750

    def test_a_scale_that_never_settles_shows_a_banner_and_typing_still_works(
            self, scale_station: Station, scale: FakeScale, catalogue, qtbot) -> None:  # noqa: ANN001
        station = scale_station
        scale.settle_readings = 10_000
        sign_in(station, "EMP1001", "1234")
        view = station.window.views["receiving"]
        rma = make_rma(station, [(catalogue["shirt"], 1)])
        station.keys.scan(rma.number)
        qtbot.waitUntil(lambda: station.last.code == "device_error", timeout=6000)
        assert station.last.title == "Scale not read"
        assert "did not settle" in station.last.text
        view.parcel.weight.setText("1.1")
        station.keys.press("Return")
        assert receipt(station).weight_g == 1100


def test_the_receipt_banner_speaks_chinese_in_a_chinese_window(station: Station, catalogue) -> None:  # noqa: ANN001
    window = station.window
    window.toggle_language()
    try:
        sign_in(station, "EMP1001", "1234")
        rma = make_rma(station, [(catalogue["phone"], 1, "SN-PH-0001")])
        station.keys.scan(rma.number)
        station.keys.scan("6901234567892")  # the shirt in the phone's box
        station.keys.press("Return")
        assert station.last.text.startswith(f"RMA {rma.number} 已收货：1 件。 请核对：")
        assert "售出 智能手机 X2（PH-200），退回 纯棉T恤 (TS-100)" in station.last.text
        assert station.last.next_step == "打印 1 张 LPN 标签并把商品送去质检。"
    finally:
        window.toggle_language()
