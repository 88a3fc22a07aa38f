"""Issue 26, the lot question in the inspection walk: the Qt-free flow decides what Enter and a
scan mean at it; the window shows it with a text field, the inspector types the lot or scans the
item's GS1-128 code, Enter alone skips it; the lot lands on the unit in the SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from station.core.errors import InvalidInput
from station.inspection.checklists import ItemKind
from station.models import AuditEvent, Role, Unit
from station.receiving.service import ReceivingService
from station.scanning.classify import ScanClassifier
from station.scanning.lots import LotSeen
from tests.helpers.builders import add_operator, add_product, add_rma, make_context
from tests.station.builders_qc import make_dock, receive_unit, walk
from tests.ui.conftest import Station, sign_in
from ui.inspection_flow import EnterAct, InspectionFlow, Page
from ui.views.inspection import InspectionView

GS1_128 = "]C1010690000000001410B24-117"
"""A GS1-128 read with its AIM prefix: GTIN (01), then the lot (10) B24-117."""


def test_the_flow_at_the_lot_question_skips_on_empty_enter_takes_a_typed_lot_or_a_gs1_code(session_factory) -> None:  # noqa: ANN001
    dock = make_dock(session_factory)
    lpn = receive_unit(dock, "cosmetics")
    classify = ScanClassifier().classify
    flow = InspectionFlow()
    view = walk(dock, dock.qc.start(dock.inspector, lpn))  # every required question passed
    flow.started(view)
    assert flow.current.id == "notes" and flow.enter_act("") is EnterAct.SKIP
    flow.skip_current()
    assert flow.at_lot_question and flow.current.kind == ItemKind.LOT and not flow.current.required
    assert flow.enter_act("") is EnterAct.SKIP and flow.enter_act("B24-117") is EnterAct.LOT
    assert flow.lot_given(classify(" B24-117 ")) == LotSeen("B24-117")
    assert flow.lot_given(classify(GS1_128)) == LotSeen("B24-117")
    with pytest.raises(InvalidInput, match="carries no lot"):
        flow.lot_given(classify("6900000000014"))
    assert flow.scan_answers_lot(classify("6900000000014")) and not flow.scan_answers_lot(classify(lpn))
    view = dock.qc.record_lot(dock.inspector, lpn, flow.lot_given(classify(GS1_128)))
    assert flow.lot_recorded(view) and flow.page is Page.SUMMARY
    with session_factory() as db:
        assert db.scalar(select(Unit.lot).where(Unit.lpn == lpn)) == "B24-117"


def _lipstick_unit(station: Station) -> str:
    with station.session_factory.begin() as db:
        lipstick = add_product(db, "LS-01", category="cosmetics", name_en="Lipstick", name_zh="口红",
                               gtin="6900000000014")
        rma = add_rma(db, [(lipstick, 1)])
        clerk = add_operator(db, Role.CLERK)
    return ReceivingService(make_context(station.session_factory, station.clock)).receive(clerk, rma.number).units[0].lpn


@pytest.fixture
def inspector(station: Station) -> InspectionView:
    sign_in(station, "EMP2001", "2345")
    view = station.window.views["inspection"]
    assert isinstance(view, InspectionView)
    return view


def _to_lot_question(station: Station, inspector: InspectionView, qtbot) -> str:  # noqa: ANN001
    lpn = _lipstick_unit(station)
    station.keys.scan(lpn)
    qtbot.waitUntil(lambda: inspector.current is not None, timeout=2000)
    while inspector.current.kind != ItemKind.LOT:
        question = inspector.current
        if question.kind == ItemKind.PASS_FAIL:
            station.keys.press("P")
        elif question.kind == ItemKind.NUMBER:
            station.keys.type("24")
            station.keys.press("Return")
        else:
            station.keys.press("Return")  # the optional note: Enter alone skips it
        qtbot.waitUntil(lambda q=question: inspector.current is not q, timeout=2000)
    assert inspector.pages.currentIndex() == int(Page.QUESTION)
    assert inspector.question.entry.isVisible() and inspector.question.entry.hasFocus()
    assert "Enter alone skips" in inspector.question.keys.text() or "直接回车跳过" in inspector.question.keys.text()
    return lpn


def _lot(station: Station, lpn: str) -> tuple[str, dt.date | None]:
    with station.session_factory() as db:
        unit = db.scalars(select(Unit).where(Unit.lpn == lpn)).one()
        return unit.lot, unit.expiry


class TestLotQuestionInTheWindow:
    def test_inspector_types_the_lot_at_the_question(self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = _to_lot_question(station, inspector, qtbot)
        station.keys.type("B24-117")
        station.keys.press("Return")
        qtbot.waitUntil(lambda: inspector.pages.currentIndex() == int(Page.SUMMARY), timeout=2000)
        assert station.last.code == "lot_recorded" and station.last.title == "Lot B24-117 recorded"
        assert "LOT B24-117" in inspector.unit.text()
        assert _lot(station, lpn) == ("B24-117", None)
        with station.session_factory() as db:
            audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "unit.lot_recorded")).one()
        assert audit.details["question"] == "lot"

    def test_inspector_scans_a_gs1_128_code_with_ai_10_at_the_question(self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = _to_lot_question(station, inspector, qtbot)
        station.keys.scan(GS1_128)
        qtbot.waitUntil(lambda: inspector.pages.currentIndex() == int(Page.SUMMARY), timeout=2000)
        assert station.last.title == "Lot B24-117 recorded"
        assert _lot(station, lpn) == ("B24-117", None)

    def test_a_product_code_without_a_lot_is_refused_at_the_question_and_it_stays_open(self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = _to_lot_question(station, inspector, qtbot)
        station.keys.scan("6900000000014")
        qtbot.waitUntil(lambda: station.last.code == "invalid_input", timeout=2000)
        assert station.last.text.startswith("This code carries no lot (10).")
        assert inspector.current.kind == ItemKind.LOT and _lot(station, lpn) == ("", None)

    def test_enter_alone_skips_the_lot_question(self, station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001
        lpn = _to_lot_question(station, inspector, qtbot)
        station.keys.press("Return")
        qtbot.waitUntil(lambda: inspector.pages.currentIndex() == int(Page.SUMMARY), timeout=2000)
        assert "Provisional grade A" in inspector.summary.text() and _lot(station, lpn) == ("", None)



def test_the_lot_question_reads_in_chinese_with_the_keys_in_chinese(station: Station, qtbot) -> None:  # noqa: ANN001
    station.window.toggle_language()
    try:
        sign_in(station, "EMP2001", "2345")
        inspector = station.window.views["inspection"]
        _to_lot_question(station, inspector, qtbot)
        assert inspector.question.text.text().startswith("包装上的批号")
        assert inspector.question.keys.text() == "输入批号或扫描带批号的条码，然后回车（直接回车跳过）"
    finally:
        station.window.toggle_language()
