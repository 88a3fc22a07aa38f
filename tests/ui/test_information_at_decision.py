"""Information at the moment of decision (issue 15, problem 7): the serial question shows
the ordered serial (and the one scanned at receiving), in full."""

from __future__ import annotations

from tests.station.builders_qc import make_dock, receive_unit
from tests.ui.conftest import Station
from tests.ui.test_inspection_story import inspector, press  # noqa: F401 - fixture
from ui.views.inspection import InspectionView


def test_the_serial_question_shows_the_ordered_serial_and_the_one_scanned(
        station: Station, inspector: InspectionView, qtbot) -> None:  # noqa: ANN001, F811
    qc = make_dock(station.session_factory)
    lpn = receive_unit(qc, "electronics", serial_sold="SN-A1-0000-9999-LONG", serial_received="SN-ZZ9",
                       rtv_allowed=True, reason="defective")
    station.keys.scan(lpn)
    while inspector.current is not None and inspector.current.id != "serial_matches":
        press(station, qtbot, "P", inspector)
    assert inspector.current is not None
    facts = inspector.question.facts
    assert facts.isVisibleTo(inspector)
    assert facts.text() == "Ordered serial: SN-A1-0000-9999-LONG   ·   scanned at receiving: SN-ZZ9"
    press(station, qtbot, "P", inspector)
    assert not inspector.question.facts.isVisibleTo(inspector)


def test_receiving_shows_the_ordered_serial_in_full_beside_a_long_name(station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
    from tests.helpers.builders import add_product, add_rma
    from tests.ui.conftest import sign_in

    with station.session_factory.begin() as db:
        laptop = add_product(db, "NB-15-PRO", category="electronics", serialised=True,
                             name_en="Notebook computer 15 inch, professional edition with extended warranty",
                             name_zh="15英寸笔记本电脑 专业版 含延长保修")
        number = add_rma(db, [(laptop, 1, "SN-5CG1234XYZ-000077")]).number
    sign_in(station, "EMP1001", "1234")
    station.keys.scan(number)
    view = station.window.views["receiving"]
    table = view.card.lines
    text = table.item(0, 1).text()
    serial_end = text.index("SN-5CG1234XYZ-000077") + len("SN-5CG1234XYZ-000077")
    assert table.fontMetrics().horizontalAdvance(text[:serial_end]) < table.columnWidth(1)


def test_approvals_show_kinds_in_words_and_a_detail_pane_with_flags_and_failed_answers(
        station: Station, qtbot) -> None:  # noqa: ANN001
    from tests.station.inspection.test_service import inspect
    from tests.ui.conftest import sign_in

    qc = make_dock(station.session_factory)
    lpn = receive_unit(qc, "electronics", serial_sold="SN-A1", serial_received="SN-ZZ9", rtv_allowed=True,
                       reason="defective")
    inspect(qc, lpn)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 1)
    assert approvals.table.item(0, 0).text() == "Flagged unit"
    text = approvals.detail.text()
    assert "<b>Flagged unit</b>" in text and f"<b>{lpn}</b>" in text
    assert "Flags: Serial number differs from the one sold" in text


def test_the_card_names_the_return_reason_in_words_not_its_code(station: Station, catalogue) -> None:  # noqa: ANN001
    from tests.ui.conftest import sign_in
    from tests.ui.test_receiving_story import make_rma

    number = make_rma(station, catalogue, reason="size").number
    sign_in(station, "EMP1001", "1234")
    station.keys.scan(number)
    reason = station.window.views["receiving"].card.reason.text()
    assert reason.startswith("Did not fit (size)") and "size —" not in reason
