"""Audit figures: ``audit verify`` over 1,000,000 events, and what keying the chain costs a receipt.

Targets (issue 12): verifying a 1M-event chain <= 10 s; the HMAC's cost on a receipt <= 5 %.

- The 1M-event SQLite file is built once through sqlite3 in SQLAlchemy's storage format, every
  hash an HMAC under a bench key, and cached in ``bench/.data/`` (with the key beside it).
  ``audit.verify`` is timed as ``walk_chain`` (what the command runs) and as the whole
  ``rma-station audit verify --local-only`` in this process.
- Receipts: ``ReceivingService.receive`` on a SQLite file with RMAs waiting, alternating runs
  with the keyed chain (as shipped) and with plain SHA-256 (the key look-up and HMAC patched
  out, as before issue 12); median per receipt of each.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import Figure, figure, median
from station.audit import chain as audit
from station.audit.key import AuditKeyStore
from station.audit.rows import ChainRow, body_text
from station.core.db import make_engine, make_session_factory, upgrade

DATA = Path(__file__).with_name(".data")
BASE = dt.datetime(2026, 1, 1)
ACTIONS = ("parcel.received", "inspection.finished", "unit.dispositioned", "label.printed", "operator.signed_in")


def chain_path(events: int) -> Path:
    return DATA / f"audit-{events}.sqlite"


def _build(events: int, store: AuditKeyStore) -> tuple[Path, float]:
    path = chain_path(events)
    if path.exists():
        return path, 0.0
    DATA.mkdir(exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)
    engine.dispose()
    key = store.get_or_create("DOCK01")
    scheme = audit.keyed_scheme(key)
    rng = random.Random(12)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    operator = uuid.UUID(int=rng.getrandbits(128), version=4)
    prev = audit.GENESIS
    rows: list[tuple[Any, ...]] = []
    for seq in range(1, events + 1):
        at = BASE + dt.timedelta(seconds=seq * 3)
        event_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        action = ACTIONS[seq % len(ACTIONS)]
        details = {"rma": f"RMA{seq:09d}", "lpn": f"LPN01{seq:010d}", "grade": "ABCD"[seq % 4], "flags": []}
        row = ChainRow(seq, str(event_id), at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"), "DOCK01", str(operator),
                       "EMP1001", action, "unit", str(event_id), details, prev, "", scheme)
        digest = hmac.digest(key, body_text(row, True), "sha256").hex()
        rows.append((seq, event_id.hex, at.strftime("%Y-%m-%d %H:%M:%S.%f"), "DOCK01", operator.hex, "EMP1001",
                     action, "unit", str(event_id), _json(details), prev, digest, scheme))
        prev = digest
        if len(rows) == 50_000:
            _insert(conn, rows)
    _insert(conn, rows)
    conn.commit()
    conn.close()
    tmp.rename(path)
    return path, time.perf_counter() - started


def _json(value: object) -> str:
    import json

    return json.dumps(value)  # SQLAlchemy's JSON type stores json.dumps' default form


def _insert(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    conn.executemany("INSERT INTO audit_events (seq, id, at, station_id, operator_id, operator_badge, action, "
                     "entity_type, entity_id, details, prev_hash, hash, hash_scheme) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    rows.clear()


def _verify_figures(events: int, runs: int) -> Iterator[Figure]:
    store = AuditKeyStore(DATA / "audit-keys")
    path, build_s = _build(events, store)
    if build_s:
        yield figure("audit.build_chain", build_s, "s", events=events)
    engine = make_engine(f"sqlite:///{path}")
    with open(path, "rb") as warm:  # the figure is for a warm page cache, like the other big-file figures
        while warm.read(1 << 24):
            pass
    samples, cpu = [], []
    for _ in range(runs):
        with engine.connect() as conn:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = audit.walk_chain(conn, store)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            conn.rollback()
        if not (result.ok and result.complete and result.events == events):
            raise RuntimeError(f"bench chain does not verify: {result}")
    engine.dispose()
    # On a shared machine the wall time is mostly waiting for a core: the CPU time is printed too.
    yield figure("audit.verify_walk", median(samples), "s", events=events, runs=[round(s, 2) for s in samples],
                 cpu_s=round(median(cpu), 2), load=round(os.getloadavg()[0], 1), target_s=10)
    os.environ["RMA_AUDIT_KEY_DIR"] = str(DATA / "audit-keys")
    from ui.cli import main

    out = io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out):
        code = main(["--station-id", "DOCK01", "audit", "verify", "--local-only", "--db", str(path)])
    yield figure("audit.verify_command", time.perf_counter() - started, "s", events=events, exit=code,
                 said=out.getvalue().splitlines()[0])


class _NoKey:
    """Stands in for the key store in the plain runs: no look-up cost."""

    def get_or_create(self, station_id: str) -> bytes:
        return b""


def _seed(sf, rmas: int):  # type: ignore[no-untyped-def]
    from station.core.context import Actor
    from station.core.identifiers import make_rma_number
    from station.models import Operator, Product, RequestedResolution, Rma, RmaLine, Role

    now = dt.datetime.now(dt.UTC)
    with sf.begin() as db:
        clerk = Operator(badge="EMP1001", name="Bench Clerk", role=Role.CLERK, pin_hash="x", station_id="DOCK01")
        product = Product(sku="TS-1", gtin=None, name_en="T-shirt", name_zh="T恤", category="apparel",
                          unit_value=Decimal("99.00"), currency="CNY", expected_weight_g=300, serialised=False,
                          supplier="", rtv_allowed=False, station_id="CENTRAL")
        db.add_all([clerk, product])
        db.flush()
        for i in range(rmas):
            rma = Rma(number=make_rma_number(i + 1), order_number=f"SO{i}", customer_ref=f"C{i}",
                      customer_name="Wang Fang", customer_email="w@example.com", customer_phone="",
                      customer_opt_out=False, customer_locale="zh", reason_code="size", reason_text="",
                      requested_resolution=RequestedResolution.REFUND, customer_photos=[],
                      authorised_at=now - dt.timedelta(days=2), deadline=(now + dt.timedelta(days=20)).date(),
                      carrier="SF", tracking_number=f"SF{i:010d}", currency="CNY",
                      return_shipping_cost=Decimal("0.00"), state="authorised", station_id="CENTRAL")
            db.add(rma)
            db.flush()
            db.add(RmaLine(rma_id=rma.id, line_no=1, product_id=product.id, sku="TS-1", quantity=2, serial=None,
                           unit_price=Decimal("99.00"), station_id="CENTRAL"))
        return Actor.of(clerk)


def _receipt_figures(receipts: int) -> Iterator[Figure]:
    """Receipts alternate keyed / plain one by one, so a busy machine's drift hits both alike."""
    from station.core.context import StationContext
    from station.core.identifiers import make_rma_number
    from station.receiving.service import ReceivingService

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_AUDIT_KEY_DIR"] = str(Path(tmp) / "keys")
        engine = make_engine(f"sqlite:///{Path(tmp) / 'receipts.sqlite'}")
        upgrade(engine)
        sf = make_session_factory(engine)
        clerk = _seed(sf, receipts * 2 + 50)
        service = ReceivingService(StationContext(sf))
        numbers = iter(make_rma_number(i + 1) for i in range(receipts * 2 + 50))
        for _ in range(50):  # warm-up: statement caches, the key file read once
            service.receive(clerk, next(numbers))
        keyed: list[float] = []
        plain: list[float] = []
        saved = audit.keyed_scheme, audit.default_store
        for n in range(receipts * 2):
            use_plain = n % 2 == 1
            if use_plain:
                audit.keyed_scheme = lambda key: audit.PLAIN  # type: ignore[assignment]
                audit.default_store = _NoKey  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                service.receive(clerk, next(numbers))
                (plain if use_plain else keyed).append((time.perf_counter() - started) * 1000)
            finally:
                audit.keyed_scheme, audit.default_store = saved
        engine.dispose()

        # The keyed part alone, per audited change: the key from the store, the scheme, the HMAC.
        from station.audit.key import default_store
        body = b'{"action":"parcel.received","at":"2026-01-01T00:00:00.000000+00:00","details":{"rma":"RMA1"}}' * 3
        loops = 20_000
        started = time.perf_counter()
        for _ in range(loops):
            key = default_store().get_or_create("DOCK01")
            audit.keyed_scheme(key)
            hmac.digest(key, body, "sha256").hex()
        keyed_part = (time.perf_counter() - started) / loops * 1e6
        import hashlib

        started = time.perf_counter()
        for _ in range(loops):
            hashlib.sha256(body).hexdigest()
        plain_part = (time.perf_counter() - started) / loops * 1e6
    yield figure("audit.receipt_keyed", median(keyed), "ms", receipts=receipts)
    yield figure("audit.receipt_plain", median(plain), "ms", receipts=receipts)
    yield figure("audit.receipt_hmac_cost", (median(keyed) / median(plain) - 1) * 100, "%", target_pct=5)
    yield figure("audit.keyed_part_per_event", keyed_part - plain_part, "us",
                 of_receipt_pct=round((keyed_part - plain_part) / 1000 / median(keyed) * 100, 3))


def _anchor_figures(events: int) -> Iterator[Figure]:
    """First push of a whole chain to a fresh central (a station upgraded with its history),
    then ``audit verify``'s comparison with central's copy."""
    import shutil

    from bench.bench_sync import _database, _drop
    from station.sync.audit_anchor import compare_with_central, push_audit_chain
    from station.sync.central_setup import init_central
    from station.sync.connection import make_central_engine

    store = AuditKeyStore(DATA / "audit-keys")
    path, _build_s = _build(events, store)
    url, admin = _database()
    central = make_central_engine(url, station_id="DOCK01")
    try:
        init_central(central)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "station.sqlite"
            shutil.copy(path, copy)
            local = make_engine(f"sqlite:///{copy}")
            started = time.perf_counter()
            report = push_audit_chain(local, central, "DOCK01")
            took = time.perf_counter() - started
            if report.sent != events or report.refused:
                raise RuntimeError(f"anchor push: {report}")
            yield figure("audit.anchor_push_events_per_s", events / took, "events/s", events=events, s=round(took, 2))
            with local.connect() as mine, central.connect() as theirs:
                started = time.perf_counter()
                check = compare_with_central(mine, theirs, "DOCK01")
                took = time.perf_counter() - started
            if not check.ok or check.central_events != events:
                raise RuntimeError(f"compare: {check}")
            yield figure("audit.compare_with_central", took, "s", events=events)
            local.dispose()
    finally:
        central.dispose()
        _drop(admin, url)


def run(quick: bool = False) -> Iterator[Figure]:
    yield from _verify_figures(20_000 if quick else 1_000_000, 1 if quick else 3)
    yield from _anchor_figures(20_000 if quick else 100_000)
    yield from _receipt_figures(100 if quick else 1000)


__all__ = ["run"]
