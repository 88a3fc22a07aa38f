"""The resolution tab, driven from the keyboard: issue as proposed, adjust, reject, and the
policy's own refunds in the history. Real services on a SQLite file; the service decides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from station.models import Resolution, ResolutionKind, Rma
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from tests.station.resolution.test_queue import build, receive_and_dispose
from tests.ui.supervisor.conftest import focus, following, show
from ui.supervisor.resolution_view import ResolutionView


def open_view(qtbot, s, background, bridge, actor):
    view = ResolutionView(ResolutionQueue(s["ctx"]), ResolutionService(s["ctx"]), actor, background, bridge)
    show(qtbot, following(view, s["sf"]), (1280, 760))
    view.refresh()
    return view


def pick(view, number: str) -> None:
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == number)
    view.table.selectRow(row)


def resolution_of(s, number):
    with s["sf"]() as db:
        return db.execute(select(Resolution.kind, Resolution.amount, Resolution.reason)
                          .join(Rma, Rma.id == Resolution.rma_id).where(Rma.number == number)).one_or_none()


def seeded(sf):
    s = build(sf, auto=False)
    for key in ("jeans", "pair", "phone"):
        receive_and_dispose(s, s[key])
    return s


def test_inspector_issues_a_refund_as_proposed_with_ctrl_return(qtbot, sf, background, bridge, messages):
    s = seeded(sf)
    view = open_view(qtbot, s, background, bridge, s["inspector"])
    assert view.table.rowCount() == 3 and "Ready to resolve: 3" in view.title.text()
    pick(view, s["jeans"])
    assert view.why.text().startswith("Full refund 299.00 CNY")
    row = view.table.currentRow()
    assert [view.table.item(row, c).text().split()[-1] for c in (3, 4, 5)] == ["CNY"] * 3  # amount, gross, fee
    focus(qtbot, view.table)
    with qtbot.waitSignal(view.issued, timeout=2000) as issued:
        qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert issued.args == [s["jeans"], "refund"]
    assert resolution_of(s, s["jeans"])[:2] == (ResolutionKind.REFUND, 299)
    assert messages[-1].title == "Resolution issued"
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)  # the queue reloads from the commit
    assert view.history.item(0, 1).text() == s["jeans"]


def test_supervisor_adjusts_the_amount_with_a_reason(qtbot, sf, background, bridge, messages):
    s = seeded(sf)
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    pick(view, s["pair"])
    focus(qtbot, view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert view.amount.hasFocus()
    view.amount.selectAll()
    qtbot.keyClicks(view.amount, "550")
    qtbot.keyClick(view.amount, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(view.reason, "box crushed, customer agreed")
    with qtbot.waitSignal(view.issued, timeout=2000):
        qtbot.keyClick(view.reason, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert resolution_of(s, s["pair"]) == (ResolutionKind.REFUND, 550, "box crushed, customer agreed")


def test_supervisor_rejects_in_the_customers_words_an_inspector_is_refused(qtbot, sf, background, bridge,
                                                                          messages):
    s = seeded(sf)
    inspector_view = open_view(qtbot, s, background, bridge, s["inspector"])
    pick(inspector_view, s["phone"])
    inspector_view.reason.setText("used_or_damaged_by_customer")
    focus(qtbot, inspector_view.reason)
    qtbot.keyClick(inspector_view.reason, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, inspector_view, Qt.Key.Key_Y)
    assert messages[-1].title == "Not allowed" and resolution_of(s, s["phone"]) is None
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    pick(view, s["phone"])
    focus(qtbot, view.reason)
    qtbot.keyClick(view.reason, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].title == "Reason needed"
    qtbot.keyClicks(view.reason, "The phone shows heavy use and a cracked screen.")
    qtbot.keyClick(view.reason, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert "The phone shows heavy use" in view.reject_confirm.text()
    answer(qtbot, view, Qt.Key.Key_Return)  # Enter alone keeps it: the default is "Keep it"
    assert resolution_of(s, s["phone"]) is None
    focus(qtbot, view.reason)
    qtbot.keyClick(view.reason, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(view.issued, timeout=2000) as issued:
        answer(qtbot, view, Qt.Key.Key_Y)
    assert issued.args == [s["phone"], "rejected"]
    assert resolution_of(s, s["phone"])[0] == ResolutionKind.REJECTED


def answer(qtbot, view, key) -> None:  # noqa: ANN001
    box = view.reject_confirm
    assert box is not None and box.isVisible(), "a reject is confirmed first"
    qtbot.keyClick(box, key)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_after_issuing_the_selection_stays_in_place_not_on_the_top_row(qtbot, sf, background, bridge, messages):
    s = seeded(sf)
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    order = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    view.table.selectRow(1)
    focus(qtbot, view.table)
    with qtbot.waitSignal(view.issued, timeout=2000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)
    assert view.table.item(view.table.currentRow(), 0).text() == order[2]  # the one that took its place


def test_policy_refunds_show_in_the_history_as_automatic(qtbot, sf, background, bridge):
    s = build(sf, auto=True)
    for key in ("jeans", "phone"):
        receive_and_dispose(s, s[key])
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    assert [view.table.item(r, 0).text() for r in range(view.table.rowCount())] == [s["phone"]]
    assert view.table.item(0, 9).text() == "supervisor"
    assert (view.history.item(0, 1).text(), view.history.item(0, 4).text(), view.history.item(0, 6).text()) == (
        s["jeans"], "policy (automatic)", "yes")


def test_a_voided_second_decision_says_who_resolved_it_first(qtbot, sf, background, bridge):
    """A dock whose resolution central refused (another dock's stood) shows it in the history
    as void, naming the dock, the person and the time, never as a refund paid."""
    from sqlalchemy import update

    from station.models import ResolutionState

    s = seeded(sf)
    ResolutionService(s["ctx"]).issue(s["inspector"], s["jeans"])
    why = (f"RMA {s['jeans']} was already resolved at DOCK02 by Chen Jing at 2026-12-06 10:42 UTC "
           "(refund 299.00 CNY); this resolution is void and nothing was paid for it.")
    with sf.begin() as db:
        db.info["applying_sync"] = True  # as the sync round voids it (commitments.void)
        db.execute(update(Resolution).values(state=ResolutionState.VOIDED, void_reason=why))
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    qtbot.waitUntil(lambda: view.history.rowCount() == 1)
    assert view.history.item(0, 5).text() == f"VOID: {why}"


def test_a_resolution_held_by_central_after_a_restore_says_why_it_waits(qtbot, sf, background, bridge):
    """A dock's new resolution that a restored central holds back (station.sync.fence) stays
    pending; the history says so in the desk's words, with central's reason."""
    from sqlalchemy import update

    from station.models import OutboxEvent, OutboxState, ResolutionState
    from station.sync.fence import HELD

    s = seeded(sf)
    ResolutionService(s["ctx"]).issue(s["inspector"], s["jeans"])
    with sf.begin() as db:
        db.info["applying_sync"] = True  # as a syncing dock records it, and as the push notes the hold
        db.execute(update(Resolution).values(state=ResolutionState.PENDING))
        db.execute(update(OutboxEvent).where(OutboxEvent.entity_type == "resolutions")
                   .values(state=OutboxState.PENDING, last_error=HELD))
    view = open_view(qtbot, s, background, bridge, s["supervisor"])
    qtbot.waitUntil(lambda: view.history.rowCount() == 1)
    said = view.history.item(0, 5).text()
    assert said.startswith("Waiting for central to confirm (the customer is told after): ")
    assert said.endswith(f" - {HELD}")
