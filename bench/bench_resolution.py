"""Resolution desk: the queue's first page over 1,000,000 RMAs with 200,000 waiting, and
``resolve --auto`` over 100,000 waiting.

``python -m bench resolution`` (``--quick``: 20,000 RMAs / 4,000 waiting and 500 for the
auto run). The big station file comes from ``bench.bigdb`` (cached); a copy is completed here
with SQL (units graded A/B and dispositioned, RMAs inspected, their queue markers) and cached
too. The auto run works on a throwaway copy, so every run starts from the same queue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from bench import Figure, figure, median
from bench.bigdb import DATA, build
from station.core.context import Actor, StationContext
from station.core.db import make_engine, make_session_factory
from station.models import Operator
from station.resolution.queue import ResolutionQueue

NOW = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def waiting_db(rmas: int, waiting: int) -> tuple[Path, float]:
    """bigdb's file with ``waiting`` received RMAs fully dispositioned and queued (cached)."""
    path = DATA / f"resolution-{rmas}-{waiting}.sqlite"
    if path.exists():
        return path, 0.0
    base, built = build(rmas)
    started = time.perf_counter()
    tmp = path.with_suffix(".building")
    shutil.copyfile(base, tmp)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    cut = conn.execute("SELECT rowid FROM rmas WHERE state = 'received' ORDER BY rowid LIMIT 1 OFFSET ?",
                       (waiting - 1,)).fetchone()[0]
    conn.execute("CREATE TEMP TABLE chosen AS SELECT id FROM rmas WHERE state = 'received' AND rowid <= ?", (cut,))
    conn.execute("UPDATE units SET grade = CASE rowid % 3 WHEN 0 THEN 'B' ELSE 'A' END, state = 'dispositioned', "
                 "disposition = 'restock', bin = 'RESALE-A' WHERE receipt_id IN "
                 "(SELECT r.id FROM receipts r JOIN chosen c ON c.id = r.rma_id)")
    conn.execute("UPDATE rmas SET state = 'inspected' WHERE id IN (SELECT id FROM chosen)")
    conn.execute("INSERT INTO resolution_queue (rma_id, ready_at, decided_by) "
                 "SELECT id, updated_at, '' FROM rmas WHERE id IN (SELECT id FROM chosen)")
    conn.execute("UPDATE operators SET role = 'supervisor'")
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    tmp.rename(path)
    return path, built + time.perf_counter() - started


def _context(path: Path, auto: bool = False) -> tuple[StationContext, Actor]:
    engine = make_engine(f"sqlite:///{path}")
    sf = make_session_factory(engine)
    ctx = StationContext(sf, clock=lambda: NOW)
    if auto:
        ctx = dataclasses.replace(ctx, policy=dataclasses.replace(ctx.policy, auto_resolve=True))
    with sf() as db:
        actor = Actor.of(db.scalars(select(Operator)).first())
    return ctx, actor


def run(quick: bool = False) -> Iterator[Figure]:
    rmas, waiting = (20_000, 4_000) if quick else (1_000_000, 200_000)
    auto_rmas, auto_n = (5_000, 500) if quick else (200_000, 100_000)
    path, built = waiting_db(rmas, waiting)
    ctx, _actor = _context(path)
    queue = ResolutionQueue(ctx)
    started = time.perf_counter()
    first = queue.page(50)
    cold = time.perf_counter() - started
    samples = []
    for _ in range(7):
        started = time.perf_counter()
        page = queue.page(50)
        samples.append(time.perf_counter() - started)
    assert page.total == waiting and len(page.rows) == 50 and first.rows[0].rma == page.rows[0].rma
    yield figure("resolution queue first page (50 rows, proposals + history)", median(samples) * 1000, "ms",
                 rmas=rmas, waiting=page.total, first_call_ms=round(cold * 1000, 1),
                 build_s=round(built, 1), target_ms=200)

    auto_path, built = waiting_db(auto_rmas, auto_n)
    work = auto_path.with_suffix(".run")
    shutil.copyfile(auto_path, work)
    try:
        ctx, actor = _context(work, auto=True)
        started = time.perf_counter()
        outcomes = ResolutionQueue(ctx).auto_resolve(actor)
        took = time.perf_counter() - started
        issued = sum(o.issued for o in outcomes)
        yield figure("resolve --auto (policy over the whole queue)", took, "s", waiting=len(outcomes),
                     issued=issued, per_rma_ms=round(took / max(1, len(outcomes)) * 1000, 2),
                     build_s=round(built, 1), target_s=60 if not quick else None)
    finally:
        for p in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            p.unlink(missing_ok=True)

