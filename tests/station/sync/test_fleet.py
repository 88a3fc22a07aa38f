"""Three docks and one central, with faults everywhere: nothing paid twice, nothing lost.

The small run of the fleet test (``tests/helpers/fleet.py``); ``python -m bench fleet`` runs a
long one and prints its figures.
"""

from __future__ import annotations

import pytest

from tests.helpers.fleet import Fleet
from tests.helpers.pg import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_three_docks_offline_killed_central_restarted_and_restored_agree_after_syncing(tmp_path):
    """With central restored mid-run from a backup taken earlier in the run: what docks pushed
    after the backup is sent again, and resolutions wait while central is fenced, so nothing is
    lost and no RMA is paid twice (station.sync.history, station.sync.fence)."""
    with fresh_database("rma_fleet") as central:
        fleet = Fleet(central.url, tmp_path / "fleet", seed=7, parcels=90)
        figures = fleet.run(seconds=30, restore=True)
    report = "\n".join(figures.lines())
    assert figures.invariants.violations() == {}, report
    # The run did what it says: work at every kind of step, and every kind of fault.
    assert figures.work["receipt"] and figures.work["inspection"] and figures.work["resolution"], report
    faults = figures.faults
    assert faults.kills and faults.offline and faults.central_restarts, report
    assert faults.backups == faults.restores == 1, report
    assert figures.history_lost > 0, report  # the docks saw what the restore lost and sent it again
    assert figures.checked["receipts rows compared"] > 0, report
