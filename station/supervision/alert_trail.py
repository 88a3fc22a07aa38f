"""An alert's trail, step by step: raised, delivered, acknowledged, actions, escalated, closed.

The steps people took come from the audit log (``alert.*`` actions on entity ``alerts``); the
deliveries come from the integrations ledger where this database has one (the e-mail the
notifier sent, the webhook posts a consumer accepted), matched to the alert by its event key
(``alert:<id>``). The result is a table for ``rma-station alerts export``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from station.core.lifecycle_events import subject_key
from station.models import Alert, AuditEvent, DomainEvent, Operator

log = logging.getLogger(__name__)

COLUMNS = ("alert", "rule", "subject", "severity", "owner", "state", "step", "at", "by", "detail")
STEPS = {"alert.raised": "raised", "alert.acknowledged": "acknowledged", "alert.action": "action",
         "alert.escalated": "escalated", "alert.closed": "closed"}


@dataclass(frozen=True)
class TrailRow:
    alert: str
    rule: str
    subject: str
    severity: str
    owner: str
    state: str
    step: str
    at: dt.datetime
    by: str
    detail: str

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, c) for c in COLUMNS)


def alert_trail(conn: Connection, since: dt.datetime | None = None) -> list[TrailRow]:
    """Every step of every alert raised since ``since`` (all by default), in time order per alert."""
    query = select(Alert.__table__)
    if since is not None:
        query = query.where(Alert.raised_at >= since)
    alerts = {row.id: row for row in conn.execute(query)}
    if not alerts:
        return []
    names = dict(conn.execute(select(Operator.id, Operator.name)).all())
    steps: list[tuple[uuid.UUID, dt.datetime, str, str, str]] = []
    ids = [str(i) for i in alerts]
    for ev in conn.execute(select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.at, AuditEvent.operator_id,
                                  AuditEvent.details)
                           .where(AuditEvent.entity_type == "alerts", AuditEvent.entity_id.in_(ids))):
        details = ev.details or {}
        detail = details.get("note") or details.get("owner") or (
            f"{details.get('supervisors')} supervisor(s)" if ev.action == "alert.escalated" else "")
        who = names.get(ev.operator_id, "station") if ev.operator_id else "station"
        steps.append((uuid.UUID(ev.entity_id), ev.at, STEPS.get(ev.action, ev.action), who, str(detail)))
    steps.extend(_deliveries(conn, alerts))
    out = []
    for alert_id, at, step, who, detail in sorted(steps, key=lambda s: (alerts[s[0]].raised_at, str(s[0]), s[1])):
        a = alerts[alert_id]
        owner = " / ".join(x for x in (a.owner_email, f"webhook {a.owner_webhook}" if a.owner_webhook else "") if x)
        out.append(TrailRow(str(alert_id), a.rule, a.subject, a.severity, owner or "site supervisors",
                            getattr(a.state, "value", str(a.state)), step, at, who, detail))
    return out


def _deliveries(conn: Connection, alerts: dict[uuid.UUID, Any]) -> list[tuple[uuid.UUID, dt.datetime, str, str, str]]:
    """Deliveries recorded in the integrations ledger, if this database has one."""
    tables = set(inspect(conn).get_table_names())
    if "notices_sent" not in tables:
        return []
    from station.integrations.ledger import consumers, deliveries, notices

    keys = {subject_key("alert", i): i for i in alerts}
    e = DomainEvent.__table__.c
    out = []
    for row in conn.execute(select(e.rma_number, e.name, notices.c.recipient, notices.c.sent_at, notices.c.notice)
                            .join_from(notices, DomainEvent.__table__, e.id == notices.c.event_id)
                            .where(e.rma_number.in_(list(keys)), notices.c.sent_at.is_not(None))):
        out.append((keys[row.rma_number], row.sent_at, "delivered", "e-mail", f"{row.notice} to {row.recipient}"))
    if "webhook_deliveries" in tables:
        for row in conn.execute(select(e.rma_number, e.name, consumers.c.name.label("consumer"),
                                       deliveries.c.delivered_at)
                                .join_from(deliveries, DomainEvent.__table__, e.id == deliveries.c.event_id)
                                .join(consumers, consumers.c.id == deliveries.c.consumer_id)
                                .where(e.rma_number.in_(list(keys)), deliveries.c.delivered_at.is_not(None))):
            out.append((keys[row.rma_number], row.delivered_at, "delivered", "webhook",
                        f"{row.name} to {row.consumer}"))
    return out
