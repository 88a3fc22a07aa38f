"""The inspection controller without widgets: pages, the open question, Backspace and keys,
driven by the station's own inspection views."""

from __future__ import annotations

from station.inspection import InspectionService
from station.models import UnitState
from tests.helpers.builders import make_context
from tests.station.builders_qc import make_dock, receive_unit
from ui.commands import Command
from ui.inspection_flow import InspectionFlow, Page


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
