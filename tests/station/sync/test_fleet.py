"""Three docks and one central, with faults everywhere: nothing paid twice, nothing lost.

The small run of the fleet test (``tests/helpers/fleet.py``); ``python -m bench fleet`` runs a
long one and prints its figures.
"""

from __future__ import annotations

import pytest

from tests.helpers.fleet import Fleet
from tests.helpers.pg import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_three_docks_offline_killed_and_central_restarted_agree_after_syncing(tmp_path):
    """Without the restore from a backup: with it, a commitment central accepted after the
    backup is lost with the restore and another dock may then commit the same RMA (see
    BENCHMARKS.md, "Fleet test"): that case is measured by ``bench fleet``, not yet held."""
    with fresh_database("rma_fleet") as central:
        fleet = Fleet(central.url, tmp_path / "fleet", seed=7, parcels=90)
        figures = fleet.run(seconds=25, restore=False)
    report = "\n".join(figures.lines())
    assert figures.invariants.violations() == {}, report
    # The run did what it says: work at every kind of step, and every kind of fault.
    assert figures.work["receipt"] and figures.work["inspection"] and figures.work["resolution"], report
    faults = figures.faults
    assert faults.kills and faults.offline and faults.central_restarts, report
    assert faults.backups == faults.restores == 0, report
    assert figures.checked["receipts rows compared"] > 0, report
