"""Integration figures: signed webhook deliveries per second to a local HTTP receiver, and
customer emails per second to a local SMTP server (aiosmtpd), through the real dispatcher and
notifier on a station SQLite file (ingest, plan, send, record in the ledger included).

The receiver runs in a child process (so it does not share the dispatcher's GIL, as a real
order system would not) and checks every signature; the SMTP server runs in a child process too.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import socket
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from bench import Figure, figure

SECRET = "bench-secret"
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _receiver(port: int, counter: mp.Value) -> None:  # type: ignore[valid-type]
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from standardwebhooks import Webhook, WebhookVerificationError

    hook = Webhook(SECRET.encode())  # a secret without whsec_: its UTF-8 bytes are the key

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                hook.verify(body, dict(self.headers.items()))
                ok = True
            except WebhookVerificationError:
                ok = False
            if ok:
                with counter.get_lock():
                    counter.value += 1
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def _smtp(port: int, counter: mp.Value) -> None:  # type: ignore[valid-type]
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    Controller(Count(), hostname="127.0.0.1", port=port).start()
    while True:
        time.sleep(3600)


def _wait_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"bench peer on port {port} did not start")


def _database(path: Path, rmas: int, events_per_rma: int):  # noqa: ANN202 - an Engine
    from sqlalchemy import insert

    from station.core.db import make_engine, upgrade
    from station.integrations import ledger
    from station.models import DomainEvent, Product, RequestedResolution, Rma, RmaLine

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    ledger.init(engine)
    product_id = uuid.uuid4()
    names = ["rma.received", "unit.inspected", "unit.dispositioned", "resolution.issued"]
    base = {"station_id": "DOCK01", "created_at": NOW, "updated_at": NOW, "version": 1}
    with engine.begin() as conn:
        conn.execute(insert(Product.__table__), [{**base, "id": product_id, "sku": "AP-JN-32", "name_en": "Slim jeans",
                                                  "name_zh": "修身牛仔裤", "category": "apparel",
                                                  "unit_value": Decimal("299.00"), "serialised": False}])
        rma_rows, line_rows, event_rows = [], [], []
        for i in range(rmas):
            rid, number = uuid.uuid4(), f"RMA{i:09d}"
            rma_rows.append({**base, "id": rid, "number": number, "order_number": f"SO-{i}", "customer_ref": "C",
                             "customer_name": "Wang Fang", "customer_email": f"c{i}@example.com",
                             "customer_locale": "zh" if i % 2 else "en", "reason_code": "size",
                             "requested_resolution": RequestedResolution.REFUND, "authorised_at": NOW,
                             "deadline": NOW.date()})
            line_rows.append({**base, "id": uuid.uuid4(), "rma_id": rid, "line_no": 1, "product_id": product_id,
                              "sku": "AP-JN-32", "quantity": 1, "unit_price": Decimal("299.00")})
            for k in range(events_per_rma):
                payload = {"rma": number, "order_number": f"SO-{i}", "kind": "refund", "amount": "299.00",
                           "currency": "CNY", "units": [{"lpn": f"L{i}", "sku": "AP-JN-32", "quantity": 1}]}
                event_rows.append({**base, "id": uuid.uuid4(), "name": names[k % 4], "rma_number": number,
                                   "rma_seq": k + 1, "payload": payload,
                                   "occurred_at": NOW + dt.timedelta(seconds=k)})
        conn.execute(insert(Rma.__table__), rma_rows)
        conn.execute(insert(RmaLine.__table__), line_rows)
        conn.execute(insert(DomainEvent.__table__), event_rows)
    return engine


def _webhooks(tmp: Path, quick: bool) -> Iterator[Figure]:
    from station.integrations import webhooks
    from station.integrations.webhooks import WebhookDispatcher

    rmas, per_rma, workers = (300, 2, 8) if quick else (2500, 2, 8)
    engine = _database(tmp / "hooks.sqlite", rmas, per_rma)
    port, counter = _free_port(), mp.Value("i", 0)
    peer = mp.Process(target=_receiver, args=(port, counter), daemon=True)
    peer.start()
    try:
        _wait_port(port)
        webhooks.add_consumer(engine, "orders", f"http://127.0.0.1:{port}/hooks", "BENCH_SECRET", from_start=True)
        dispatcher = WebhookDispatcher(engine, env={"BENCH_SECRET": SECRET}, workers=workers)
        start = time.perf_counter()
        report = dispatcher.run_once()
        elapsed = time.perf_counter() - start
        dispatcher.close()
        yield figure("integrations.webhooks.deliveries_per_s", report.delivered / elapsed, "1/s",
                     delivered=report.delivered, verified_by_receiver=counter.value, failed=report.failed,
                     rmas=rmas, events_per_rma=per_rma, workers=workers, seconds=round(elapsed, 3),
                     db="sqlite", includes="ingest+plan+sign+POST+ledger updates")
    finally:
        peer.terminate()
        peer.join()
        engine.dispose()


def _emails(tmp: Path, quick: bool) -> Iterator[Figure]:
    from station.integrations.mail import SmtpMailer, SmtpSettings
    from station.integrations.notifier import Notifier

    rmas, workers = (300, 4) if quick else (2000, 4)
    engine = _database(tmp / "mail.sqlite", rmas, 1)
    port, counter = _free_port(), mp.Value("i", 0)
    peer = mp.Process(target=_smtp, args=(port, counter), daemon=True)
    peer.start()
    try:
        _wait_port(port)
        notifier = Notifier(engine, mailer=SmtpMailer(SmtpSettings("127.0.0.1", port)), workers=workers)
        start = time.perf_counter()
        report = notifier.run_once()
        elapsed = time.perf_counter() - start
        notifier.close()
        yield figure("integrations.email.sent_per_s", report.sent / elapsed, "1/s", sent=report.sent,
                     accepted_by_server=counter.value, failed=report.failed, workers=workers,
                     seconds=round(elapsed, 3), locales="half zh, half en",
                     includes="ingest+plan+claim+render+SMTP (one reused session per worker)+ledger updates")
    finally:
        peer.terminate()
        peer.join()
        engine.dispose()


def run(quick: bool) -> Iterator[Figure]:
    with tempfile.TemporaryDirectory(prefix="rma-bench-int-") as tmp:
        yield from _webhooks(Path(tmp), quick)
        yield from _emails(Path(tmp), quick)
