"""Signed webhooks: each event once per consumer, in order per RMA, retried, then dead-lettered.

Conventions, so receivers need no code written for rma-station alone: the body is a
CloudEvents 1.0 structured JSON event (``station.core.events.CloudEventEnvelope``), signed per
Standard Webhooks (``signing``: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``).
A secret is rotated with a grace period (``rotate_secret``): until it ends every delivery
carries a signature under the new and one under the old secret. The deprecated
``X-RMA-Signature`` headers are added for consumers with ``legacy_headers`` on (one release).

One delivery row per (consumer, event) is the idempotency ledger: it is created once, and a
consumer is sent the same ``Idempotency-Key`` (``<event id>:<consumer>``) on every attempt,
so a receiver that got a request whose reply was lost can recognise the retry. Delivery is
therefore at-least-once on the wire and exactly-once for a receiver that keeps the key.

Order per RMA: only the *head* of an RMA (its earliest event not yet delivered to that
consumer) is ever due, so event k+1 waits until k succeeded. A dead-lettered event keeps
blocking its RMA for that consumer until someone retries it (``webhooks dead-letters
--retry``): skipping it would hand the order system a refund for a parcel it never heard of.
Heads of different RMAs are independent and are sent concurrently.

Where a webhook may go is ``outbound_url``'s rule (https except to loopback, no credentials in
the URL, no private or link-local address unless allowed by name), checked when a consumer
is added and again before every request. A receiver that wants a token gets it in a header
(``auth_header``) whose value is read from the environment variable ``auth_env`` at delivery
time; only the variable's name is stored.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, insert, literal, or_, select, update
from sqlalchemy import bindparam as b

from station.core.errors import InvalidInput, NotFound
from station.core.events import CloudEventEnvelope
from station.integrations import feed, outbound_url, signing
from station.integrations.http_post import KeepAlivePoster, PostResult
from station.integrations.ledger import consumers, deliveries, event_log
from station.integrations.outbound_url import OutboundRefused, Resolver, redacted, system_resolver
from station.models import utcnow
from station.models.base import UtcDateTime
from station.models.events import EVENT_NAMES

log = logging.getLogger(__name__)

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"

@dataclass(frozen=True)
class Backoff:
    """Wait ``base * factor**(attempts-1)`` seconds before the next attempt, at most ``cap``."""

    base_s: float = 5.0
    factor: float = 2.0
    cap_s: float = 3600.0

    def delay(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=min(self.cap_s, self.base_s * self.factor ** max(attempts - 1, 0)))

@dataclass(frozen=True)
class DispatchReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    def __add__(self, other: DispatchReport) -> DispatchReport:
        return DispatchReport(self.delivered + other.delivered, self.failed + other.failed, self.dead + other.dead)

@dataclass(frozen=True)
class _Due:
    consumer_id: int
    consumer: str
    url: str
    secret_env: str
    max_attempts: int
    event_id: uuid.UUID
    attempts: int
    auth_header: str = ""
    auth_env: str = ""
    allow_private_host: str = ""
    previous_secret_env: str = ""
    previous_until: dt.datetime | None = None
    legacy_headers: bool = False

#: The longest grace period a rotated-out secret keeps signing.
MAX_GRACE = dt.timedelta(days=30)

_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,80}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,119}")
#: Headers the station sets itself (or http.client does); a token header may not replace them.
_OWN_HEADERS = {h.lower() for h in ("Content-Type", "Content-Length", "Host", "Connection", "Transfer-Encoding",
                                    signing.ID_HEADER, signing.TIMESTAMP, signing.SIGNATURE,
                                    signing.SIGNATURE_HEADER, signing.TIMESTAMP_HEADER, signing.EVENT_ID_HEADER,
                                    signing.EVENT_TYPE_HEADER, signing.IDEMPOTENCY_HEADER)}


def check_auth_header(header: str, env: str) -> None:
    """A token header: both names or neither, a valid header name, not one the station sets."""
    if bool(header) != bool(env):
        raise InvalidInput("Give --auth-header and --auth-env together (the header's name and the "
                           "environment variable holding its value).")
    if not header:
        return
    if not _HEADER_NAME.fullmatch(header) or header.lower() in _OWN_HEADERS:
        raise InvalidInput(f"{header!r} cannot carry the token: use a plain header name such as Authorization, "
                           "not one the station sets itself.")
    if not _ENV_NAME.fullmatch(env):
        raise InvalidInput(f"{env!r} is not an environment variable name.")

def add_consumer(engine: Engine, name: str, url: str, secret_env: str, events: Sequence[str] = (),
                 max_attempts: int = 8, *, from_start: bool = False, now: dt.datetime | None = None,
                 auth_header: str = "", auth_env: str = "", allow_private_host: str = "",
                 legacy_headers: bool = False, resolver: Resolver = system_resolver) -> int:
    """Subscribe ``url``; it gets events arriving from now on (or all of them with ``from_start``).

    The URL must pass ``outbound_url.check_url`` (``OutboundRefused`` says which rule it broke).
    ``legacy_headers`` adds the deprecated ``X-RMA-Signature`` headers (for one release).
    """
    url = url.strip()
    outbound_url.check_url(url, allow_private_host.strip(), resolver)
    check_auth_header(auth_header.strip(), auth_env.strip())
    unknown = set(events) - set(EVENT_NAMES)
    if unknown:
        raise InvalidInput(f"Unknown event(s) {', '.join(sorted(unknown))}; known: {', '.join(EVENT_NAMES)}.")
    if max_attempts < 1:
        raise InvalidInput("max_attempts must be at least 1.")
    with engine.begin() as conn:
        if conn.scalar(select(consumers.c.id).where(consumers.c.name == name)) is not None:
            raise InvalidInput(f"A webhook consumer named {name!r} exists already.")
        start = 0 if from_start else feed.head(conn)
        result = conn.execute(insert(consumers).values(
            name=name, url=url, secret_env=secret_env, events=sorted(events), active=True,
            max_attempts=max_attempts, planned_seq=start, created_at=now or utcnow(),
            auth_header=auth_header.strip(), auth_env=auth_env.strip(),
            allow_private_host=allow_private_host.strip(), previous_secret_env="",
            legacy_headers=legacy_headers))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

def plan(conn: Connection, now: dt.datetime) -> int:
    """Create the delivery rows of newly numbered events for every active consumer."""
    planned, top = 0, feed.head(conn)
    e, log_c = feed.events_table.c, event_log.c
    for consumer in conn.execute(select(consumers).where(consumers.c.active, consumers.c.planned_seq < top)):
        rows = (select(literal(consumer.id), e.id, log_c.seq, e.rma_number, e.rma_seq, e.occurred_at,
                       literal(PENDING), literal(0), literal(now, UtcDateTime()), literal(""))
                .join_from(event_log, feed.events_table, log_c.event_id == e.id)
                .where(log_c.seq > consumer.planned_seq, log_c.seq <= top))
        if consumer.events:
            rows = rows.where(e.name.in_(consumer.events))
        # An alert (and a lot.alert) whose rule names an owner webhook goes to that consumer
        # alone; one without goes to every consumer subscribed to alerts.
        owner = func.coalesce(e.payload["owner_webhook"].as_string(), "")
        rows = rows.where(or_(~(e.name.like("alert.%") | (e.name == "lot.alert")), owner == "", owner == consumer.name))
        planned += conn.execute(insert(deliveries).from_select(
            ["consumer_id", "event_id", "seq", "rma_number", "rma_seq", "occurred_at", "state", "attempts",
             "next_attempt_at", "last_error"], rows)).rowcount or 0
        conn.execute(update(consumers).where(consumers.c.id == consumer.id).values(planned_seq=top))
    return planned

def _due(conn: Connection, now: dt.datetime, limit: int) -> list[_Due]:
    d, p = deliveries.c, deliveries.alias("earlier").c
    earlier = exists().where(
        p.consumer_id == d.consumer_id, p.rma_number == d.rma_number, p.state != DELIVERED,
        or_(p.rma_seq < d.rma_seq,
            and_(p.rma_seq == d.rma_seq, or_(p.occurred_at < d.occurred_at,
                                              and_(p.occurred_at == d.occurred_at, p.event_id < d.event_id)))))
    query = (select(d.consumer_id, consumers.c.name, consumers.c.url, consumers.c.secret_env,
                    consumers.c.max_attempts, d.event_id, d.attempts, consumers.c.auth_header,
                    consumers.c.auth_env, consumers.c.allow_private_host, consumers.c.previous_secret_env,
                    consumers.c.previous_until, consumers.c.legacy_headers)
             .join_from(deliveries, consumers, consumers.c.id == d.consumer_id)
             .where(d.state == PENDING, d.next_attempt_at <= now, consumers.c.active, ~earlier)
             .order_by(d.seq).limit(limit))
    return [_Due(*row) for row in conn.execute(query)]  # type: ignore[arg-type]

class WebhookDispatcher:
    """Sends due deliveries; construct once and call ``run_once`` (or ``watch``) repeatedly."""

    def __init__(self, engine: Engine, *, clock: Callable[[], dt.datetime] = utcnow,
                 poster: KeepAlivePoster | None = None, backoff: Backoff = Backoff(), workers: int = 8,
                 batch: int = 500, env: Mapping[str, str] | None = None,
                 resolver: Resolver = system_resolver, envelope: CloudEventEnvelope | None = None,
                 wall_clock: Callable[[], float] = time.time) -> None:
        """``clock`` schedules attempts; ``wall_clock`` stamps ``webhook-timestamp``, which the
        receiver compares with its own clock (so it is always the real time in production)."""
        self.engine, self.clock, self.backoff, self.batch = engine, clock, backoff, batch
        self.envelope = envelope or CloudEventEnvelope.from_env()
        self.wall_clock = wall_clock
        self.resolver = resolver
        self.poster = poster or KeepAlivePoster()
        self.env = os.environ if env is None else env
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="webhook")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.poster.close()

    def run_once(self, max_rounds: int = 1000) -> DispatchReport:
        """Number new events, plan deliveries, and send until nothing is due right now."""
        with self.engine.begin() as conn:
            feed.ingest(conn, self.clock())
            plan(conn, self.clock())
        report = DispatchReport()
        for _ in range(max_rounds):
            with self.engine.connect() as conn:
                due = _due(conn, self.clock(), self.batch)
                events = feed.by_ids(conn, list({d.event_id for d in due}))
            if not due:
                break
            results = list(self._pool.map(lambda d: self._send(d, events[d.event_id]), due))
            report += self._record(due, results)
        return report

    def _keys(self, due: _Due) -> list[bytes] | str:
        """The signing keys (new secret first, then one in its grace period), or why none."""
        secret = self.env.get(due.secret_env, "")
        if not secret:
            return f"secret ${due.secret_env} is not set; nothing sent unsigned"
        keys = [signing.secret_key(secret)]
        if due.previous_secret_env and due.previous_until is not None and self.clock() < due.previous_until:
            previous = self.env.get(due.previous_secret_env, "")
            if previous:
                keys.append(signing.secret_key(previous))
            else:
                log.warning("webhook %s: the rotated-out secret $%s is not set; signing with the new one only",
                            due.consumer, due.previous_secret_env)
        return keys

    def _send(self, due: _Due, event: feed.FeedEvent) -> PostResult:
        try:
            keys = self._keys(due)
        except InvalidInput as exc:
            return PostResult(None, f"${due.secret_env}: {exc.message}")
        if isinstance(keys, str):
            return PostResult(None, keys)
        try:
            target, _parts = outbound_url.parse(due.url)  # a consumer added before the rules
        except OutboundRefused as exc:
            return PostResult(None, exc.message)
        body = event.body(self.envelope)
        timestamp = int(self.wall_clock())
        headers = {"Content-Type": signing.CONTENT_TYPE,
                   **signing.standard_headers(keys, body, msg_id=str(event.id), timestamp=timestamp),
                   signing.IDEMPOTENCY_HEADER: f"{event.id}:{due.consumer}"}
        if due.legacy_headers:  # deprecated: one release, then removed
            headers |= signing.legacy_headers(self.env[due.secret_env], body, event_id=str(event.id),
                                              event_type=event.name, timestamp=timestamp)
        if due.auth_header:
            token = self.env.get(due.auth_env, "")
            if not token:
                return PostResult(None, f"${due.auth_env} for the {due.auth_header} header is not set; nothing sent")
            headers[due.auth_header] = token
        return self.poster.post(due.url, body, headers, address_for=lambda: outbound_url.pinned_address(
            target, due.allow_private_host, self.resolver))

    def _record(self, due: list[_Due], results: list[PostResult]) -> DispatchReport:
        now = self.clock()
        delivered, retry, dead = [], [], []
        for d, result in zip(due, results, strict=True):
            key = {"c": d.consumer_id, "e": d.event_id, "status": result.status}
            if result.ok:
                delivered.append(key)
                continue
            attempts = d.attempts + 1
            error = result.error or f"HTTP {result.status}"
            row = key | {"attempts": attempts, "error": error[:500]}
            if attempts >= d.max_attempts:
                dead.append(row)
                log.warning("webhook %s: event %s dead-lettered after %d attempts (%s)",
                            d.consumer, d.event_id, attempts, error)
            else:
                retry.append(row | {"next": now + self.backoff.delay(attempts)})
        col = deliveries.c
        where = and_(col.consumer_id == b("c"), col.event_id == b("e"))
        with self.engine.begin() as conn:
            if delivered:
                conn.execute(update(deliveries).where(where).values(
                    state=DELIVERED, attempts=col.attempts + 1, last_status=b("status"), delivered_at=now,
                    last_error=""), delivered)
            if retry:
                conn.execute(update(deliveries).where(where).values(
                    attempts=b("attempts"), last_status=b("status"), last_error=b("error"),
                    next_attempt_at=b("next")), retry)
            if dead:
                conn.execute(update(deliveries).where(where).values(
                    state=DEAD, attempts=b("attempts"), last_status=b("status"), last_error=b("error")), dead)
        return DispatchReport(len(delivered), len(retry), len(dead))

def list_consumers(engine: Engine) -> list[dict[str, Any]]:
    """Every subscribed consumer by name, as JSON-ready values; the URL with any secret in it
    redacted, secrets named by their environment variable only."""
    with engine.connect() as conn:
        return [{"name": row.name, "url": redacted(row.url), "secret_env": row.secret_env,
                 "auth_header": row.auth_header, "auth_env": row.auth_env,
                 "allow_private_host": row.allow_private_host,
                 "events": row.events or "all", "active": row.active,
                 "max_attempts": row.max_attempts, "legacy_headers": row.legacy_headers,
                 "previous_secret_env": row.previous_secret_env or None,
                 "previous_until": row.previous_until.isoformat() if row.previous_until else None}
                for row in conn.execute(select(consumers).order_by(consumers.c.name))]


def dead_letters(engine: Engine) -> list[dict[str, Any]]:
    d, e = deliveries.c, feed.events_table.c
    query = (select(consumers.c.name.label("consumer"), d.event_id, e.name, d.rma_number, d.rma_seq, d.attempts,
                    d.last_status, d.last_error)
             .join_from(deliveries, consumers, consumers.c.id == d.consumer_id)
             .join(feed.events_table, e.id == d.event_id).where(d.state == DEAD).order_by(d.seq))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]

def retry_dead(engine: Engine, event_id: uuid.UUID, consumer: str | None = None,
               now: dt.datetime | None = None) -> int:
    """Put a dead letter back in the queue with a fresh attempt budget."""
    d = deliveries.c
    query = update(deliveries).where(d.state == DEAD, d.event_id == event_id)
    if consumer:
        query = query.where(d.consumer_id == select(consumers.c.id).where(consumers.c.name == consumer)
                            .scalar_subquery())
    with engine.begin() as conn:
        count = conn.execute(query.values(state=PENDING, attempts=0, next_attempt_at=now or utcnow())).rowcount
    if not count:
        raise NotFound(f"No dead letter for event {event_id}.")
    return count


def rotate_secret(engine: Engine, name: str, new_secret_env: str, grace: dt.timedelta,
                  now: dt.datetime | None = None) -> dt.datetime:
    """Sign with the secret in ``$new_secret_env`` from now on, and with the current one too
    until ``now + grace`` (so the receiver can switch in that time); returns when that ends.

    A rotation during a grace period replaces the older secret: at most two sign at once."""
    new_secret_env = new_secret_env.strip()
    if not _ENV_NAME.fullmatch(new_secret_env):
        raise InvalidInput(f"{new_secret_env!r} is not an environment variable name.")
    if grace < dt.timedelta(0) or grace > MAX_GRACE:
        raise InvalidInput(f"The grace period must be between 0 and {MAX_GRACE.days} days.")
    until = (now or utcnow()) + grace
    with engine.begin() as conn:
        row = conn.execute(select(consumers.c.id, consumers.c.secret_env).where(consumers.c.name == name)).first()
        if row is None:
            raise NotFound(f"There is no webhook consumer named {name!r}.")
        if row.secret_env == new_secret_env:
            raise InvalidInput(f"{name!r} already signs with ${new_secret_env}; put the new secret in another "
                               "variable.")
        conn.execute(update(consumers).where(consumers.c.id == row.id).values(
            secret_env=new_secret_env, previous_secret_env=row.secret_env, previous_until=until))
    log.info("webhook %s: secret rotated to $%s; $%s also signs until %s", name, new_secret_env,
             row.secret_env, until.isoformat())
    return until


def set_legacy_headers(engine: Engine, name: str, on: bool) -> None:
    """Turn the deprecated ``X-RMA-Signature`` headers on or off for one consumer."""
    with engine.begin() as conn:
        if not conn.execute(update(consumers).where(consumers.c.name == name)
                            .values(legacy_headers=on)).rowcount:
            raise NotFound(f"There is no webhook consumer named {name!r}.")
