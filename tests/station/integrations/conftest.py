"""Real peers for the integration tests: a webhook receiver on 127.0.0.1 and a dock that
produces domain events through the real services.

The receiver is written the way the shop's developers would write one, with the conventions'
own libraries: every webhook is checked with ``standardwebhooks.Webhook.verify`` and parsed
with the ``cloudevents`` SDK (``from_http``). The SMS adapter hook, which still uses the
deprecated ``X-RMA-Signature`` scheme, is checked with that scheme's verifier."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cloudevents.http import from_http
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks import Webhook, WebhookVerificationError

from station.core.context import Actor
from station.inspection.service import InspectionService
from station.integrations import ledger
from station.integrations.signing import IDEMPOTENCY_HEADER, SIGNATURE, verify
from station.models import RequestedResolution, Role
from station.receiving.service import ReceivingService
from station.resolution.service import ResolutionService
from tests.helpers.builders import Clock, add_operator, add_product, add_rma, make_context
from tests.helpers.qc import good_answer

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the example secret of the Standard Webhooks spec


@dataclass
class Receiver:
    """What the fake order system saw; ``plan`` decides each reply (status or 'sleep')."""

    url: str = ""
    secret: str = SECRET
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    fail_times: dict[str, int] = field(default_factory=dict)
    always: int | None = None
    sleep_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[dict[str, Any]]:
        return [r for r in self.received if r["status"] == 200]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real receiver

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k: v for k, v in self.headers.items()}
            cloud_event = None
            if SIGNATURE in {k.lower() for k in headers}:
                try:
                    event = Webhook(receiver.secret).verify(body, headers)
                    ok = True
                except WebhookVerificationError:
                    event, ok = json.loads(body), False
                cloud_event = from_http(headers, body)  # raises on anything not a CloudEvent
            else:  # the SMS adapter hook (deprecated scheme)
                ok = verify(receiver.secret, headers, body, tolerance_s=10**9)
                event = json.loads(body)
            with receiver.lock:
                if not ok:
                    receiver.bad_signatures += 1
                    status = 401
                elif receiver.always is not None:
                    status = receiver.always
                elif receiver.fail_times.get(event.get("id", ""), 0) > 0:
                    receiver.fail_times[event["id"]] -= 1
                    status = 500
                else:
                    status = 200
                sleep = receiver.sleep_s
                receiver.received.append({"status": status, "event": event, "cloud_event": cloud_event,
                                          "body": body, "key": headers.get(IDEMPOTENCY_HEADER),
                                          "headers": headers})
            if sleep:
                time.sleep(sleep)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    server.daemon_threads = True
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/rma"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture
def ledger_engine(engine: Engine) -> Iterator[Engine]:
    """The station database (SQLite or PostgreSQL) with the integrations ledger created."""
    ledger.init(engine)
    yield engine
    ledger.drop(engine)


@dataclass
class Dock:
    sf: sessionmaker[Session]
    clock: Clock
    receiving: ReceivingService
    inspection: InspectionService
    resolution: ResolutionService
    clerk: Actor
    inspector: Actor
    supervisor: Actor
    products: dict[str, Any]


@pytest.fixture
def dock(ledger_engine: Engine) -> Dock:
    from station.core.db import make_session_factory

    sf = make_session_factory(ledger_engine)
    with sf.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR)
        supervisor = add_operator(db, Role.SUPERVISOR)
        jeans = add_product(db, "AP-JN-32", name_en="Slim jeans", name_zh="修身牛仔裤", value="299.00")
        shorts = add_product(db, "AP-SH-30", name_en="Shorts", name_zh="短裤", value="199.00")
    clock = Clock()
    ctx = make_context(sf, clock)
    return Dock(sf, clock, ReceivingService(ctx), InspectionService(ctx), ResolutionService(ctx),
                clerk, inspector, supervisor, {"jeans": jeans, "shorts": shorts})


def new_rma(dock: Dock, *, requested: RequestedResolution = RequestedResolution.REFUND,
            email: str = "wang@example.com", phone: str = "", locale: str = "en", opt_out: bool = False,
            reason: str = "size") -> str:
    with dock.sf.begin() as db:
        rma = add_rma(db, [(dock.products["jeans"], 1)], reason=reason, price="299.00", requested=requested)
        rma.customer_email, rma.customer_phone = email, phone
        rma.customer_locale, rma.customer_opt_out = locale, opt_out
        return rma.number


def full_return(dock: Dock, number: str, **issue: Any) -> None:
    """Receive, inspect (all good), dispose and resolve: five domain events (the last closes the RMA)."""
    lpn = dock.receiving.receive(dock.clerk, number).units[0].lpn
    view = dock.inspection.start(dock.inspector, lpn)
    while view.next_question is not None:
        view = dock.inspection.answer(dock.inspector, view.inspection_id, view.next_question.id,
                                      good_answer(view.next_question))
    dock.inspection.finish(dock.inspector, view.inspection_id)
    dock.inspection.dispose(dock.inspector, lpn)
    actor = dock.supervisor if issue.get("reject_reason") else dock.inspector
    dock.resolution.issue(actor, number, **issue)
