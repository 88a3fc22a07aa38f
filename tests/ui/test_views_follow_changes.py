"""Lists and counts follow the station's one change signal: what another tab, a dialog or a
sync pull commits shows without F5, and a refresh never takes the supervisor's place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from station.core.context import Actor
from station.models import Approval, ApprovalState, Base, Operator, Rma
from station.receiving.service import ReceivingService
from station.supervision.desk import SupervisionService
from tests.helpers.builders import NOW, add_product, add_rma, make_context
from tests.ui.conftest import Station, sign_in
from ui.changes import ChangeFollower, follow
from ui.supervisor.common import selected_id


def clerk_and_service(station: Station) -> tuple[Actor, ReceivingService]:
    with station.session_factory() as db:
        clerk = Actor.of(db.scalars(select(Operator).where(Operator.badge == "EMP1001")).one())
    return clerk, ReceivingService(make_context(station.session_factory, station.clock))


def late_parcel(station: Station, catalogue) -> str:  # noqa: ANN001
    """A parcel past its window received by the other dock: held for a supervisor."""
    with station.session_factory.begin() as db:
        number = add_rma(db, [(catalogue["shirt"], 1)], authorised=NOW - dt.timedelta(days=60)).number
    clerk, receiving = clerk_and_service(station)
    receiving.receive(clerk, number)
    return number


def test_an_approval_raised_elsewhere_appears_on_the_open_desk_without_f5(station: Station, catalogue,  # noqa: ANN001
                                                                          qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    assert approvals.table.rowCount() == 0

    late_parcel(station, catalogue)

    qtbot.waitUntil(lambda: approvals.table.rowCount() == 1)
    assert approvals.status.text() == "1 pending"


def test_an_approval_decided_elsewhere_leaves_the_list(station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
    late_parcel(station, catalogue)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 1)

    with station.session_factory() as db:
        boss = Actor.of(db.scalars(select(Operator).where(Operator.badge == "EMP9001")).one())
        approval_id = db.scalars(select(Approval.id)).one()
    SupervisionService(make_context(station.session_factory, station.clock)).decide(
        boss, approval_id, True, "customer is a regular")  # the admin at the other desk

    qtbot.waitUntil(lambda: approvals.table.rowCount() == 0)
    assert approvals.status.text() == "0 pending"
    with station.session_factory() as db:
        assert db.scalars(select(Approval.state)).one() == ApprovalState.APPROVED


def test_a_refresh_keeps_the_supervisors_selection_and_typing(station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
    late_parcel(station, catalogue)
    late_parcel(station, catalogue)
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() == 2)
    approvals.table.selectRow(1)  # not the first row: a reload that reset the list would show
    chosen = selected_id(approvals.table)
    approvals.reason.setFocus()
    station.keys.type("ok")
    qtbot.waitUntil(lambda: approvals.reason.text() == "ok")  # the wedge filter hands typing back

    late_parcel(station, catalogue)  # a third parcel arrives at the other dock

    qtbot.waitUntil(lambda: approvals.table.rowCount() == 3)
    assert selected_id(approvals.table) == chosen, "the supervisor is still on the approval they picked"
    assert QApplication.focusWidget() is approvals.reason and approvals.reason.text() == "ok"


def test_the_sync_count_follows_each_commit(station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
    bar = station.window.status
    qtbot.waitUntil(lambda: bar.status is not None)
    before = bar.status.pending_sync

    with station.session_factory.begin() as db:
        number = add_rma(db, [(catalogue["shirt"], 2)]).number
    clerk, receiving = clerk_and_service(station)
    receiving.receive(clerk, number)

    qtbot.waitUntil(lambda: bar.status is not None and bar.status.pending_sync > before)
    assert f"{bar.status.pending_sync} changes wait" in bar.sync.toolTip()


def test_a_change_to_something_a_view_does_not_show_does_not_reload_it(station: Station, qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    reloads: list[int] = []
    station.window.views["approvals"].follower.refresh = lambda: reloads.append(1)

    with station.session_factory.begin() as db:
        add_product(db, "MUG-9")  # the catalogue is not on the approvals desk
    qtbot.wait(200)
    assert reloads == []


def test_a_late_parcel_held_at_the_other_dock_joins_the_supervisors_receiving_list(station: Station, catalogue,  # noqa: ANN001
                                                                                   qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP3001", "3456")
    receiving = station.window.views["receiving"]
    assert receiving.approvals.list.count() == 0

    late_parcel(station, catalogue)

    qtbot.waitUntil(lambda: receiving.approvals.list.count() == 1)
    assert receiving.approvals.isVisible()


def test_every_kind_the_window_follows_is_one_the_station_writes(station: Station, qtbot) -> None:  # noqa: ANN001
    """A kind misspelt in a view's ``WATCHES`` would silently never reload it: each names a
    table of the station's database (the kinds ``station.core.changes`` reports)."""
    sign_in(station, "EMP3001", "3456")
    followers = station.window.findChildren(ChangeFollower)
    followed = {kind for follower in followers for kind in follower.kinds}
    assert len(followers) >= 8, "the status bar, receiving's late parcels and each desk tab"
    assert followed - set(Base.metadata.tables) == set()


def test_a_view_of_one_rma_reloads_for_that_rma_and_not_another(station: Station, catalogue,  # noqa: ANN001
                                                                 qtbot) -> None:  # noqa: ANN001
    with station.session_factory.begin() as db:
        shown_id = add_rma(db, [(catalogue["shirt"], 1)]).id
        other_id = add_rma(db, [(catalogue["shirt"], 1)]).id
    name = QLabel()
    qtbot.addWidget(name)
    name.show()
    reloads: list[str] = []

    def reload() -> None:
        with station.session_factory() as db:
            name.setText(db.get_one(Rma, shown_id).customer_name)
        reloads.append(name.text())

    follow(name, station.window.shell.changes, ["rmas"], reload, shown=lambda: {shown_id})
    with station.session_factory.begin() as db:
        db.get_one(Rma, other_id).customer_name = "Li Lei"
    qtbot.wait(200)
    assert reloads == [], "another RMA changed: nothing on this view did"

    with station.session_factory.begin() as db:
        db.get_one(Rma, shown_id).customer_name = "Chen Jie"
    qtbot.waitUntil(lambda: name.text() == "Chen Jie")
    assert reloads == ["Chen Jie"]
