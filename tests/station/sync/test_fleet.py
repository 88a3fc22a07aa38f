"""Three docks and one central, with faults everywhere: nothing paid twice, nothing lost.

The small run of the fleet test (``tests/helpers/fleet.py``); ``python -m bench fleet`` runs a
long one and prints its figures.
"""

from __future__ import annotations

import pytest

from tests.helpers.fleet import Fleet
from tests.helpers.pg import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_three_docks_offline_killed_and_a_restored_central_agree_after_syncing(tmp_path):
    with fresh_database("rma_fleet") as central:
        fleet = Fleet(central.url, tmp_path / "fleet", seed=7, parcels=90)
        figures = fleet.run(seconds=25)
    report = "\n".join(figures.lines())
    assert figures.invariants.violations() == {}, report
    # The run did what it says: work at every kind of step, and every kind of fault.
    assert figures.work["receipt"] and figures.work["inspection"] and figures.work["resolution"], report
    faults = figures.faults
    assert faults.kills and faults.offline and faults.central_restarts, report
    assert faults.backups == faults.restores == 1, report
    assert figures.checked["receipts rows compared"] > 0, report
