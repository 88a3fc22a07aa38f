"""Station core figures: RMA look-up at 1M RMAs / 3M units, seeding, migrations.

Targets (issue 2): look-up through the service API p99 <= 1 ms at 1M RMAs (local SQLite, warm
cache); ``seed-demo`` <= 5 s; migrations on an empty database <= 2 s.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import Figure, figure, median, percentile
from bench.bigdb import build, tracking_for
from station.core.context import StationContext
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.identifiers import make_rma_number
from station.demo import seed_demo
from station.receiving.service import ReceivingService


def _time_lookups(service: ReceivingService, codes: list[str]) -> list[float]:
    # The target is for a warm cache: one unmeasured pass over every code first. (With only a
    # few hundred warm-up look-ups, a database file evicted by other work measured 4x slower.)
    for code in codes:
        service.find(code)
    samples = []
    for code in codes:
        started = time.perf_counter()
        service.find(code)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(quick: bool = False) -> Iterator[Figure]:
    rmas = 20_000 if quick else 1_000_000
    path, build_s = build(rmas)
    if build_s:
        yield figure("core.bigdb_build", build_s, "s", rmas=rmas, units=rmas * 3)
    engine = make_engine(f"sqlite:///{path}")
    service = ReceivingService(StationContext(make_session_factory(engine)))
    rng = random.Random(7)
    picks = [rng.randrange(rmas) for _ in range(3000)]
    for name, codes in (("number", [make_rma_number(i + 1) for i in picks]),
                        ("tracking", [tracking_for(i) for i in picks])):
        samples = _time_lookups(service, codes)
        yield figure(f"core.lookup_by_{name}.p50", median(samples), "ms", rmas=rmas)
        yield figure(f"core.lookup_by_{name}.p99", percentile(samples, 99), "ms", rmas=rmas)
    engine.dispose()

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.sqlite'}")
        started = time.perf_counter()
        upgrade(engine)
        yield figure("core.migrate_empty_db", time.perf_counter() - started, "s")
        started = time.perf_counter()
        seed_demo(make_session_factory(engine), rmas=320)
        yield figure("core.seed_demo_320_rmas", time.perf_counter() - started, "s")
        engine.dispose()
