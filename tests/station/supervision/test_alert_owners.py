"""Alerts that reach an owner, over the fixed data set (tests/station/analytics/dataset.py):
each rule names its owner and response time, a raised alert is an event with its figures and
a text summary, an alert nobody answered escalates once to the supervisors (clock injected),
and acknowledging, action notes and closing are audited and exported as the alert's trail."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from sqlalchemy import select

from station.analytics.thresholds import load_thresholds
from station.core.errors import ConfigError, IllegalTransition, PermissionDenied
from station.models import AlertState, AuditEvent, DomainEvent, Operator, Role
from station.supervision.alert_trail import alert_trail
from station.operators.roster import supervisor_emails
from station.supervision.alerts import AlertService
from tests.helpers.builders import Clock, add_operator, make_context
from tests.station.analytics.dataset import build

TODAY = dt.date(2026, 11, 15)
RAISED_AT = dt.datetime(2026, 11, 15, 8, 0, tzinfo=dt.UTC)
RULES = """
version = 1
[[rule]]
id = "sku"
kind = "sku_return_rate"
max_rate_percent = 5.0
min_sold = 20
window_days = 14
owner_email = "apparel-lead@shop.example"
owner_webhook = "supply-chain"
respond_within_hours = 4
[[rule]]
id = "supplier"
kind = "supplier_defect_rate"
max_rate_percent = 30
min_graded = 2
window_days = 14
severity = "critical"
"""


def rules(tmp_path, text: str = RULES):
    path = tmp_path / "alerts.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_thresholds(path)


@pytest.fixture
def clock():
    return Clock(RAISED_AT)


@pytest.fixture
def service(session_factory, tmp_path, clock):
    build(session_factory)
    return AlertService(make_context(session_factory, clock), rules(tmp_path))


@pytest.fixture
def supervisor(session_factory):
    with session_factory.begin() as db:
        boss = add_operator(db, Role.SUPERVISOR, name="Li Na")
        db.get(Operator, boss.id).email = "li.na@shop.example"
        add_operator(db, Role.SUPERVISOR)  # no e-mail: cannot be told
        other = add_operator(db, Role.INSPECTOR)
        db.get(Operator, other.id).email = "inspector@shop.example"  # not a supervisor
    return boss


class TestOwners:
    def test_raised_alert_names_its_owner_and_deadline(self, service):
        found = {a.subject: a for a in service.check(TODAY).raised}
        sku = found["SKU EL-001"]
        assert (sku.owner_email, sku.owner_webhook) == ("apparel-lead@shop.example", "supply-chain")
        assert sku.owner == "apparel-lead@shop.example / webhook supply-chain"
        assert sku.respond_by == RAISED_AT + dt.timedelta(hours=4)
        volt = found["supplier Volt"]
        assert volt.owner == "site supervisors" and volt.respond_by == RAISED_AT + dt.timedelta(hours=24)

    def test_raised_alert_is_an_event_with_figures_and_a_summary_but_no_address(self, service, session_factory):
        alert = next(a for a in service.check(TODAY).raised if a.subject == "SKU EL-001")
        with session_factory() as db:
            event = db.scalars(select(DomainEvent).where(DomainEvent.name == "alert.raised",
                                                         DomainEvent.rma_number == f"alert:{alert.id.hex[:24]}")).one()
        assert event.payload["figures"]["rate_pct"] == 10.0
        assert event.payload["summary"] == alert.message and "http" not in event.payload["summary"]
        assert event.payload["owner_webhook"] == "supply-chain"
        assert "apparel-lead@shop.example" not in str(event.payload)

    @pytest.mark.parametrize(("line", "message"), [
        ('owner_email = "not an address"', "owner_email 'not an address' is not one e-mail address"),
        ("respond_within_hours = 0", "respond_within_hours 0 must be above 0"),
        ('owner_webhook = "a b"', "owner_webhook 'a b' is not a webhook consumer name"),
    ])
    def test_an_owner_that_cannot_be_reached_is_refused_with_its_line(self, tmp_path, line, message):
        text = 'version = 1\n[[rule]]\nid = "r"\nkind = "sku_return_rate"\nmin_sold = 10\nmax_rate_percent = 9\n'
        with pytest.raises(ConfigError, match=message) as caught:
            rules(tmp_path, text + line + "\n")
        assert "line 7:" in str(caught.value)


class TestEscalation:
    def test_an_unanswered_alert_escalates_once_after_its_response_time(self, service, clock, session_factory,
                                                                       supervisor):
        service.check(TODAY)
        clock.advance(hours=3, minutes=59)
        assert service.check(TODAY).escalated == ()
        clock.advance(minutes=2)
        late = service.check(TODAY).escalated
        assert [a.subject for a in late] == ["SKU EL-001", "SKU TS-002"]
        assert all(a.escalated_at == clock.now for a in late)
        clock.advance(hours=1)
        assert service.check(TODAY).escalated == ()  # once
        with session_factory() as db:
            audits = db.scalars(select(AuditEvent).where(AuditEvent.action == "alert.escalated")).all()
            assert len(audits) == 2 and audits[0].details["supervisors"] == 1
            assert len(db.scalars(select(DomainEvent).where(DomainEvent.name == "alert.escalated")).all()) == 2
            assert supervisor_emails(db) == ["li.na@shop.example"]

    def test_an_acknowledged_alert_does_not_escalate(self, service, clock, supervisor):
        raised = service.check(TODAY).raised
        for alert in raised:
            service.acknowledge(supervisor, alert.id, "Looking into it.")
        clock.advance(days=3)
        assert service.check(TODAY).escalated == ()


class TestAnswering:
    def test_ack_note_close_are_audited_and_exported_as_the_trail(self, service, supervisor, clock, engine,
                                                                   session_factory):
        alert = next(a for a in service.check(TODAY).raised if a.subject == "SKU TS-002")
        clock.advance(hours=1)
        service.acknowledge(supervisor, str(alert.id)[:8], "Seen; asking the buyer.")
        clock.advance(hours=1)
        service.add_note(supervisor, alert.id, "supplier informed, size chart corrected")
        clock.advance(hours=1)
        closed = service.close(supervisor, alert.id, "Return rate back under 5 %.")
        assert closed.state == AlertState.CLOSED and alert.id not in {a.id for a in service.open_alerts(supervisor)}
        assert service.actions(supervisor, alert.id) == [(RAISED_AT + dt.timedelta(hours=2),
                                                          "supplier informed, size chart corrected")]
        with pytest.raises(IllegalTransition, match="already closed"):
            service.close(supervisor, alert.id, "again")
        with pytest.raises(IllegalTransition, match="is closed"):
            service.add_note(supervisor, alert.id, "late note")
        with session_factory() as db:
            actions = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(alert.id))
                                                    .order_by(AuditEvent.at))]
            assert actions == ["alert.raised", "alert.acknowledged", "alert.action", "alert.closed"]
            assert db.scalars(select(DomainEvent).where(DomainEvent.name == "alert.closed")).one().payload[
                "close_note"] == "Return rate back under 5 %."
        with engine.connect() as conn:
            trail = [r for r in alert_trail(conn) if r.alert == str(alert.id)]
        assert [(r.step, r.by, r.detail) for r in trail] == [
            ("raised", "station", "apparel-lead@shop.example / webhook supply-chain"),
            ("acknowledged", "Li Na", "Seen; asking the buyer."),
            ("action", "Li Na", "supplier informed, size chart corrected"),
            ("closed", "Li Na", "Return rate back under 5 %.")]
        again = {a.subject for a in service.check(TODAY).raised}
        assert "SKU TS-002" in again  # closed: a breach that persists is a new alert

    def test_a_clerk_may_not_answer_an_alert(self, service, session_factory):
        with session_factory.begin() as db:
            clerk = add_operator(db, Role.CLERK)
        alert = service.check(TODAY).raised[0]
        for answer in (service.add_note, service.close):
            with pytest.raises(PermissionDenied):
                answer(clerk, alert.id, "done")


def test_a_supervisor_added_with_an_email_is_escalated_to(session_factory):
    from station.core.errors import InvalidInput
    from station.operators.service import AuthService

    auth = AuthService(make_context(session_factory))
    admin = auth.create_operator(None, badge="ADM1", name="Admin", role=Role.ADMIN, pin="111111")
    auth.create_operator(admin, badge="SUP1", name="Li Na", role=Role.SUPERVISOR, pin="222222",
                         email=" li.na@shop.example ")
    with pytest.raises(InvalidInput, match="is not one e-mail address"):
        auth.create_operator(admin, badge="SUP2", name="Bad", role=Role.SUPERVISOR, pin="333333", email="li.na at shop")
    with session_factory() as db:
        assert supervisor_emails(db) == ["li.na@shop.example"]
