"""Early warnings that reach an owner: raise, deliver, acknowledge, note actions, escalate, close.

``AlertService.check(today)`` runs every rule of ``alerts.toml`` against the analytics (SQL
aggregates) and stores one ``Alert`` per rule and subject, with the rule's owner (e-mail
and/or webhook consumer) and a response deadline. While an alert for the same rule and
subject is not closed, a new check refreshes its figures instead of raising a duplicate; once
closed, a later breach raises a fresh alert. A raised alert is an ``alert.raised`` domain event:
the notifier mails it to the owner and the webhook dispatcher posts it, each exactly once
(their ledgers, ``station.integrations.ledger``). An alert still open (not acknowledged) past
its deadline is escalated once to the site's supervisors. Acknowledging, action notes and
closing are supervisor's work and audited. Headless (``rma-station alerts check``) the check
runs with no operator: the audit records the station as the actor.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from station.analytics.cycle import cycle_times
from station.analytics.lots import LotRow, lot_rows, lot_units
from station.analytics.period import Period
from station.analytics.returns import rate_by_sku, reason_mix, supplier_defects
from station.analytics.thresholds import Rule, Thresholds, load_thresholds
from station.core.context import Actor, StationContext
from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.core.lifecycle_events import alert_event
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Alert, AlertAction, AlertState
from station.operators.roster import supervisor_emails
from station.supervision.lot_events import lot_alert_event

log = logging.getLogger(__name__)

MAX_NOTE = 2000


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str
    severity: str
    message: str
    figures: dict[str, Any]


@dataclass(frozen=True)
class AlertView:
    id: uuid.UUID
    rule: str
    subject: str
    severity: str
    message: str
    figures: dict[str, Any]
    raised_at: dt.datetime
    state: AlertState
    ack_note: str
    owner: str = "site supervisors"
    owner_email: str = ""
    owner_webhook: str = ""
    respond_by: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    close_note: str = ""


@dataclass(frozen=True)
class CheckResult:
    raised: tuple[AlertView, ...]
    refreshed: tuple[AlertView, ...]
    rules_run: int
    escalated: tuple[AlertView, ...] = ()


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _window(today: dt.date, days: int) -> Period:
    return Period(today - dt.timedelta(days=days - 1), today)


def evaluate(conn: Connection, rule: Rule, today: dt.date) -> list[Finding]:
    """What one rule finds today; pure reads."""
    p, out = rule.params, []
    if rule.kind == "sku_return_rate":
        period = _window(today, p["window_days"])
        for row in rate_by_sku(conn, period, min_sold=p["min_sold"]):
            if row.rate is not None and row.rate * 100 > p["max_rate_percent"]:
                out.append(Finding(rule.id, f"SKU {row.key}", rule.severity,
                                   f"SKU {row.key} returned {_pct(row.rate)} of {row.sold} sold in "
                                   f"{period} (limit {p['max_rate_percent']} %).",
                                   {"sku": row.key, "returned": row.returned, "sold": row.sold,
                                    "rate_pct": round(row.rate * 100, 2), "period": str(period),
                                    "limit": p["max_rate_percent"]}))
    elif rule.kind == "reason_share_rise":
        now, before = _window(today, 7), _window(today - dt.timedelta(days=7), 7)
        earlier = {m.key: m.share for m in reason_mix(conn, before)}
        current = reason_mix(conn, now)
        total = sum(m.units for m in current)
        for m in current:
            rise = (m.share - earlier.get(m.key, 0.0)) * 100
            if total >= p["min_units"] and rise >= p["rise_points"]:
                out.append(Finding(rule.id, f"reason {m.key}", rule.severity,
                                   f"'{m.label}' rose to {_pct(m.share)} of returns in {now} from "
                                   f"{_pct(earlier.get(m.key, 0.0))} the week before (+{rise:.1f} points).",
                                   {"reason": m.key, "share_pct": round(m.share * 100, 2),
                                    "previous_pct": round(earlier.get(m.key, 0.0) * 100, 2),
                                    "units": m.units, "week_units": total, "period": str(now)}))
    elif rule.kind == "cycle_time":
        period = _window(today, p["window_days"])
        stage = next(c for c in cycle_times(conn, period) if c.stage == p["stage"])
        value = stage.p50_h if p["percentile"] == 50 else stage.p90_h
        if value is not None and stage.units >= p["min_units"] and value > p["max_hours"]:
            out.append(Finding(rule.id, f"stage {stage.stage}", rule.severity,
                               f"{stage.stage.replace('_', ' ')} p{p['percentile']} is {value:.1f} h over "
                               f"{stage.units} units in {period} (limit {p['max_hours']} h).",
                               {"stage": stage.stage, "hours": value, "units": stage.units,
                                "percentile": p["percentile"], "period": str(period), "limit": p["max_hours"]}))
    elif rule.kind == "supplier_defect_rate":
        period = _window(today, p["window_days"])
        for s in supplier_defects(conn, period, min_graded=p["min_graded"]):
            if s.rate is not None and s.rate * 100 > p["max_rate_percent"]:
                out.append(Finding(rule.id, f"supplier {s.supplier}", rule.severity,
                                   f"{s.supplier}: {s.defective} of {s.graded} graded returns were "
                                   f"defective ({_pct(s.rate)}) in {period} (limit {p['max_rate_percent']} %).",
                                   {"supplier": s.supplier, "graded": s.graded, "defective": s.defective,
                                    "rate_pct": round(s.rate * 100, 2), "period": str(period),
                                    "limit": p["max_rate_percent"]}))
    elif rule.kind in LOT_KINDS:
        out += _lot_findings(conn, rule, _window(today, p["window_days"]))
    return out


LOT_KINDS = ("lot_return_rate", "lot_returns", "lot_reason_share")


def _top_share(row: LotRow) -> float:
    """The commonest reason's share of the lot's returned units (0.0 with no reasons)."""
    return row.reasons[0][2] / row.returned if row.reasons and row.returned else 0.0


def _lot_fires(rule: Rule, row: LotRow) -> bool:
    p = rule.params
    if rule.kind == "lot_returns":
        return row.returned > p["max_units"]
    if rule.kind == "lot_reason_share":
        return row.returned >= p["min_units"] and _top_share(row) * 100 >= p["min_share_percent"]
    return (row.rate is not None and row.sold is not None and row.sold >= p["min_sold"]
            and row.returned >= p["min_returned"] and row.rate * 100 > p["max_rate_percent"])


_MEASURES = {"lot_returns": "count", "lot_return_rate": "rate", "lot_reason_share": "reason_share"}
"""What a lot alert measured, in its figures: ``alert_words`` builds the Chinese from it."""


def _lot_findings(conn: Connection, rule: Rule, period: Period) -> list[Finding]:
    """A lot over its rule's limit, with its units and their photos linked (issue 26)."""
    out = []
    for row in lot_rows(conn, period, min_returned=1):
        if not _lot_fires(rule, row):
            continue
        linked = lot_units(conn, period, row.sku, row.lot)
        extra: dict[str, Any] = {}
        if rule.kind == "lot_returns":
            limit = rule["max_units"]
            said = f"Lot {row.lot} of {row.sku}: {row.returned} units returned in {period} (limit {limit})."
        elif rule.kind == "lot_reason_share":
            limit = rule["min_share_percent"]
            code, words, units = row.reasons[0]
            said = (f"Lot {row.lot} of {row.sku}: {units} of {row.returned} units returned in {period} said "
                    f"{words} ({_pct(_top_share(row))}; limit {limit} % of at least {rule['min_units']}).")
            extra = {"share_pct": round(_top_share(row) * 100, 2), "top_units": units, "min_units": rule["min_units"]}
        else:
            limit = rule["max_rate_percent"]
            said = (f"Lot {row.lot} of {row.sku} returned {_pct(row.rate or 0.0)} of {row.sold} sold in {period} "
                    f"(limit {limit} %).")
        if row.reasons and rule.kind != "lot_reason_share":
            said += f" Most said: {row.reasons[0][1]} ({row.reasons[0][2]})."
        out.append(Finding(rule.id, f"lot {row.sku} {row.lot}"[:120], rule.severity, said, {
            "lot": row.lot, "sku": row.sku, "supplier": row.supplier, "returned": row.returned, "sold": row.sold,
            "rate_pct": None if row.rate is None else round(row.rate * 100, 2), "period": str(period),
            "limit": limit, "measure": _MEASURES[rule.kind],
            "top_reason": row.reasons[0][0] if row.reasons else "", "lpns": list(linked.lpns),
            "photos": list(linked.photos), **extra}))
    return out


def _view(a: Alert) -> AlertView:
    owner = " / ".join(x for x in (a.owner_email, f"webhook {a.owner_webhook}" if a.owner_webhook else "") if x)
    return AlertView(a.id, a.rule, a.subject, a.severity, a.message, dict(a.figures), a.raised_at,
                     a.state, a.ack_note, owner or "site supervisors", a.owner_email, a.owner_webhook, a.respond_by,
                     a.escalated_at, a.closed_at, a.close_note)


ACTIVE = (AlertState.OPEN, AlertState.ACKNOWLEDGED)


class AlertService(Service):
    def __init__(self, ctx: StationContext, thresholds: Thresholds | None = None) -> None:
        super().__init__(ctx)
        self.thresholds = thresholds or load_thresholds()

    def check(self, today: dt.date | None = None, actor: Actor | None = None) -> CheckResult:
        """Evaluate every rule; store new alerts, refresh the ones not closed yet, escalate the
        ones past their response time. One transaction; each new alert is audited and becomes an
        ``alert.raised`` event (which the notifier and the webhooks deliver once)."""
        if actor is not None:
            self.require(actor, Permission.VIEW_ANALYTICS)
        today = today or self.ctx.today()
        rules = {rule.id: rule for rule in self.thresholds.rules}
        with self.read_connection() as conn:
            findings = [f for rule in self.thresholds.rules for f in evaluate(conn, rule, today)]
        raised, refreshed = [], []
        with self.transaction() as db:
            active = {(a.rule, a.subject): a for a in db.scalars(select(Alert).where(Alert.state.in_(ACTIVE)))}
            for f in findings:
                existing = active.get((f.rule, f.subject))
                if existing is not None:
                    if existing.figures != f.figures or existing.message != f.message:
                        existing.figures, existing.message = f.figures, f.message
                    refreshed.append(existing)
                    continue
                owner, now = rules[f.rule].owner, self.ctx.now()
                alert = Alert(rule=f.rule, subject=f.subject, severity=f.severity, message=f.message,
                              figures=f.figures, raised_at=now, state=AlertState.OPEN,
                              station_id=self.ctx.station_id, owner_email=owner.email, owner_webhook=owner.webhook,
                              respond_by=now + dt.timedelta(hours=owner.respond_within_hours))
                db.add(alert)
                db.flush()
                active[(f.rule, f.subject)] = alert
                raised.append(alert)
                self.audit(db, actor, "alert.raised", "alerts", alert.id,
                           {"rule": f.rule, "subject": f.subject, "figures": f.figures, "owner": owner.named,
                            "respond_by": alert.respond_by.isoformat() if alert.respond_by else None})
                alert_event(db, "alert.raised", alert, now)
                if rules[f.rule].kind in LOT_KINDS:
                    lot_alert_event(db, alert, now)
            db.flush()
            result = CheckResult(tuple(_view(a) for a in raised), tuple(_view(a) for a in refreshed),
                                 len(self.thresholds.rules))
        escalated = self.escalate_due()
        log.info("alert check: %d raised, %d still open, %d escalated", len(result.raised), len(result.refreshed),
                 len(escalated))
        return CheckResult(result.raised, result.refreshed, result.rules_run, tuple(escalated))

    def escalate_due(self, now: dt.datetime | None = None) -> list[AlertView]:
        """Alerts nobody acknowledged within their response time go to the site's supervisors
        (an ``alert.escalated`` event the notifier mails to every supervisor with an e-mail)."""
        now = now or self.ctx.now()
        with self.transaction() as db:
            due = list(db.scalars(select(Alert).where(Alert.state == AlertState.OPEN, Alert.escalated_at.is_(None),
                                                      Alert.respond_by.is_not(None), Alert.respond_by <= now)
                                  .order_by(Alert.raised_at)))
            to = supervisor_emails(db)
            for alert in due:
                alert.escalated_at = now
                self.audit(db, None, "alert.escalated", "alerts", alert.id,
                           {"rule": alert.rule, "subject": alert.subject,
                            "respond_by": alert.respond_by.isoformat() if alert.respond_by else None,
                            "supervisors": len(to)})
                alert_event(db, "alert.escalated", alert, now, escalated_to=len(to))
            db.flush()
            return [_view(a) for a in due]

    def open_alerts(self, actor: Actor) -> list[AlertView]:
        """Alerts not closed yet (open and acknowledged), newest first: what the desk shows."""
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.reading() as db:
            rows = db.scalars(select(Alert).where(Alert.state.in_(ACTIVE))
                              .order_by(Alert.raised_at.desc(), Alert.subject))
            return [_view(a) for a in rows]

    def get(self, actor: Actor, alert_id: uuid.UUID) -> AlertView:
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.reading() as db:
            return _view(self._alert(db, alert_id))

    @staticmethod
    def _alert(db: Any, alert_id: uuid.UUID | str) -> Alert:
        try:
            key = uuid.UUID(str(alert_id))
        except ValueError:
            key = None
        alert = db.get(Alert, key) if key else None
        if alert is None:  # the CLI lets people type the first characters of the id
            text = str(alert_id).strip().lower().replace("-", "")
            matches = [a for a in db.scalars(select(Alert)) if len(text) >= 6 and a.id.hex.startswith(text)]
            alert = matches[0] if len(matches) == 1 else None
        if alert is None:
            raise NotFound(f"No alert {alert_id}.", next_step="List them with `rma-station alerts list`.")
        return alert

    def acknowledge(self, actor: Actor, alert_id: uuid.UUID | str, note: str) -> AlertView:
        """A supervisor has seen the alert and says what is being done about it."""
        self.require(actor, Permission.APPROVE)
        note = _note(note, "Say what is being done about the alert.")
        with self.transaction() as db:
            alert = self._alert(db, alert_id)
            if alert.state != AlertState.OPEN:
                raise IllegalTransition(f"The alert on {alert.subject} was already {alert.state.value}.")
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_by, alert.acknowledged_at, alert.ack_note = actor.id, self.ctx.now(), note
            self.audit(db, actor, "alert.acknowledged", "alerts", alert.id,
                       {"rule": alert.rule, "subject": alert.subject, "note": note})
            db.flush()
            return _view(alert)

    def add_note(self, actor: Actor, alert_id: uuid.UUID | str, note: str) -> AlertView:
        """An action taken ("supplier informed, size chart corrected"), kept in order and audited."""
        self.require(actor, Permission.APPROVE)
        note = _note(note, "Say what was done.")
        with self.transaction() as db:
            alert = self._alert(db, alert_id)
            if alert.state == AlertState.CLOSED:
                raise IllegalTransition(f"The alert on {alert.subject} is closed.",
                                        next_step="A new breach raises a new alert.")
            db.add(AlertAction(alert_id=alert.id, at=self.ctx.now(), by=actor.id, note=note))
            self.audit(db, actor, "alert.action", "alerts", alert.id,
                       {"rule": alert.rule, "subject": alert.subject, "note": note})
            db.flush()
            return _view(alert)

    def close(self, actor: Actor, alert_id: uuid.UUID | str, note: str) -> AlertView:
        """The matter is dealt with: closed with a note, audited, an ``alert.closed`` event. A
        later breach of the same rule and subject raises a new alert."""
        self.require(actor, Permission.APPROVE)
        note = _note(note, "Say how the alert was resolved.")
        with self.transaction() as db:
            alert = self._alert(db, alert_id)
            if alert.state == AlertState.CLOSED:
                raise IllegalTransition(f"The alert on {alert.subject} was already closed.")
            now = self.ctx.now()
            if alert.state == AlertState.OPEN:  # closing answers the alert too
                alert.acknowledged_by, alert.acknowledged_at = actor.id, now
            alert.state, alert.closed_by, alert.closed_at, alert.close_note = AlertState.CLOSED, actor.id, now, note
            self.audit(db, actor, "alert.closed", "alerts", alert.id,
                       {"rule": alert.rule, "subject": alert.subject, "note": note})
            alert_event(db, "alert.closed", alert, now, close_note=note)
            db.flush()
            return _view(alert)

    def actions(self, actor: Actor, alert_id: uuid.UUID | str) -> list[tuple[dt.datetime, str]]:
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.reading() as db:
            alert = self._alert(db, alert_id)
            return [(a.at, a.note) for a in db.scalars(select(AlertAction).where(AlertAction.alert_id == alert.id)
                                                       .order_by(AlertAction.at))]


def _note(note: str, ask: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(ask, next_step="Write a short note.")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"The note is {len(note)} characters; keep it under {MAX_NOTE}.")
    return note
