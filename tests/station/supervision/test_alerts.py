"""Early warnings over the fixed data set (tests/station/analytics/dataset.py), 2026-11-15:
rules fire on the hand-worked figures, an open alert is never duplicated, a supervisor
acknowledges with a note, and thresholds that make no sense are refused with their line."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station.analytics.thresholds import load_thresholds, parse_thresholds
from station.core.datafiles import read_toml
from station.core.errors import ConfigError, IllegalTransition, InvalidInput, PermissionDenied
from station.models import AlertState, AuditEvent, Role
from station.supervision.alerts import AlertService
from tests.helpers.builders import add_operator, make_context
from tests.station.analytics.dataset import build

TODAY = dt.date(2026, 11, 15)
RULES = """
version = 1
[costs]
handling_per_unit = "6.50"
[[rule]]
id = "sku"
kind = "sku_return_rate"
max_rate_percent = 5.0
min_sold = 20
window_days = 14
[[rule]]
id = "spike"
kind = "reason_share_rise"
rise_points = 12
min_units = 5
[[rule]]
id = "slow"
kind = "cycle_time"
stage = "received_to_inspected"
percentile = 90
max_hours = 20
min_units = 3
window_days = 14
[[rule]]
id = "supplier"
kind = "supplier_defect_rate"
max_rate_percent = 30
min_graded = 2
window_days = 14
severity = "critical"
"""


def thresholds(tmp_path, text: str):
    path = tmp_path / "alerts.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_thresholds(path)


@pytest.fixture
def service(session_factory, tmp_path):
    build(session_factory)
    return AlertService(make_context(session_factory), thresholds(tmp_path, RULES))


@pytest.fixture
def people(session_factory):
    with session_factory.begin() as db:
        return add_operator(db, Role.SUPERVISOR), add_operator(db, Role.CLERK)


class TestCheck:
    def test_rules_fire_on_the_hand_worked_figures(self, service):
        result = service.check(TODAY)
        found = {(a.rule, a.subject): a for a in result.raised}
        assert sorted(found) == [("sku", "SKU EL-001"), ("sku", "SKU TS-002"),
                                 ("slow", "stage received_to_inspected"), ("spike", "reason defective"),
                                 ("supplier", "supplier Volt")]
        assert found[("sku", "SKU EL-001")].figures["rate_pct"] == 10.0
        assert found[("spike", "reason defective")].figures["share_pct"] == 40.0
        assert found[("spike", "reason defective")].figures["previous_pct"] == 25.0
        assert found[("slow", "stage received_to_inspected")].figures["hours"] == 24.0
        assert found[("supplier", "supplier Volt")].severity == "critical"
        assert "10.0 % of 20 sold" in found[("sku", "SKU EL-001")].message

    def test_an_open_alert_is_not_raised_twice(self, service, session_factory):
        service.check(TODAY)
        again = service.check(TODAY)
        assert again.raised == () and len(again.refreshed) == 5
        from station.models import Alert

        with session_factory() as db:
            assert db.scalar(select(func.count()).select_from(Alert)) == 5

    def test_quiet_data_raises_nothing(self, service):
        assert service.check(dt.date(2025, 6, 1)).raised == ()


class TestAcknowledge:
    def test_supervisor_acknowledges_with_a_note_audited(self, service, people, session_factory):
        supervisor, _ = people
        alert = service.check(TODAY).raised[0]
        seen = service.acknowledge(supervisor, alert.id, "  Called the supplier. ")
        assert seen.state == AlertState.ACKNOWLEDGED and seen.ack_note == "Called the supplier."
        desk = {a.id: a for a in service.open_alerts(supervisor)}
        assert desk[alert.id].state == AlertState.ACKNOWLEDGED  # on the desk until closed
        with session_factory() as db:
            event = db.scalars(select(AuditEvent).where(AuditEvent.action == "alert.acknowledged")).one()
            assert event.details["note"] == "Called the supplier." and event.operator_id == supervisor.id
        with pytest.raises(IllegalTransition, match="already acknowledged"):
            service.acknowledge(supervisor, alert.id, "again")
        assert (alert.rule, alert.subject) not in {(a.rule, a.subject) for a in service.check(TODAY).raised}

    def test_clerk_may_not_and_a_note_is_required(self, service, people):
        supervisor, clerk = people
        alert = service.check(TODAY).raised[0]
        with pytest.raises(PermissionDenied, match="may not approve exceptions"):
            service.acknowledge(clerk, alert.id, "ok")
        with pytest.raises(InvalidInput, match="Write a short note"):
            service.acknowledge(supervisor, alert.id, "   ")
        with pytest.raises(PermissionDenied):
            service.open_alerts(clerk)


GOOD_RULE = 'version = 1\n[[rule]]\nid = "r"\nkind = "sku_return_rate"\nmin_sold = 10\n'


@pytest.mark.parametrize(("text", "line", "message"), [
    (GOOD_RULE + "max_rate_percent = 140\n", 6, "max_rate_percent 140.0 must be above 0 and below 100"),
    (GOOD_RULE + "max_rate_percent = 0\n", 6, "at 0 % everything fires"),
    (GOOD_RULE.replace("10", "0") + "max_rate_percent = 5\n", 5, "min_sold 0 must be at least 1"),
    (GOOD_RULE + "max_rate_percent = 5\nwindow_days = -3\n", 7, "window_days -3 must be 1 to 366"),
    (GOOD_RULE + 'max_rate_percent = "high"\n', 6, "max_rate_percent must be a number, not 'high'"),
    (GOOD_RULE + "max_rate_percent = 5\nmax_rate = 3\n", 7, "unknown field 'max_rate'"),
    (GOOD_RULE, 2, "has no 'max_rate_percent'"),
    ('version = 1\n[[rule]]\nid = "c"\nkind = "cycle_time"\nstage = "teleport"\nmax_hours = 4\n', 5,
     "stage 'teleport' is not one of received_to_inspected"),
    ('version = 1\n[[rule]]\nid = "c"\nkind = "cycle_time"\nstage = "received_to_resolved"\n'
     "max_hours = 4\npercentile = 75\n", 7, "percentile 75 is not computed; use 50 or 90"),
    ('version = 1\n[[rule]]\nid = "c"\nkind = "cycle_time"\nstage = "received_to_resolved"\n'
     "max_hours = -4\n", 6, "max_hours -4.0 must be above 0"),
    ('version = 1\n[[rule]]\nid = "x"\nkind = "reason_share_rise"\nrise_points = 0\nmin_units = 3\n', 5,
     "rise_points 0.0 must be above 0"),
    ('version = 1\n[[rule]]\nid = "x"\nkind = "mood"\n', 4, "kind 'mood' is not one of"),
    ('version = 1\n[[rule]]\nid = "x"\nkind = "sku_return_rate"\nmin_sold = 1\nmax_rate_percent = 5\n'
     'severity = "panic"\n', 7, "severity must be info, warning, critical"),
    (GOOD_RULE + "max_rate_percent = 5\n" + GOOD_RULE.split("\n", 1)[1] + "max_rate_percent = 5\n", 8,
     "duplicate rule id 'r'"),
    ('version = 1\n[costs]\nhandling_per_unit = "-1"\n', 3, "handling_per_unit '-1' must be an amount"),
    ("version = 2\n", 1, "version 2 is not supported"),
])
def test_nonsense_thresholds_are_refused_with_their_line(tmp_path, text, line, message):
    path = tmp_path / "alerts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_thresholds(path)
    assert f"alerts.toml, line {line}:" in str(caught.value)
    assert message in str(caught.value)


def test_shipped_file_loads_and_broken_site_file_falls_back(station_home):
    shipped = load_thresholds()
    assert shipped.rates.handling_per_unit == Decimal("6.50") and len(shipped.rules) == 4
    from station.core import paths

    site = paths.config_dir() / "alerts.toml"
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text("version = 1\n[[rule]]\nid = 3\n", encoding="utf-8")
    assert load_thresholds() == shipped
    site.write_text(RULES, encoding="utf-8")
    assert [r.id for r in load_thresholds().rules] == ["sku", "spike", "slow", "supplier"]
    assert parse_thresholds(read_toml(site)) == load_thresholds()
