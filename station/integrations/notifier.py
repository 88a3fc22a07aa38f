"""Sending customer notices from the event feed: each notice once per channel, opt-out respected.

The ledger row (event, channel) is written when the event is first seen, with the outcome
decided then: ``queued``, ``opted_out`` or ``no_address``. Sending claims queued rows by
marking them ``sending`` and committing *before* talking to the mail server, so two notifiers,
or one restarted after a crash, never send the same notice twice. The price is that a notice
whose sender crashed mid-send stays ``sending`` (listed by ``notify --status``) instead of
being sent again: for a customer, one missing email is better than the same email twice.
A failure (server down, refused) is retried with back-off and dead-lettered after
``max_attempts``. Opt-out is checked when planning and again just before sending: the RMA's
own flag for every channel, and for e-mail also the address's one-click unsubscribe
(``email_opt_outs``), which holds for every later RMA of that address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy import bindparam as b

from station.integrations import feed, unsubscribe
from station.integrations.ledger import notices
from station.integrations.mail import SmtpMailer
from station.integrations.notices import (
    ALERT_NOTICES,
    REQUEST_EVENTS,
    Attachment,
    Templates,
    alert_message,
    load_templates,
    notice_for,
    values_for,
)
from station.integrations.sms import SmsSender
from station.integrations.webhooks import Backoff
from station.models import Alert, Order, Product, Rma, RmaRequest, RmaRequestLine, utcnow
from station.operators.roster import supervisor_emails

log = logging.getLogger(__name__)

CURSOR = "notices"
QUEUED, SENDING, SENT, FAILED, DEAD = "queued", "sending", "sent", "failed", "dead"
OPTED_OUT, NO_ADDRESS = "opted_out", "no_address"
_rmas, _products = Rma.__table__, Product.__table__
_alerts = Alert.__table__
MAX_RECIPIENTS = 254
_requests, _request_lines, _orders = RmaRequest.__table__, RmaRequestLine.__table__, Order.__table__
#: ``attachments(event, locale)``: files to attach to a notice's e-mail (the authorised notice's
#: return label). Given by the caller, so station/ never renders labels itself.
AttachmentsFor = Callable[[feed.FeedEvent, str], list[Attachment]]
#: ``status_link(rma_number, locale)``: the customer's status page for a return (a signed link
#: made by the web face), put in every customer notice. Given by the caller, like attachments.
StatusLinkFor = Callable[[str, str], str]


@dataclass(frozen=True)
class NoticeReport:
    planned: int = 0
    skipped: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0


class Notifier:
    def __init__(self, engine: Engine, *, mailer: SmtpMailer | None = None, sms: SmsSender | None = None,
                 templates: Templates | None = None, clock: Callable[[], dt.datetime] = utcnow,
                 backoff: Backoff = Backoff(base_s=60), max_attempts: int = 5, workers: int = 4,
                 batch: int = 200, attachments: AttachmentsFor | None = None,
                 status_link: StatusLinkFor | None = None) -> None:
        self.engine, self.mailer, self.sms, self.clock = engine, mailer, sms, clock
        self.attachments = attachments
        self.status_link = status_link
        self.templates = templates or load_templates()
        self.backoff, self.max_attempts, self.batch = backoff, max_attempts, batch
        self.channels = tuple(c for c, on in (("email", mailer), ("sms", sms)) if on is not None)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notice")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for sender in (self.mailer, self.sms):
            if sender is not None and hasattr(sender, "close"):
                sender.close()

    def run_once(self) -> NoticeReport:
        with self.engine.begin() as conn:
            feed.ingest(conn, self.clock())
            planned, skipped = self._plan(conn)
        sent = failed = dead = 0
        while True:
            claimed = self._claim()
            if not claimed:
                break
            s, f, d = self._send_all(claimed)
            sent, failed, dead = sent + s, failed + f, dead + d
        return NoticeReport(planned, skipped, sent, failed, dead)

    def _plan(self, conn: Connection) -> tuple[int, int]:
        cursor, rows = feed.get_cursor(conn, CURSOR), []
        while True:
            events = feed.read(conn, cursor, 1000, ["rma.received", "resolution.issued", *REQUEST_EVENTS,
                                                    *ALERT_NOTICES])
            if not events:
                break
            cursor = events[-1].cursor
            contacts = _contacts(conn, {e.rma_number for e in events})
            unsubscribed = unsubscribe.opted_out(conn, (c["customer_email"] for c in contacts.values()))
            for event in events:
                if event.name in ALERT_NOTICES:
                    rows.extend(self._plan_alert(conn, event))
                    continue
                notice, contact = notice_for(event), contacts.get(event.rma_number)
                if notice is None or contact is None:
                    continue
                for channel in self.channels:
                    address = contact["customer_email"] if channel == "email" else contact["customer_phone"]
                    out = contact["customer_opt_out"] or (
                        channel == "email" and unsubscribe.normalise(address or "") in unsubscribed)
                    state = OPTED_OUT if out else (QUEUED if address else NO_ADDRESS)
                    rows.append({"event_id": event.id, "channel": channel, "seq": event.cursor, "notice": notice,
                                 "recipient": address or "", "state": state, "attempts": 0,
                                 "next_attempt_at": self.clock(), "last_error": ""})
        if rows:
            conn.execute(insert(notices), rows)
        feed.set_cursor(conn, CURSOR, cursor)
        queued = sum(r["state"] == QUEUED for r in rows)
        return queued, len(rows) - queued

    def _plan_alert(self, conn: Connection, event: feed.FeedEvent) -> list[dict[str, Any]]:
        """One e-mail row for an alert event: the owner when raised (the supervisors when the
        rule names no owner at all), the supervisors when escalated."""
        if "email" not in self.channels:
            return []
        try:
            alert_id = uuid.UUID(str(event.data.get("alert_id")))
        except ValueError:
            alert_id = None
        alert = conn.execute(select(_alerts.c.owner_email, _alerts.c.owner_webhook)
                             .where(_alerts.c.id == alert_id)).first() if alert_id else None
        owner, webhook = (alert.owner_email, alert.owner_webhook) if alert is not None else ("", "")
        if event.name == "alert.raised" and (owner or webhook):
            recipient = owner
        else:
            recipient = _recipients(supervisor_emails(conn))
        return [{"event_id": event.id, "channel": "email", "seq": event.cursor, "notice": ALERT_NOTICES[event.name],
                 "recipient": recipient, "state": QUEUED if recipient else NO_ADDRESS, "attempts": 0,
                 "next_attempt_at": self.clock(), "last_error": ""}]

    def _claim(self) -> list[Any]:
        n = notices.c
        with self.engine.begin() as conn:
            rows: list[Any] = conn.execute(select(notices).where(n.state.in_((QUEUED, FAILED)), n.next_attempt_at <= self.clock())
                                .order_by(n.seq).limit(self.batch).with_for_update(skip_locked=True)).all()  # type: ignore[assignment]
            if rows:
                conn.execute(update(notices).where(and_(n.event_id == b("e"), n.channel == b("c")))
                             .values(state=SENDING), [{"e": r.event_id, "c": r.channel} for r in rows])
        return rows

    def _send_all(self, claimed: list[Any]) -> tuple[int, int, int]:
        with self.engine.connect() as conn:
            events = feed.by_ids(conn, list({r.event_id for r in claimed}))
            contacts = _contacts(conn, {e.rma_number for e in events.values()})
            unsubscribed = unsubscribe.opted_out(conn, (c["customer_email"] for c in contacts.values()))
            skus = {str(u.get("sku")) for e in events.values() for u in (*e.data.get("units", []),
                                                                          *e.data.get("lines", []))}
            skus |= {str(l["sku"]) for c in contacts.values() for l in c.get("request_lines", [])}
            skus |= {str(x.get("new_sku")) for e in events.values() for x in e.data.get("exchange", [])}
            names = {r.sku: (r.name_en, r.name_zh) for r in conn.execute(
                select(_products.c.sku, _products.c.name_en, _products.c.name_zh).where(_products.c.sku.in_(skus)))}
        outcomes = list(self._pool.map(lambda r: self._send_one(r, events[r.event_id], contacts, names,
                                                                unsubscribed), claimed))
        now, updates = self.clock(), []
        for row, error in outcomes:
            attempts = row.attempts + (0 if error in (None, OPTED_OUT) else 1)
            if error is None:
                state, nxt = SENT, None
            elif error == OPTED_OUT:
                state, nxt = OPTED_OUT, None
            else:
                state = DEAD if attempts >= self.max_attempts else FAILED
                nxt = now + self.backoff.delay(attempts)
                log.warning("notice %s/%s for event %s failed (%d): %s", row.notice, row.channel, row.event_id,
                            attempts, error)
            updates.append({"e": row.event_id, "c": row.channel, "s": state, "a": attempts, "n": nxt,
                            "err": (error or "")[:500] if error != OPTED_OUT else "",
                            "at": now if state == SENT else None})
        n = notices.c
        with self.engine.begin() as conn:
            conn.execute(update(notices).where(and_(n.event_id == b("e"), n.channel == b("c"))).values(
                state=b("s"), attempts=b("a"), next_attempt_at=b("n"), last_error=b("err"), sent_at=b("at")), updates)
        states = [u["s"] for u in updates]
        return states.count(SENT), states.count(FAILED), states.count(DEAD)

    def _send_one(self, row: Any, event: feed.FeedEvent, contacts: dict[str, Any],
                  names: dict[str, tuple[str, str]], unsubscribed: set[str]) -> tuple[Any, str | None]:
        if event.name in ALERT_NOTICES:
            if self.mailer is None:
                return row, "email is not configured in this notifier"
            try:
                self.mailer.send(row.recipient, alert_message(event, row.notice), f"{event.id}.{row.notice}")
            except Exception as exc:  # noqa: BLE001 - any sender failure is recorded and retried
                return row, f"{type(exc).__name__}: {exc}"
            return row, None
        contact = contacts[event.rma_number]
        if contact["customer_opt_out"]:
            return row, OPTED_OUT
        if row.channel == "email" and unsubscribe.normalise(contact["customer_email"] or "") in unsubscribed:
            return row, OPTED_OUT
        locale = self.templates.locale_for(contact["customer_locale"])
        if event.name in REQUEST_EVENTS and not (event.data.get("lines") or event.data.get("units")):
            event = dataclasses.replace(event, data={**event.data, "lines": contact.get("request_lines", [])})
        values = values_for(event, contact["customer_name"], locale, names, contact.get("request_comment", ""))
        if self.status_link is not None:
            values["status_url"] = self.status_link(event.rma_number, locale)
        message = self.templates.render(row.notice, locale, values)
        try:
            if row.channel == "email" and self.attachments is not None and row.notice == "request_authorised":
                message = dataclasses.replace(message, attachments=tuple(self.attachments(event, locale)))
        except Exception as exc:  # noqa: BLE001 - a label that cannot be made is retried like a send
            return row, f"attachment: {type(exc).__name__}: {exc}"
        try:
            if row.channel == "email" and self.mailer is not None:
                self.mailer.send(contact["customer_email"], message, f"{event.id}.{row.notice}")
            elif row.channel == "sms" and self.sms is not None:
                self.sms.send(contact["customer_phone"], message.sms, key=f"{event.id}:sms",
                              rma=event.rma_number, notice=row.notice)
            else:
                return row, f"channel {row.channel} is not configured in this notifier"
        except Exception as exc:  # noqa: BLE001 - any sender failure is recorded and retried
            return row, f"{type(exc).__name__}: {exc}"
        return row, None


def _contacts(conn: Connection, numbers: set[str]) -> dict[str, Any]:
    r = _rmas.c
    rows = conn.execute(select(r.number, r.customer_name, r.customer_email, r.customer_phone, r.customer_opt_out,
                               r.customer_locale).where(r.number.in_(numbers)))
    found: dict[str, Any] = {row.number: dict(row._mapping) for row in rows}
    _add_requests(conn, numbers, found)
    return found


def _add_requests(conn: Connection, numbers: set[str], found: dict[str, Any]) -> None:
    """Contacts for return requests (which may have no RMA yet: sent for review, refused) from
    their order, and each request's lines and the customer's comments."""
    q, o, l = _requests.c, _orders.c, _request_lines.c
    rows = conn.execute(select(q.id, q.number, o.customer_name, o.customer_email, o.customer_phone,
                               o.customer_language).join_from(_requests, _orders, q.order_id == o.id)
                        .where(q.number.in_(numbers))).all()
    if not rows:
        return
    lines: dict[Any, list[Any]] = {}
    for line in conn.execute(select(l.request_id, l.sku, l.quantity, l.comment)
                             .where(l.request_id.in_([r.id for r in rows])).order_by(l.line_no)):
        lines.setdefault(line.request_id, []).append(line)
    for r in rows:
        own = lines.get(r.id, [])
        contact = found.setdefault(r.number, {
            "number": r.number, "customer_name": r.customer_name, "customer_email": r.customer_email,
            "customer_phone": r.customer_phone, "customer_opt_out": False, "customer_locale": r.customer_language})
        contact["request_lines"] = [{"sku": x.sku, "quantity": x.quantity} for x in own]
        contact["request_comment"] = " / ".join(x.comment for x in own if x.comment)


def _recipients(addresses: list[str]) -> str:
    """Addresses for one To: header, as many as fit the ledger's column (the rest are logged)."""
    out = ""
    for address in addresses:
        joined = f"{out}, {address}" if out else address
        if len(joined) > MAX_RECIPIENTS:
            log.warning("alert escalation: %d supervisor address(es) left out (the To: line is full)",
                        len(addresses) - len(out.split(", ")))
            break
        out = joined
    return out


def status(engine: Engine) -> dict[str, int]:
    """Notices by state (``sending`` rows older than a run are ones a crash interrupted)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(notices.c.state, func.count()).group_by(notices.c.state)).all())
