"""An import writes exactly what the same requests sent one at a time write.

The same file of requests goes into two fresh databases: once one request per transaction
(as the request page and the API send them), once through ``rmas import`` (batches of
thousands). The requests, RMAs, their lines, the audit events, the domain events and the
outbox rows must be equal row for row (ids, hashes and write times aside), and both audit
chains must verify. ``test_one_or_many.py`` does the same with random requests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from station.audit.chain import verify_chain
from station.core.db import make_engine, make_session_factory, upgrade
from station.core.errors import InvalidInput
from station.intake.imports import import_orders, import_requests, read_requests
from station.intake.inputs import parse_request
from station.intake.service import IntakeService
from tests.helpers.builders import make_context
from tests.helpers.intake import jpeg_b64, order_payload, request_payload, seed_catalogue

# Columns that differ between two runs by nature: random ids, hashes over them, write times.
VOLATILE = {"id", "seq", "event_id", "hash", "prev_hash", "created_at", "updated_at", "entity_id",
            "order_id", "request_id", "rma_id", "product_id", "photos", "customer_photos"}
TABLES = ("rma_requests", "rma_request_lines", "rmas", "rma_lines", "audit_events", "domain_events", "outbox")


def _orders() -> list[dict[str, Any]]:
    docs = [order_payload(f"SO-{n}", customer_ref=f"C-{n % 3}") for n in range(1, 9)]
    docs.append(order_payload("SO-FLAG", flagged=True, customer_ref="C-9"))
    docs.append(order_payload("SO-OLD", delivered_days_ago=60, customer_ref="C-8"))
    docs.append(order_payload("SO-TWO", customer_ref="C-7", lines=[
        {"sku": "TEE-1", "quantity": 2, "unit_price": "99.00", "serials": []},
        {"sku": "LIP-1", "quantity": 1, "unit_price": "120.00", "serials": []}]))
    return docs


def _requests() -> list[dict[str, Any]]:
    docs = []
    for n in range(1, 9):  # customers C-0..C-2 return again and again: repeat returners appear
        docs.append(request_payload(f"SO-{n}", quantity=1, comment=f"<b>too small</b> #{n}"))
        docs.append(request_payload(f"SO-{n}", quantity=1, reason="changed_mind"))
    docs += [
        request_payload("SO-1", sku="PHONE-1"),                      # worth 2999: review
        request_payload("SO-2", sku="GIFT-1"),                       # non-returnable: refused
        request_payload("SO-3", sku="PHONE-1", reason="damaged", photos=[jpeg_b64()]),
        request_payload("SO-FLAG"),                                  # flagged order: review
        request_payload("SO-OLD"),                                   # window passed: refused
        request_payload("SO-OLD"),                                   # the same line again: a replay
        {"order_number": "SO-TWO", "resolution": "exchange", "lines": [
            {"sku": "TEE-1", "quantity": 2, "reason": "size", "comment": "both"},
            {"sku": "LIP-1", "quantity": 1, "reason": "changed_mind", "comment": ""}]},
    ]
    return docs


def _database(tmp_path, name: str) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite")
    upgrade(engine)
    sf = make_session_factory(engine)
    seed_catalogue(sf)
    return sf


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _rows(sf: sessionmaker[Session], table: str) -> list[Any]:
    order = "seq" if table in ("audit_events", "outbox") else "1"
    with sf() as db:
        result = db.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))
        rows = [_plain({k: v for k, v in row._mapping.items()}) for row in result]
    if table not in ("audit_events", "outbox"):  # no order of their own: compare as sorted lists
        rows.sort(key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return rows


def _links(sf: sessionmaker[Session]) -> list[tuple[str, str | None, str]]:
    """Each request's RMA (by number) and order (by number): what the dropped ids pointed at."""
    with sf() as db:
        return sorted(db.execute(text(
            "SELECT r.number, m.number, o.order_number FROM rma_requests r JOIN orders o ON o.id = r.order_id "
            "LEFT JOIN rmas m ON m.id = r.rma_id")).all())


def test_an_import_through_the_batch_path_writes_what_the_per_request_path_writes(tmp_path):
    orders, requests = tmp_path / "orders.jsonl", tmp_path / "requests.jsonl"
    orders.write_text("\n".join(json.dumps(d) for d in _orders()) + "\n")
    requests.write_text("\n".join(json.dumps(d) for d in _requests()) + "\n")
    slow_sf, fast_sf = _database(tmp_path, "slow"), _database(tmp_path, "fast")
    slow, fast = IntakeService(make_context(slow_sf)), IntakeService(make_context(fast_sf))
    for service in (slow, fast):
        import_orders(service, orders)
        # One request before the import: its quantity counts against the file's lines.
        service.request_return(parse_request(request_payload("SO-5", quantity=1)), by="import", source="import",
                               idempotency_key="before")

    slow_views = [slow.request_return(request, by="import", source="import", idempotency_key=key)
                  for _, request, key in read_requests(requests)]
    result = import_requests(fast, requests)

    assert (result.created, result.unchanged) == (len(slow_views) - 1, 1)
    statuses = {v.status for v in slow_views}
    assert statuses == {"authorised", "pending_review", "refused"}
    assert any(v.decision.rule == "repeat_returner" for v in slow_views)
    for table in TABLES:
        assert _rows(fast_sf, table) == _rows(slow_sf, table), table
    assert _links(fast_sf) == _links(slow_sf)
    for sf in (slow_sf, fast_sf):
        with sf() as db:
            check = verify_chain(db)
            assert check.ok and check.complete and check.events > 20


def test_a_rerun_of_the_import_changes_nothing_and_a_bad_line_writes_nothing(tmp_path):
    sf = _database(tmp_path, "station")
    service = IntakeService(make_context(sf))
    orders, requests = tmp_path / "orders.jsonl", tmp_path / "requests.jsonl"
    orders.write_text("\n".join(json.dumps(d) for d in _orders()) + "\n")
    requests.write_text("\n".join(json.dumps(d) for d in _requests()) + "\n")
    import_orders(service, orders)
    first = import_requests(service, requests)
    before = {t: _rows(sf, t) for t in TABLES}
    again = import_requests(service, requests)
    assert (again.created, again.unchanged) == (0, first.read)
    assert {t: _rows(sf, t) for t in TABLES} == before

    late = tmp_path / "late.jsonl"
    late.write_text(json.dumps(request_payload("SO-8", sku="PHONE-1")) + "\n"  # good alone
                    + json.dumps(request_payload("SO-NONE")) + "\n")
    with pytest.raises(InvalidInput, match="line 2: Order SO-NONE is not known"):
        import_requests(service, late)
    assert {t: _rows(sf, t) for t in TABLES} == before


def test_concurrent_requests_written_together_each_get_their_own_answer(tmp_path):
    """The API's group commit: one batch, one transaction; a refused item leaves no trace and
    the later items of the same order see what the earlier ones took."""
    from station.intake.bulk import NewRequest
    from station.intake.errors import Conflict

    sf = _database(tmp_path, "station")
    service = IntakeService(make_context(sf))
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join(json.dumps(d) for d in _orders()) + "\n")
    import_orders(service, orders)
    one = parse_request(request_payload("SO-1", quantity=1))
    answers = service.request_batch([
        NewRequest(one, "shop", "api", "k1"),
        NewRequest(one, "shop", "api", "k1"),                                   # replay of the first
        NewRequest(parse_request(request_payload("SO-1", quantity=2)), "shop", "api", "k1"),  # key reused
        NewRequest(parse_request(request_payload("SO-1", quantity=2)), "shop", "api", None),
        NewRequest(one, "shop", "api", None),                                   # nothing left of 3
        NewRequest(parse_request(request_payload("SO-NONE")), "shop", "api", None),
        NewRequest(parse_request(request_payload("SO-2", quantity=1)), "shop", "api", None),
    ])
    first, replay, reused, two, none_left, unknown, other = answers
    assert first.status == "authorised" and not first.replayed
    assert replay.replayed and replay.rma_number == first.rma_number
    assert isinstance(reused, Conflict)
    assert two.status == "authorised" and two.rma_number > first.rma_number
    assert isinstance(none_left, InvalidInput) and "only 0 of 3" in none_left.message
    assert "SO-NONE is not known" in str(unknown)
    assert other.status == "authorised"
    with sf() as db:
        numbers = db.execute(text("SELECT number FROM rma_requests ORDER BY number")).scalars().all()
        assert numbers == [first.rma_number, two.rma_number, other.rma_number]
        assert verify_chain(db).ok
    assert service.get(two.rma_number).lines[0].quantity == 2
