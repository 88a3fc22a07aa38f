"""The dashboard over the fixed data set: key figures, a chart click lists its units, an alert
is acknowledged with a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from station.analytics import AnalyticsService
from station.analytics.thresholds import load_thresholds
from station.models import Role
from station.supervision.alerts import AlertService
from tests.helpers.builders import add_operator, make_context
from tests.station.analytics.dataset import build
from tests.station.supervision.test_alerts import RULES
from tests.ui.supervisor.conftest import focus, following, show
from ui.supervisor.dashboard_view import DashboardView


def make_view(qtbot, sf, background, bridge, tmp_path, role=Role.SUPERVISOR, rules_text=RULES):
    data = build(sf)
    with sf.begin() as db:
        actor = add_operator(db, role)
    rules = tmp_path / "alerts.toml"
    rules.write_text(rules_text, encoding="utf-8")
    thresholds = load_thresholds(rules)
    ctx = make_context(sf)
    alerts = AlertService(ctx, thresholds)
    alerts.check(dt.date(2026, 11, 15))
    view = DashboardView(AnalyticsService(ctx, thresholds), alerts, actor, background, bridge,
                         today=dt.date(2026, 11, 15))
    view.weeks.setValue(2)
    show(qtbot, following(view, sf), (1400, 900))
    return view, data


def test_figures_drill_down_and_acknowledge(qtbot, sf, background, bridge, messages, tmp_path):
    view, data = make_view(qtbot, sf, background, bridge, tmp_path)
    with qtbot.waitSignal(view.loaded, timeout=3000) as loaded:
        view.refresh()
    assert loaded.args[0].costs.total == Decimal("2433.50")
    assert [view.kpis[k].text() for k in ("rate", "returned", "sold", "cost", "alerts")] == [
        "5.0 %", "9", "180", "2,433.50 CNY", "5"]
    assert view.alert_table.rowCount() == 5 and view.panel.tabText(0) == "Open alerts (5)"
    with qtbot.waitSignal(view.drilled, timeout=2000) as drilled:
        view.drill("grade", "D")
    assert drilled.args == ["grade", "D", 2]
    assert view.panel.currentWidget().isAncestorOf(view.units)  # the units tab came to the front
    assert view.drill_title.text() == "Grade: D — 2 units"
    assert {view.units.item(r, 0).text() for r in range(2)} == {data.lpns["U3"], data.lpns["U6"]}
    index = view.slices.findText("Reason: Did not fit (size)")
    assert index == view.slice_index("reason", "size")
    view.slices.setCurrentIndex(index)
    with qtbot.waitSignal(view.drilled, timeout=2000) as drilled:
        view.slices.activated.emit(index)
    assert drilled.args == ["reason", "size", 3]
    focus(qtbot, view.slices)
    qtbot.keyClick(view.slices, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # back to the alerts
    assert view.panel.currentIndex() == 0
    qtbot.waitUntil(lambda: view.note.hasFocus())
    view.alert_table.selectRow(0)
    qtbot.keyClicks(view.note, "Supplier called")
    qtbot.keyClick(view.note, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1].code == "alert_acknowledged"

    def states() -> list[str]:
        return [view.alert_table.item(r, 3).text() for r in range(view.alert_table.rowCount())]

    qtbot.waitUntil(lambda: "acknowledged" in states())  # the desk reloads from the commit
    assert len(states()) == 5  # acknowledged alerts stay on the desk until closed
    assert states().count("acknowledged") == 1


def test_desk_shows_each_alerts_owner_and_answers_it(qtbot, sf, background, bridge, messages, tmp_path):
    from tests.station.supervision.test_alert_owners import RULES as OWNED

    view, _ = make_view(qtbot, sf, background, bridge, tmp_path, rules_text=OWNED)
    with qtbot.waitSignal(view.loaded, timeout=3000):
        view.refresh()
    table = view.alert_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Severity", "Subject", "Owner", "State", "Respond by", "Message"]
    rows = {table.item(r, 1).text(): [table.item(r, c).text() for c in range(6)] for r in range(table.rowCount())}
    assert rows["SKU EL-001"][2] == "apparel-lead@shop.example / webhook supply-chain"
    assert rows["SKU EL-001"][3] == "open" and rows["SKU EL-001"][4].startswith("2026-")
    assert rows["supplier Volt"][2] == "site supervisors"
    assert view.kpis["net"].text() != "-" and "Net cost" in view.kpis["net"].toolTip()
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "SKU EL-001")
    table.selectRow(row)
    for keys, code in (("Seen", Qt.Key.Key_K), ("supplier informed, size chart corrected", Qt.Key.Key_A),
                       ("Fixed", Qt.Key.Key_K)):
        focus(qtbot, view.note)
        qtbot.keyClicks(view.note, keys)
        modifiers = Qt.KeyboardModifier.ControlModifier
        if keys != "Seen":
            modifiers |= Qt.KeyboardModifier.ShiftModifier
        with qtbot.waitSignal(view.loaded, timeout=3000):
            qtbot.keyClick(view.note, code, modifiers)
        row = next((r for r in range(table.rowCount()) if table.item(r, 1).text() == "SKU EL-001"), None)
        if row is not None:
            table.selectRow(row)
    assert [m.code for m in messages[-3:]] == ["alert_acknowledged", "alert_action_noted", "alert_closed"]
    assert "SKU EL-001" not in {table.item(r, 1).text() for r in range(table.rowCount())}



def test_report_is_written_in_the_background(qtbot, sf, background, bridge, messages, tmp_path):
    view, _ = make_view(qtbot, sf, background, bridge, tmp_path)
    out = tmp_path / "report.pdf"
    view.write_report(out)
    assert out.read_bytes().startswith(b"%PDF") and messages[-1].code == "report_written"


def test_clerk_sees_a_refusal(qtbot, sf, background, bridge, messages, tmp_path):
    view, _ = make_view(qtbot, sf, background, bridge, tmp_path, role=Role.CLERK)
    view.refresh()
    assert messages[-1].code == "permission_denied" and view.kpis["rate"].text() == "-"


def test_net_cost_tile_says_how_many_units_it_could_not_price(qtbot, sf, background, bridge, tmp_path):
    """The tile used to show a net cost per return without saying that restocked units with no
    resale price were left out of it; now it says how many, and stops saying it once priced."""
    from sqlalchemy import delete, select

    from station.models import Grade, Product, ResalePrice, Unit, utcnow

    view, _ = make_view(qtbot, sf, background, bridge, tmp_path)
    with sf.begin() as db:  # no price list at all: every restocked unit is unpriced
        db.execute(delete(ResalePrice))
    with qtbot.waitSignal(view.loaded, timeout=3000):
        view.refresh()
    missing = view.dashboard.net.unpriced_units
    assert missing > 1  # the data set restocks units
    assert view.net_missing.isVisible()
    assert view.net_missing.text() == f"{missing} units unpriced: resale not counted"

    with sf.begin() as db:  # the price list arrives for every SKU and grade
        skus = set(db.scalars(select(Product.sku))) | {s for s in db.scalars(select(Unit.sku_received)) if s}
        db.add_all(ResalePrice(sku=sku, grade=grade, price=Decimal("10.00"), currency="CNY", updated_at=utcnow())
                   for sku in skus for grade in Grade)
    with qtbot.waitSignal(view.loaded, timeout=3000):
        view.refresh()
    assert view.dashboard.net.unpriced_units == 0 and not view.net_missing.isVisible()


def test_alerts_read_in_chinese_with_words_not_codes(qapp, qtbot, sf, background, bridge, tmp_path):
    """A supervisor reading the desk in Chinese read every alert in English, with reason and
    stage codes as subjects; now each is rebuilt from the figures it measured."""
    import re

    from PySide6.QtCore import QLocale

    from ui.i18n import install_language

    installed = install_language(qapp, "zh_CN", [])
    try:
        view, _ = make_view(qtbot, sf, background, bridge, tmp_path)
        with qtbot.waitSignal(view.loaded, timeout=3000):
            view.refresh()
        table = view.alert_table
        assert table.rowCount() >= 3
        for row in range(table.rowCount()):
            subject, message = table.item(row, 1).text(), table.item(row, 5).text()
            assert re.search(r"[\u4e00-\u9fff]", message), message  # Chinese words
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", subject + message), (subject, message)  # no codes
        subjects = [table.item(r, 1).text() for r in range(table.rowCount())]
        assert any(s.startswith("SKU ") for s in subjects)
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
