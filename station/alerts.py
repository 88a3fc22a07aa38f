"""Early warnings: evaluate the threshold rules, store alerts, let a supervisor acknowledge them.

``AlertService.check(today)`` runs every rule of ``alerts.toml`` against the analytics (SQL
aggregates) and stores one ``Alert`` per rule and subject. While an alert for the same rule
and subject is open, a new check refreshes its figures instead of raising a duplicate; once a
supervisor acknowledged it (with a note, audited), a later breach raises a fresh alert.
Headless (``rma-station alerts check``) the check runs with no operator: the audit records
the station as the actor.
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
from station.analytics.period import Period
from station.analytics.returns import rate_by_sku, reason_mix, supplier_defects
from station.analytics.thresholds import Rule, Thresholds, load_thresholds
from station.context import Actor, StationContext
from station.errors import IllegalTransition, InvalidInput, NotFound
from station.models import Alert, AlertState
from station.permissions import Permission
from station.services import Service

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


@dataclass(frozen=True)
class CheckResult:
    raised: tuple[AlertView, ...]
    refreshed: tuple[AlertView, ...]
    rules_run: int


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
                                    "rate_pct": round(row.rate * 100, 2), "period": str(period)}))
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
                                "percentile": p["percentile"], "period": str(period)}))
    elif rule.kind == "supplier_defect_rate":
        period = _window(today, p["window_days"])
        for s in supplier_defects(conn, period, min_graded=p["min_graded"]):
            if s.rate is not None and s.rate * 100 > p["max_rate_percent"]:
                out.append(Finding(rule.id, f"supplier {s.supplier}", rule.severity,
                                   f"{s.supplier}: {s.defective} of {s.graded} graded returns were "
                                   f"defective ({_pct(s.rate)}) in {period} (limit {p['max_rate_percent']} %).",
                                   {"supplier": s.supplier, "graded": s.graded, "defective": s.defective,
                                    "rate_pct": round(s.rate * 100, 2), "period": str(period)}))
    return out


def _view(a: Alert) -> AlertView:
    return AlertView(a.id, a.rule, a.subject, a.severity, a.message, dict(a.figures), a.raised_at,
                     a.state, a.ack_note)


class AlertService(Service):
    def __init__(self, ctx: StationContext, thresholds: Thresholds | None = None) -> None:
        super().__init__(ctx)
        self.thresholds = thresholds or load_thresholds()

    def check(self, today: dt.date | None = None, actor: Actor | None = None) -> CheckResult:
        """Evaluate every rule; store new alerts, refresh open ones. One transaction."""
        if actor is not None:
            self.require(actor, Permission.VIEW_ANALYTICS)
        today = today or self.ctx.today()
        with self.read_connection() as conn:
            findings = [f for rule in self.thresholds.rules for f in evaluate(conn, rule, today)]
        raised, refreshed = [], []
        with self.transaction() as db:
            open_alerts = {(a.rule, a.subject): a for a in db.scalars(
                select(Alert).where(Alert.state == AlertState.OPEN))}
            for f in findings:
                existing = open_alerts.get((f.rule, f.subject))
                if existing is not None:
                    if existing.figures != f.figures or existing.message != f.message:
                        existing.figures, existing.message = f.figures, f.message
                    refreshed.append(existing)
                    continue
                alert = Alert(rule=f.rule, subject=f.subject, severity=f.severity, message=f.message,
                              figures=f.figures, raised_at=self.ctx.now(), state=AlertState.OPEN,
                              station_id=self.ctx.station_id)
                db.add(alert)
                db.flush()
                open_alerts[(f.rule, f.subject)] = alert
                raised.append(alert)
                self.audit(db, actor, "alert.raised", "alerts", alert.id,
                           {"rule": f.rule, "subject": f.subject, "figures": f.figures})
            db.flush()
            result = CheckResult(tuple(_view(a) for a in raised), tuple(_view(a) for a in refreshed),
                                 len(self.thresholds.rules))
        log.info("alert check: %d raised, %d still open", len(result.raised), len(result.refreshed))
        return result

    def open_alerts(self, actor: Actor) -> list[AlertView]:
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.reading() as db:
            rows = db.scalars(select(Alert).where(Alert.state == AlertState.OPEN)
                              .order_by(Alert.raised_at.desc(), Alert.subject))
            return [_view(a) for a in rows]

    def acknowledge(self, actor: Actor, alert_id: uuid.UUID, note: str) -> AlertView:
        """A supervisor has seen the alert and says what is being done about it."""
        self.require(actor, Permission.APPROVE)
        note = (note or "").strip()
        if not note:
            raise InvalidInput("Say what is being done about the alert.", next_step="Write a short note.")
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"The note is {len(note)} characters; keep it under {MAX_NOTE}.")
        with self.transaction() as db:
            alert = db.get(Alert, alert_id)
            if alert is None:
                raise NotFound("No such alert.")
            if alert.state != AlertState.OPEN:
                raise IllegalTransition(f"The alert on {alert.subject} was already acknowledged.")
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_by, alert.acknowledged_at, alert.ack_note = actor.id, self.ctx.now(), note
            self.audit(db, actor, "alert.acknowledged", "alerts", alert.id,
                       {"rule": alert.rule, "subject": alert.subject, "note": note})
            db.flush()
            return _view(alert)
