"""A supervisor clears the approvals queue from the keyboard; the service has the last word."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from station.models import Approval, ApprovalKind, ApprovalState
from station.supervision.desk import SupervisionService
from tests.ui.supervisor.conftest import focus, following, show
from ui.supervisor.approvals_view import ApprovalsView


def state_of(sf, kind):
    with sf() as db:
        return db.scalars(select(Approval.state).where(Approval.kind == kind)).one()


def open_view(qtbot, desk, background, bridge, actor=None):
    view = ApprovalsView(SupervisionService(desk.dock.qc.ctx), actor or desk.dock.supervisor, background, bridge)
    show(qtbot, following(view, desk.dock.qc.ctx.session_factory))
    view.refresh()
    return view


def select_kind(view, kind: str) -> None:
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == kind)
    view.table.selectRow(row)


def test_supervisor_approves_scrap_with_reason_and_f9(qtbot, desk, background, bridge, messages, sf):
    view = open_view(qtbot, desk, background, bridge)
    assert sorted(view.table.item(r, 0).text() for r in range(view.table.rowCount())) == [
        "Late parcel", "Parcel without RMA", "Scrap"]  # kinds in words
    select_kind(view, "Scrap")
    focus(qtbot, view.reason)
    qtbot.keyClicks(view.reason, "motor burnt, confirmed")
    with qtbot.waitSignal(view.decided, timeout=2000) as decided:
        qtbot.keyClick(view.reason, Qt.Key.Key_F9)
    assert decided.args[1] is True
    assert state_of(sf, ApprovalKind.SCRAP) == ApprovalState.APPROVED
    assert (messages[-1].title, messages[-1].text) == ("Approved", "motor burnt, confirmed")
    assert "scrap" not in [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert view.reason.text() == ""


def test_reject_late_parcel_with_f10(qtbot, desk, background, bridge, messages, sf):
    view = open_view(qtbot, desk, background, bridge)
    select_kind(view, "Late parcel")
    view.reason.setText("four weeks late")
    focus(qtbot, view.table)
    with qtbot.waitSignal(view.decided, timeout=2000):
        qtbot.keyClick(view.table, Qt.Key.Key_F10)
    assert state_of(sf, ApprovalKind.EXPIRED_RMA) == ApprovalState.REJECTED
    assert messages[-1].title == "Rejected"


def test_no_reason_no_decision(qtbot, desk, background, bridge, messages, sf):
    view = open_view(qtbot, desk, background, bridge)
    select_kind(view, "Scrap")
    with qtbot.assertNotEmitted(view.decided):
        view.approve_button.click()
    assert messages[-1].code == "invalid_input" and "Give a reason" in messages[-1].text
    assert state_of(sf, ApprovalKind.SCRAP) == ApprovalState.PENDING


def test_clerk_is_refused_by_the_service(qtbot, desk, background, bridge, messages):
    view = open_view(qtbot, desk, background, bridge, actor=desk.dock.clerk)
    assert view.table.rowCount() == 0
    assert messages[-1].code == "permission_denied"


def test_summaries_read_in_chinese_in_a_chinese_desk(qtbot, desk, background, bridge, sf):
    """The approvals list and its detail said "Parcel SF999000111 has no RMA." in a Chinese
    window (issue 23.10): the summary is rebuilt in Chinese from the service's sentence."""
    view = ApprovalsView(SupervisionService(desk.dock.qc.ctx), desk.dock.supervisor, background, bridge)
    view.chinese = True
    show(qtbot, following(view, sf))
    view.refresh()
    column = view._view.columns.index("summary")
    summaries = sorted(view.table.item(r, column).text() for r in range(view.table.rowCount()))
    assert "包裹 SF999000111 没有对应的 RMA。" in summaries
    assert any(s.startswith("报废商品 ") and "价值 329.00" in s for s in summaries)
    assert any("天才到" in s for s in summaries)
    assert not any(word in s for s in summaries for word in ("Parcel", "arrived", "Scrap unit"))
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, column).text().startswith("包裹"))
    view.table.selectRow(row)
    view.show_detail()
    assert "包裹 SF999000111 没有对应的 RMA。" in view.detail.text()
