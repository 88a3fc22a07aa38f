"""The fleet test at length: three docks and one central, faults everywhere, then the invariants.

``python -m bench fleet`` runs 5 minutes of work and faults (``--quick``: 10 s) through
``tests.helpers.fleet`` on a fresh central database (``rma_fleet_<random>``, dropped
afterwards), and prints what happened: rounds, faults, work, records checked, and each
invariant's violations (all must be 0; ``tests/station/sync/test_fleet.py`` is the small run
in the suite). ``RMA_FLEET_SECONDS``, ``RMA_FLEET_SEED`` and ``RMA_FLEET_PARCELS`` change the
length, the seed (11) and the parcels of the long run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import Figure, figure
from tests.helpers.fleet import Fleet
from tests.helpers.pg import fresh_database


def run(quick: bool = False) -> Iterator[Figure]:
    seconds, parcels = (10, 60) if quick else (300, 900)
    seconds = float(os.environ.get("RMA_FLEET_SECONDS", seconds))
    parcels = int(os.environ.get("RMA_FLEET_PARCELS", parcels))
    seed = int(os.environ.get("RMA_FLEET_SEED", 11))
    with fresh_database("rma_fleet") as central, tempfile.TemporaryDirectory() as tmp:
        figures = Fleet(central.url, Path(tmp), seed=seed, parcels=parcels).run(seconds=seconds)
    faults = figures.faults
    yield figure("fleet.seconds", figures.seconds, "s")
    yield figure("fleet.faults", faults.offline + faults.kills + faults.central_restarts + faults.restores, "faults",
                 offline=faults.offline, kills=faults.kills, central_restarts=faults.central_restarts,
                 backups=faults.backups, restores=faults.restores)
    yield figure("fleet.sync_rounds", figures.sync_rounds, "rounds", failed=figures.sync_failed,
                 history_lost=figures.history_lost, conflicts_settled=figures.conflicts_settled)
    yield figure("fleet.fence", figures.fence_steps.get("fenced", 0), "fences", seed=seed, **dict(figures.fence_steps))
    yield figure("fleet.work", sum(figures.work.values()), "operations", **dict(figures.work))
    yield figure("fleet.records_checked", sum(figures.checked.values()), "records", **dict(figures.checked))
    violations = figures.invariants.violations()
    yield figure("fleet.violations", sum(len(v) for v in violations.values()), "violations",
                 **{k: v[:5] for k, v in violations.items()})
