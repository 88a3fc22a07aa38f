"""The supervisor desk mounted in the main window: tabs only for supervisors and admins,
F-keys between them, banners and scans on those tabs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import select

from station.core.context import Actor
from station.models import Operator
from station.receiving.service import ReceivingService
from tests.helpers.builders import NOW, add_rma, make_context
from tests.ui.conftest import Station, sign_in
from ui.supervisor.approvals_view import ApprovalsView
from ui.supervisor.dashboard_view import DashboardView
from ui.supervisor.queues_view import QueuesView
from ui.supervisor.resolution_view import ResolutionView
from ui.supervisor.rtv_view import RtvView
from ui.supervisor.sheets_view import SheetsView
from ui.views.supervisor_tabs import SupervisorTab

DESK = {"queues", "approvals", "dashboard", "sheets", "resolution", "rtv"}


def tab_texts(station: Station) -> list[str]:
    tabs = station.window.tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


class TestWhoSeesTheDesk:
    def test_a_clerk_has_no_desk_tab_an_inspector_only_resolution(self, station: Station) -> None:
        sign_in(station, "EMP1001", "1234")
        assert set(station.window.views) == {"receiving"}
        station.keys.press("F3")  # the desk's key does nothing for a clerk
        assert station.window.current_view() is station.window.views["receiving"]
        station.keys.scan("CMD:SIGNOUT")
        sign_in(station, "EMP2001", "2345")
        # inspectors issue routine resolutions (within the auto-approve limit): the resolution tab only
        assert set(station.window.views) == {"inspection", "resolution"}
        assert [n for n, v in station.window.views.items() if isinstance(v, SupervisorTab)] == ["resolution"]

    def test_a_supervisor_gets_the_desk_as_tabs(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        assert set(station.window.views) == {"receiving", "inspection"} | DESK
        assert tab_texts(station) == ["Receiving  (F5)", "Inspection  (F6)", "Queues  (F3)", "Approvals  (F4)",
                                      "Dashboard  (F8)", "Sheets  (F11)", "Resolution  (F1)",
                                      "Return to vendor  (F2)"]
        kinds = {name: type(station.window.views[name].inner) for name in DESK}
        assert kinds == {"queues": QueuesView, "approvals": ApprovalsView, "dashboard": DashboardView,
                         "sheets": SheetsView, "resolution": ResolutionView, "rtv": RtvView}

    def test_an_admin_gets_it_too_and_it_goes_at_sign_out(self, station: Station) -> None:
        sign_in(station, "EMP9001", "9999")
        assert DESK <= set(station.window.views)
        station.keys.scan("CMD:SIGNOUT")
        assert station.window.tabs is None and station.window.views == {}


class TestWorkingTheDesk:
    def test_f_keys_switch_and_load_the_queues(self, station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
        with station.session_factory.begin() as db:
            rma = add_rma(db, [(catalogue["shirt"], 1)], authorised=NOW - dt.timedelta(days=60))
            clerk = ReceivingService(make_context(station.session_factory, station.clock))
        with station.session_factory() as db:
            actor = Actor.of(db.scalars(select(Operator).where(Operator.badge == "EMP1001")).one())
        clerk.receive(actor, rma.number)  # a late parcel: held for approval
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F3")
        queues = station.window.views["queues"]
        assert station.window.current_view() is queues
        qtbot.waitUntil(lambda: queues.inner.view is not None)
        assert queues.inner.queue_name == "awaiting_inspection"
        queues.inner.show_queue("expired_rmas")
        qtbot.waitUntil(lambda: queues.inner.view is not None and queues.inner.view.name == "expired_rmas")
        assert queues.inner.table.rowCount() == 1 and queues.inner.table.item(0, 0).text() == rma.number
        station.keys.press("F4")
        approvals = station.window.views["approvals"]
        assert station.window.current_view() is approvals
        assert approvals.inner.table.rowCount() == 1  # loaded when it came to the front
        station.keys.press("F5")  # F5 in a desk tab still means receiving
        assert station.window.current_view() is station.window.views["receiving"]

    def test_the_dashboards_refresh_key_is_the_one_that_reloads_it(self, station: Station, qtbot) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QPushButton

        sign_in(station, "EMP3001", "3456")
        station.keys.press("F8")
        dashboard = station.window.views["dashboard"].inner
        [button] = [b for b in dashboard.findChildren(QPushButton) if b.text().startswith("Refresh")]
        assert button.text() == "Refresh (F8)"  # it said F5, which opens receiving
        with qtbot.waitSignal(dashboard.loaded, timeout=5000):
            station.keys.press("F8")
        assert station.window.current_view() is station.window.views["dashboard"]

    def test_f1_brings_the_resolution_desk_with_its_queue(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F1")
        resolution = station.window.views["resolution"]
        assert station.window.current_view() is resolution
        assert resolution.inner.title.text().startswith("<b>Ready to resolve: 0</b>")  # loaded on arrival

    def test_f10_is_the_approvals_reject_key_there_and_settings_elsewhere(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F4")
        assert station.window.key_action(Qt.Key.Key_F10) is None
        before = len(station.messages)
        station.keys.press("F10")
        # the approvals view's own F10 (reject) answered: nothing is pending, nothing selected
        assert [m.title for m in station.messages[before:]] == ["Nothing selected"]
        station.keys.press("F5")
        station.keys.press("F10")  # a supervisor may not change settings: the banner says so
        assert station.last.code == "permission_denied" and station.last.title == "Settings need an admin"

    def test_a_scan_on_a_desk_tab_says_where_scans_go(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F8")
        dashboard = station.window.views["dashboard"]
        station.keys.scan("RMA000012344")
        assert station.last.code == "scan_elsewhere"
        assert station.last.next_step == "Press F5 (receiving) or F6 (inspection), then scan again."
        assert dashboard.banner.message == station.last


class TestChinese:
    def test_desk_tabs_and_widgets_in_chinese(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        station.window.toggle_language()
        try:
            assert tab_texts(station)[2:] == ["队列  (F3)", "审批  (F4)", "看板  (F8)", "单据  (F11)", "结算  (F1)",
                                              "退供应商  (F2)"]
            assert station.window.views["approvals"].inner.approve_button.text() == "批准 (F9)"
            station.keys.press("F8")
            station.keys.scan("RMA000012344")
            assert station.last.title == "扫描请在收货或质检界面进行"
        finally:
            station.window.toggle_language()


class TestReturnToVendorKey:
    def test_f2_brings_the_rtv_desk_and_stays_receivings_weigh_key_there(self, station: Station) -> None:
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F4")
        assert station.window.current_view() is station.window.views["approvals"]
        station.keys.press("F2")
        assert station.window.current_view() is station.window.views["rtv"]
        station.keys.press("F5")
        assert station.window.current_view() is station.window.views["receiving"]
        station.keys.press("F2")  # receiving weighs again; the window does not switch away
        assert station.window.current_view() is station.window.views["receiving"]

    def test_an_lpn_scanned_in_the_rtv_tab_reaches_the_desk(self, station: Station) -> None:
        """The scanner is the RTV desk's main input: a scan went through the window's routing
        and crashed there (the tab took no meaning), while typing the LPN worked."""
        sign_in(station, "EMP3001", "3456")
        station.keys.press("F4")
        station.keys.press("F2")  # from a desk tab: on receiving F2 weighs
        assert station.window.current_view() is station.window.views["rtv"]
        station.keys.scan("LP001000000016")
        assert (station.last.title, station.last.text) == ("No batch selected",
                                                           "Open a batch or pick one in the list first.")


def test_a_scan_in_every_desk_tab_gets_an_answer_never_a_crash(station: Station) -> None:
    sign_in(station, "EMP3001", "3456")
    for key in ("F3", "F4", "F8", "F11", "F1", "F2"):
        station.keys.press(key)
        assert station.window.current_view() is not station.window.views["receiving"], key
        before = len(station.messages)
        station.keys.scan("LP001000000016")
        answers = station.messages[before:]
        assert answers, f"{key}: the scan got no answer"
        assert all("went wrong" not in m.title for m in answers), (key, answers[-1])


def test_a_matched_parcel_gets_its_lpn_labels_and_the_banner_names_them(
        station: Station, catalogue, qtbot) -> None:  # noqa: ANN001
    """A parcel without RMA, matched at the desk, must be findable at inspection: its units'
    LPN labels print and the banner names the LPNs (issue 23, problem 4)."""
    from station.models import LabelJob, Unit
    from tests.labels.helpers import decoded, pdf_pages

    with station.session_factory.begin() as db:
        rma = add_rma(db, [(catalogue["shirt"], 2)])
        rma.customer_name = "Zhou Xiaoyu"
        number = rma.number
    ctx = make_context(station.session_factory, station.clock)
    with station.session_factory() as db:
        clerk = Actor.of(db.scalars(select(Operator).where(Operator.badge == "EMP1001")).one())
    ReceivingService(ctx).quarantine_unknown(clerk, "NO-LABEL-77", notes="box with no paperwork")
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: any(approvals.table.item(r, 0).text() == "Parcel without RMA"
                                for r in range(approvals.table.rowCount())))
    row = next(r for r in range(approvals.table.rowCount()) if approvals.table.item(r, 0).text() == "Parcel without RMA")
    approvals.table.selectRow(row)
    approvals.open_match()
    dialog = approvals.match_dialog
    from PySide6.QtWidgets import QApplication

    dialog.activateWindow()
    dialog.query.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.query)
    station.keys.type("xiaoyu")  # a person's typing: the window tells it from a scanner's burst
    station.keys.press("Return")
    assert dialog.results.rowCount() == 1
    dialog.reason.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)
    station.keys.type("invoice in the box")
    station.keys.press("Return")
    matched = next(m for m in reversed(station.messages) if m.code == "parcel_matched")
    with station.session_factory() as db:
        lpns = sorted(db.scalars(select(Unit.lpn)))
        job = db.scalars(select(LabelJob).where(LabelJob.kind == "lpn")).one()
    assert lpns, "the parcel's units were received"
    assert matched.text == f"Received into {number}: {', '.join(lpns)}."
    printed = sorted({t for page in pdf_pages(job.payload, 203) for _, t in decoded(page) if t.startswith("LP")})
    assert printed == lpns


def test_no_desk_button_names_a_key_the_window_takes_for_another_tab(station: Station) -> None:
    """A button saying "(F8)" must not be answered by the window switching to another tab
    (the Match button said F8, and F8 opened the dashboard)."""
    import re

    from PySide6.QtWidgets import QAbstractButton

    from ui.keymap import BINDINGS

    window_keys = {key: b.action.removeprefix("view:") for b in BINDINGS if b.action.startswith("view:")
                   for key in b.keys}
    sign_in(station, "EMP3001", "3456")
    lies = []
    for name in DESK:
        for button in station.window.views[name].findChildren(QAbstractButton):
            for key in re.findall(r"\((F\d+|Ctrl\+\S+?|Alt\+\S+?)\)", button.text()):
                if window_keys.get(key, name) != name:
                    lies.append(f"{name}: {button.text()!r} but {key} opens {window_keys[key]}")
    assert lies == []


def test_ctrl_m_opens_the_match_dialog_in_the_approvals_tab(station: Station, qtbot) -> None:  # noqa: ANN001
    with station.session_factory() as db:
        clerk = Actor.of(db.scalars(select(Operator).where(Operator.badge == "EMP1001")).one())
    ReceivingService(make_context(station.session_factory, station.clock)).quarantine_unknown(clerk, "NO-LABEL-78")
    sign_in(station, "EMP3001", "3456")
    station.keys.press("F4")
    approvals = station.window.views["approvals"].inner
    qtbot.waitUntil(lambda: approvals.table.rowCount() > 0)
    approvals.table.selectRow(0)
    approvals.table.setFocus()
    qtbot.keyClick(approvals.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert approvals.match_dialog is not None and approvals.match_dialog.isVisible()
    assert station.window.current_view() is station.window.views["approvals"]
