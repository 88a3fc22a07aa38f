"""Issue 15, problem 3: a supervisor matches a parcel without an RMA at the desk, by searching
for the customer's name, and its units are received into that RMA."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from station.models import Approval, ApprovalKind, ApprovalState, Receipt, ReceiptStatus, Rma, Unit
from tests.helpers.builders import add_product, add_rma
from tests.ui.supervisor.conftest import focus
from tests.ui.supervisor.test_approvals_view import open_view, select_kind


def test_supervisor_finds_the_rma_by_customer_name_and_matches_the_parcel(
        qtbot, desk, background, bridge, messages, sf):  # noqa: ANN001
    with sf.begin() as db:
        rma = add_rma(db, [(add_product(db, "TEE-LOST"), 2)], customer_ref="C-4242")
        rma.customer_name = "Zhou Xiaoyu"
        number = rma.number
    view = open_view(qtbot, desk, background, bridge)
    select_kind(view, "Scrap")
    assert not view.match_button.isEnabled()  # only a parcel without RMA can be matched
    select_kind(view, "Parcel without RMA")
    assert view.match_button.isEnabled()
    focus(qtbot, view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = view.match_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.query, "xiaoyu")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.results.rowCount() == 1 and dialog.results.item(0, 0).text() == number
    dialog.reason.setFocus()
    qtbot.keyClicks(dialog.reason, "invoice in the box")
    with qtbot.waitSignal(view.decided, timeout=2000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert messages[-1].code == "parcel_matched"
    with sf() as db:
        approval = db.scalars(select(Approval).where(Approval.kind == ApprovalKind.UNKNOWN_PARCEL)).one()
        assert approval.state == ApprovalState.APPROVED
        receipt = db.get(Receipt, approval.entity_id)
        assert receipt.status == ReceiptStatus.RECEIVED
        assert receipt.rma_id == db.scalars(select(Rma.id).where(Rma.number == number)).one()
        assert sum(u.quantity for u in db.scalars(select(Unit).where(Unit.receipt_id == receipt.id))) == 2
    qtbot.waitUntil(lambda: "Parcel without RMA" not in [view.table.item(r, 0).text()
                                                         for r in range(view.table.rowCount())])
