"""The inspection controller without widgets: pages, the open question, Backspace and keys,
driven by the station's own inspection views."""

from __future__ import annotations

from station.inspection.service import InspectionService
from station.models import UnitState
from station.scanning.classify import ScanClassifier
from tests.helpers.builders import make_context
from tests.station.builders_qc import make_dock, receive_unit
from ui.commands import Command
from ui.inspection_flow import EnterAct, InspectionFlow, Page


def test_walk_back_and_keys_without_a_window(session_factory) -> None:  # noqa: ANN001
    dock = make_dock(session_factory)
    lpn = receive_unit(dock, "apparel")
    service: InspectionService = dock.qc
    flow = InspectionFlow()
    assert flow.page is Page.SCAN and flow.key_action("P") is None
    view = service.start(dock.inspector, lpn)
    assert flow.started(view) is Page.QUESTION and flow.current.id == "item_matches"
    assert flow.key_action("P") == "pass" and flow.key_action("2") == "fail" and flow.key_action("O") is None
    first = flow.current.id
    view = service.answer(dock.inspector, view.inspection_id, first, "pass")
    assert flow.answered(first, view) is Page.QUESTION and flow.current.id != first
    assert flow.key_action("Backspace") == "back" and flow.back() and flow.current.id == first
    assert flow.command_action(Command.FINISH) == "enter" and flow.command_action(Command.QUARANTINE) is None
    assert flow.is_open(lpn.lower()) and not flow.is_open("LP000000000000")


def test_a_choice_question_takes_digits_and_the_summary_takes_w_only_without_a_camera(session_factory) -> None:  # noqa: ANN001
    dock = make_dock(session_factory)
    lpn = receive_unit(dock, "apparel")
    service = dock.qc
    flow = InspectionFlow()
    view = service.start(dock.inspector, lpn)
    flow.started(view)
    while flow.current is not None and flow.current.kind.value != "choice":
        q = flow.current
        value = "fail" if q.photo_on_fail and q.kind.value == "pass_fail" else "pass"
        flow.answered(q.id, service.answer(dock.inspector, view.inspection_id, q.id, value))
    assert flow.current is not None and flow.key_action("4") == "choice" and flow.key_action("P") is None
    while flow.current is not None:
        q = flow.current
        value = "1" if q.kind.value == "choice" else "pass"
        if q.kind.value == "text":
            flow.skip_current()
        else:
            flow.answered(q.id, service.answer(dock.inspector, view.inspection_id, q.id, value))
    assert flow.page is Page.SUMMARY and flow.inspection.blockers
    assert flow.key_action("W") == "waive" and flow.waivable(camera_live=False) is not None
    assert flow.waivable(camera_live=True) is None
    assert flow.photo_target() is not None and flow.photo_target().needs_photo
    assert not flow.held and UnitState.INSPECTING == flow.inspection.unit_state


def test_enter_and_scans_mean_what_the_page_says_without_a_window(session_factory) -> None:  # noqa: ANN001
    dock = make_dock(session_factory)
    lpn = receive_unit(dock, "apparel")
    service: InspectionService = dock.qc
    flow, classify = InspectionFlow(), ScanClassifier().classify
    # the scan page: Enter opens a typed LPN, an empty field does nothing; scans open units or act
    assert flow.enter_act("  ") is EnterAct.NOTHING and flow.enter_act(lpn) is EnterAct.LOOK_UP
    assert flow.scan_action(classify(lpn)) == "start" and flow.scan_action(classify("CMD:FAIL")) == "fail"
    assert flow.scan_action(classify("CMD:QUARANTINE")) is None  # a receiving command, refused here
    assert not flow.unit_open and not flow.question_open
    view = service.start(dock.inspector, lpn)
    flow.started(view)
    assert flow.unit_open and flow.question_open and flow.shows(view.inspection_id) and not flow.shows("other")
    assert flow.enter_act("") is EnterAct.NOTHING  # a pass/fail question is answered by P/F, not Enter
    while flow.current is not None and flow.current.kind.value != "text":
        q = flow.current
        view = service.answer(dock.inspector, view.inspection_id, q.id, "1" if q.kind.value == "choice" else "pass")
        flow.answered(q.id, view)
    # the optional notes: Enter on an empty field skips, typed words answer
    assert flow.current is not None and not flow.current.required
    assert flow.enter_act(" ") is EnterAct.SKIP and flow.enter_act("seam loose") is EnterAct.ANSWER
    assert flow.skip_current() is Page.SUMMARY and not flow.question_open and flow.enter_act("") is EnterAct.FINISH
    result = service.finish(dock.inspector, view.inspection_id)
    assert flow.show_result(result) is Page.RESULT and flow.enter_act("") is EnterAct.CONFIRM
    assert not flow.unit_open and flow.shows(view.inspection_id)  # graded: no more answers or photos
