"""Every table has an owner, a direction and a conflict rule, in code and in docs/sync.md;
a dock rebuilt from central has everything central has.

Before, vendors, RTV batches and resolutions lived on the disk of the dock that wrote them: a
dock rebuilt from central lost its resolutions (2 -> 0) and vendors (1 -> 0), and a dock that
pulled another dock's inspected RMAs had an empty resolution queue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from station.integrations.ledger import LEDGER
from station.models import SYNCED_MODELS, Base, Resolution, RtvBatch, RtvCredit, RtvItem, Vendor
from station.resolution.queue import ResolutionQueue
from station.resolution.service import ResolutionService
from station.sync.owners import BOTH, LOCAL, OWNERS, PULLED, PUSH, PUSHED, markdown_table
from station.sync.worker import SyncWorker
from tests.helpers.rtv import rtv_unit, with_vendor
from tests.station.builders_qc import make_dock
from tests.station.sync.helpers import rows

DOCS = Path(__file__).resolve().parents[3] / "docs" / "sync.md"


def test_every_table_has_an_owner_and_every_entry_a_table():
    tables = set(Base.metadata.tables) | set(LEDGER.tables)
    assert tables - set(OWNERS) == set(), "a table without an owner: add it to station/sync/owners.py"
    assert set(OWNERS) - tables == set()
    for name, owned in OWNERS.items():
        assert owned.owner in ("dock", "central", "admin"), name
        if owned.direction == LOCAL:
            assert owned.why, f"{name} stays local without a reason"


def test_the_push_and_the_pull_are_what_the_table_says():
    pushed = {m.__tablename__ for m in SYNCED_MODELS}
    assert pushed == set(PUSHED) - {"audit_events"}  # the audit chain is anchored, not mirrored
    assert set(PULLED) <= pushed
    assert {n for n, o in OWNERS.items() if o.direction in (PUSH, BOTH)} == set(PUSHED)


def test_docs_show_the_same_table():
    text = DOCS.read_text(encoding="utf-8")
    shown = re.search(r"<!-- owners:begin[^>]*-->\n(.*?)\n<!-- owners:end -->", text, re.S)
    assert shown is not None and shown.group(1).strip() == markdown_table(), \
        "docs/sync.md differs: python -m station.sync.owners"


def _worker(station, central) -> SyncWorker:
    return SyncWorker(station.engine, central, station.station_id, station_no=station.station_no,
                      photos=station.photos)


@pytest.mark.postgres
def test_a_dock_rebuilt_from_central_has_its_vendors_rtv_batches_and_resolutions_back(make_station, central):
    dock1 = make_station(1)
    assert _worker(dock1, central).run_once().ok
    qc = make_dock(dock1.sf, photos=dock1.photos)
    lpn = rtv_unit(qc)
    rtv = with_vendor(qc)
    batch = rtv.open_batch(qc.supervisor, "SZPT")
    rtv.add(qc.supervisor, batch.number, lpn)
    rtv.ship(qc.supervisor, batch.number, ra_number="RA-1", carrier="SF", tracking="SF1")
    rtv.acknowledge(qc.supervisor, batch.number)
    rtv.credit(qc.supervisor, batch.number, "2399.20")
    resolved = ResolutionQueue(qc.qc.ctx).page().rows
    for row in resolved:
        ResolutionService(qc.qc.ctx).issue(qc.supervisor, row.rma)
    for _ in range(2):
        assert _worker(dock1, central).run_once().ok

    rebuilt = make_station(2)  # a new PC at the same dock, or DOCK01 after a disk failure
    assert _worker(rebuilt, central).run_once().ok
    for model in (Vendor, RtvBatch, RtvItem, RtvCredit, Resolution):
        theirs = rows(central, model.__table__)
        assert theirs, model.__tablename__
        assert rows(rebuilt.engine, model.__table__) == theirs, model.__tablename__
    # The rebuilt dock's queue does not offer what DOCK01 already resolved.
    assert [r.rma for r in ResolutionQueue(make_dock(rebuilt.sf).qc.ctx).page().rows
            if r.rma in {x.rma for x in resolved}] == []
