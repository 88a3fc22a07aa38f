"""A first import of orders writes, as one batch, exactly what the per-order path writes.

The same file goes into two fresh databases: once order by order (``upsert_order`` and its
audit event, as an import of orders already known still goes), once through ``orders import``
(the batch of new orders). Orders, lines, audit events and outbox entries must be equal row for
row (hashes and write times aside; ids come from the order number on both sides), and both
audit chains must verify. A file naming a known order keeps every per-order check.
"""

from __future__ import annotations

import json

import pytest

from station.audit.chain import verify_chain
from station.core.errors import InvalidInput
from station.intake.imports import import_orders
from station.intake.inputs import parse_order
from station.intake.service import IntakeService
from tests.helpers.builders import make_context
from tests.helpers.intake import order_payload
from tests.station.intake.test_bulk import _database, _orders, _rows

TABLES = ("orders", "order_lines", "audit_events", "outbox")


def test_a_first_import_of_orders_writes_what_sending_them_one_by_one_writes(tmp_path):
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join(json.dumps(d) for d in _orders()) + "\n")
    slow_sf, fast_sf = _database(tmp_path, "slow"), _database(tmp_path, "fast")
    slow, fast = IntakeService(make_context(slow_sf)), IntakeService(make_context(fast_sf))
    slow.submit_order(parse_order(_orders()[0]), by="import")  # one order known: the per-order path for the file

    result = import_orders(fast, orders)
    slow_result = import_orders(slow, orders)

    assert (result.created, result.updated, result.unchanged) == (len(_orders()), 0, 0)
    assert (slow_result.created, slow_result.unchanged) == (len(_orders()) - 1, 1)
    for table in TABLES:
        assert _rows(fast_sf, table) == _rows(slow_sf, table), table
    for sf in (slow_sf, fast_sf):
        with sf() as db:
            assert verify_chain(db).ok


def test_a_first_import_naming_an_unknown_sku_is_refused_whole_with_its_line(tmp_path):
    orders = tmp_path / "orders.jsonl"
    docs = _orders()
    docs[3] = order_payload("SO-BAD", lines=[{"sku": "NOPE-9", "quantity": 1, "unit_price": "5.00", "serials": []}])
    orders.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    sf = _database(tmp_path, "one")
    with pytest.raises(InvalidInput, match=r"line 4: Order SO-BAD: SKU NOPE-9 not in the station's catalogue"):
        import_orders(IntakeService(make_context(sf)), orders)
    assert _rows(sf, "orders") == []
    assert not [row for row in _rows(sf, "outbox") if row["entity_type"] != "products"]
