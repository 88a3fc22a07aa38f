"""One path for one RMA or many: random ready RMAs resolved by the policy one at a time (the
per-RMA path the desk uses) and in batches (``resolve --auto``) leave identical resolutions,
RMA and unit states, events, audit, queue and outbox rows, and get the same answers."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.db import make_engine, make_session_factory
from station.models import RequestedResolution
from station.resolution.queue import ResolutionQueue
from tests.helpers.builders import add_product, add_rma
from tests.helpers.template import migrated_engine
from tests.station.resolution.test_bulk import _marks, _rows, _verify
from tests.station.resolution.test_queue import build, receive_and_dispose

an_rma = st.fixed_dictionaries({
    "price": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("650.00"), places=2),
    "quantity": st.integers(min_value=1, max_value=3),
    "reason": st.sampled_from(["size", "changed_mind", "size"]),
    "customer": st.sampled_from(["C-1", "C-1", "C-2", "C-3"]),
    "requested": st.sampled_from([RequestedResolution.REFUND, RequestedResolution.REFUND,
                                  RequestedResolution.EXCHANGE]),
})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(an_rma, min_size=1, max_size=6), st.integers(min_value=1, max_value=4))
def test_the_policy_resolves_one_at_a_time_and_in_batches_alike(rmas, batch):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.sqlite"
        engine = migrated_engine(base)
        s = build(make_session_factory(engine), auto=False)
        with s["sf"].begin() as db:
            numbers = []
            for n, spec in enumerate(rmas):
                product = add_product(db, f"AP-R{n}", value=str(spec["price"]))
                numbers.append(add_rma(db, [(product, spec["quantity"])], reason=spec["reason"],
                                       price=str(spec["price"]), customer_ref=spec["customer"],
                                       requested=spec["requested"]).number)
        for number in numbers:
            receive_and_dispose(s, number)
        engine.dispose()
        marks = _marks(base)
        results = {}
        for bulk in (False, True):
            path = Path(folder) / f"{'bulk' if bulk else 'each'}.sqlite"
            shutil.copyfile(base, path)
            copy = make_engine(f"sqlite:///{path}")
            ctx = dataclasses.replace(s["ctx"], session_factory=make_session_factory(copy))
            outcomes = ResolutionQueue(ctx).auto_resolve(s["supervisor"], batch=batch, bulk=bulk)
            copy.dispose()
            results[bulk] = (outcomes, _rows(path, marks))
            _verify(path)
    (each_out, each_rows), (bulk_out, bulk_rows) = results[False], results[True]
    assert bulk_out == each_out
    for table in each_rows:
        assert bulk_rows[table] == each_rows[table], table
