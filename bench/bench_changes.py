"""What the change feed costs a write: a receipt with the window following the database, and without.

Two SQLite stations seeded alike; one has a change feed with a subscriber (as the window's
``ChangeSignal`` does), the other none. Parcels are received alternately on each, one by one,
so a busy machine's drift hits both alike. The difference is what collecting and publishing
the changes (``station.core.changes``) adds to each receipt.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import Figure, figure, median, percentile
from bench.bench_audit import _seed
from station.core.changes import Change, feed_for
from station.core.context import StationContext
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.identifiers import make_rma_number
from station.receiving.service import ReceivingService


def run(quick: bool = False) -> Iterator[Figure]:
    receipts = 100 if quick else 600
    warm = 30
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_AUDIT_KEY_DIR"] = str(Path(tmp) / "keys")
        stations = []
        for name in ("quiet", "followed"):
            engine = make_engine(f"sqlite:///{Path(tmp) / name}.sqlite")
            upgrade(engine)
            sf = make_session_factory(engine)
            stations.append((name, engine, _seed(sf, receipts + warm), ReceivingService(StationContext(sf))))
        seen: list[Change] = []
        feed_for(stations[1][1]).subscribe(seen.append)
        samples: dict[str, list[float]] = {name: [] for name, *_ in stations}
        for i in range(receipts + warm):
            for name, _engine, clerk, service in stations:
                started = time.perf_counter()
                service.receive(clerk, make_rma_number(i + 1))
                if i >= warm:
                    samples[name].append((time.perf_counter() - started) * 1000)
        records = sum(len(c.records) for c in seen) / len(seen)
        for name, values in samples.items():
            yield figure(f"changes.receive_{name}.p50", median(values), "ms", receipts=receipts)
            yield figure(f"changes.receive_{name}.p99", percentile(values, 99), "ms", receipts=receipts)
        yield figure("changes.receive_feed_cost.p50",
                     median(samples["followed"]) - median(samples["quiet"]), "ms",
                     reports=len(seen), records_a_report=round(records, 1))
        for _name, engine, *_ in stations:
            engine.dispose()
