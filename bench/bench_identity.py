"""What identity and number checks cost: opening a station, issuing an RMA number.

- ``identity.open_station``: the one opener every command and the window use (settings
  identity, the database recognised through its own read-only connection, the bound identity
  read), beside ``open_database`` alone, on a big station file: the checks' price per command.
- ``identity.next_number``: finding the highest number of a station's range. The big file
  holds legacy numbers ``RMA`` + 8 digits; those with sequences 0-999,999 start like the
  ranges of stations 0-9 (``RMA000...`` - ``RMA009...``), so walking the index (``.walk``,
  a station's first issue, or after a restore) passes up to 100,000 of them there; station 42
  has none in its range. ``.remembered`` is every later issue: the last sequence kept in
  ``sync_state`` and the number after it looked up.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import Figure, figure, median
from bench.bigdb import build
from station.core.db import make_engine, make_session_factory, open_database
from station.core.opening import open_station
from station.core.settings import defaults
from station.intake.numbers import highest_rma_sequence, record_issued


def _timed(fn, times: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(quick: bool = False) -> Iterator[Figure]:
    rmas = 20_000 if quick else 1_000_000
    source, _ = build(rmas)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "station.sqlite"
        shutil.copy(source, path)
        settings = defaults()
        open_station(str(path), settings).engine.dispose()  # binds it once, as a first command would

        def checked() -> None:
            open_station(str(path), settings).engine.dispose()

        def plain() -> None:
            open_database(str(path))[0].dispose()

        times = 5 if quick else 30
        yield figure("identity.open_station", median(_timed(checked, times)), "ms", rmas=rmas)
        yield figure("identity.open_database_alone", median(_timed(plain, times)), "ms", rmas=rmas)

        engine = make_engine(f"sqlite:///{path}")
        factory = make_session_factory(engine)
        for station in (0, 5, 42):
            def issue(station: int = station) -> None:
                with factory() as db:
                    highest_rma_sequence(db, station)
                    db.rollback()

            issue()  # warm cache
            legacy = min(100_000, max(0, rmas - station * 100_000)) if station < 10 else 0
            yield figure(f"identity.next_number.walk.station_{station}", median(_timed(issue, times)), "ms",
                         rmas=rmas, legacy_in_range=legacy)
            with factory.begin() as db:
                record_issued(db, station, highest_rma_sequence(db, station))
            yield figure(f"identity.next_number.remembered.station_{station}", median(_timed(issue, times)), "ms",
                         rmas=rmas, legacy_in_range=legacy)
        engine.dispose()
