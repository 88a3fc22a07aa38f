"""One path for one request or many: random requests sent one at a time (each its own
transaction, as the request page and the API send them) and the same requests sent as one batch
(an import, the API's group commit) leave identical requests, RMAs, audit, events and outbox
rows, and get the same answers."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.audit.chain import verify_chain
from station.core.db import make_session_factory
from station.core.errors import StationError
from station.intake.bulk import NewRequest
from station.intake.inputs import parse_order, parse_request
from station.intake.service import IntakeService
from tests.helpers.builders import make_context
from tests.helpers.intake import order_payload, seed_catalogue
from tests.helpers.template import migrated_engine
from tests.station.intake.test_bulk import TABLES, _links, _rows

LINES = [{"sku": "TEE-1", "quantity": 3, "unit_price": "99.00", "serials": []},
         {"sku": "LIP-1", "quantity": 2, "unit_price": "120.00", "serials": []},
         {"sku": "PHONE-1", "quantity": 1, "unit_price": "2999.00", "serials": ["IMEI-1"]},
         {"sku": "GIFT-1", "quantity": 1, "unit_price": "100.00", "serials": []}]
ORDERS = [order_payload("SO-1", customer_ref="C-1", lines=LINES), order_payload("SO-2", customer_ref="C-1", lines=LINES),
          order_payload("SO-3", customer_ref="C-2", lines=LINES),
          order_payload("SO-FLAG", flagged=True, customer_ref="C-3", lines=LINES),
          order_payload("SO-OLD", delivered_days_ago=60, customer_ref="C-4", lines=LINES)]
"""Customer C-1 has two orders, so a batch can make a repeat returner of someone."""

a_line = st.fixed_dictionaries({
    "sku": st.sampled_from(["TEE-1", "TEE-1", "LIP-1", "PHONE-1", "GIFT-1"]),
    "quantity": st.integers(min_value=1, max_value=2),
    "reason": st.sampled_from(["size", "size", "changed_mind", "damaged"]),
    "comment": st.sampled_from(["", "too small", "<b>bold</b>"]),
})
a_request = st.tuples(
    st.fixed_dictionaries({
        "order_number": st.sampled_from(["SO-1", "SO-1", "SO-2", "SO-2", "SO-3", "SO-FLAG", "SO-OLD", "SO-NONE"]),
        "resolution": st.sampled_from(["refund", "exchange"]),
        "photos": st.just([]),
        "lines": st.lists(a_line, min_size=1, max_size=2, unique_by=lambda line: line["sku"]),
    }),
    st.sampled_from([None, None, "key-1", "key-2"]),  # replays and keys reused with other content
)


def _station(folder: Path, name: str) -> tuple[Any, IntakeService]:
    sf = make_session_factory(migrated_engine(folder / f"{name}.sqlite"))
    seed_catalogue(sf)
    service = IntakeService(make_context(sf))
    for doc in ORDERS:
        service.submit_order(parse_order(doc), by="shop")
    return sf, service


def _answer(answer: Any) -> tuple[Any, ...]:
    if isinstance(answer, StationError):
        return (type(answer).__name__, answer.message)
    return (answer.status, answer.rma_number, answer.replayed, answer.decision.rule)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(a_request, min_size=1, max_size=14))
def test_requests_one_at_a_time_and_as_one_batch_write_the_same(requests):
    with tempfile.TemporaryDirectory() as folder:
        one_sf, one = _station(Path(folder), "one")
        many_sf, many = _station(Path(folder), "many")
        items = [NewRequest(parse_request(doc), "shop", "api", key) for doc, key in requests]

        singly = [one.request_batch([item])[0] for item in items]
        together = many.request_batch(items)

        assert [_answer(a) for a in together] == [_answer(a) for a in singly]
        for table in TABLES:
            assert _rows(many_sf, table) == _rows(one_sf, table), table
        assert _links(many_sf) == _links(one_sf)
        for sf in (one_sf, many_sf):
            with sf() as db:
                assert verify_chain(db).ok
            sf.kw["bind"].dispose()
