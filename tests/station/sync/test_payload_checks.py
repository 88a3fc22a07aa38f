"""The generated fast payload check gives the same verdict and reason as ``check_payload``."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from station.sync.payloads import FAST_CHECKS, PayloadRejected, check_payload, check_payload_fast

UNIT_ID = uuid.uuid4()
GOOD_UNIT = {
    "lpn": "LPN0000001", "receipt_id": str(uuid.uuid4()), "rma_line_id": None, "product_id": str(uuid.uuid4()),
    "sku_received": "TS-1", "gtin_received": "", "serial_received": "", "lot": "", "expiry": None, "quantity": 1,
    "state": "received",
    "flags": ["unknown"], "grade": None, "disposition": None, "bin": "", "id": str(UNIT_ID), "station_id": "DOCK01",
    "created_at": "2026-11-20T09:00:00.123456+00:00", "updated_at": "2026-11-20T09:00:00+00:00", "version": 2,
}
ODD_VALUES = (None, 5, -1, 2 ** 40, True, 1.5, "", "x" * 500, "A\x00B", "received", "not-a-uuid",
              str(uuid.uuid4()).upper(), uuid.uuid4().hex, "2026-13-01T00:00:00+00:00", "2026-11-20T09:00:00",
              "1899-12-31T23:00:00+00:00", "2026-11-20 09:00:00+00:00", "2026-11-20T09:00:00Z", [], {"a": "\x00"})


def same_value(fast, slow) -> bool:
    if isinstance(slow, uuid.UUID) and isinstance(fast, str):  # the fast path keeps canonical text
        return uuid.UUID(fast) == slow and str(slow) == fast
    if isinstance(slow, dt.datetime) and isinstance(fast, str):
        return dt.datetime.fromisoformat(fast) == slow
    return fast == slow and type(fast) is type(slow)


def verdict(check, payload, version=2, operation="insert"):
    try:
        if check is check_payload:
            return True, check_payload("units", UNIT_ID, version, operation, payload)
        return True, check_payload_fast("units", UNIT_ID, str(UNIT_ID), version, operation, payload)
    except PayloadRejected as exc:
        return False, str(exc)


def cases():
    yield GOOD_UNIT, 2
    yield GOOD_UNIT, 3
    yield {**GOOD_UNIT, "version": 0}, 0
    yield {**GOOD_UNIT, "is_admin": True}, 2
    yield {k: v for k, v in GOOD_UNIT.items() if k != "bin"}, 2
    for name in GOOD_UNIT:
        for value in ODD_VALUES:
            yield {**GOOD_UNIT, name: value}, 2


@pytest.mark.parametrize("nul_free", [False, True])
def test_fast_check_agrees_with_check_payload(nul_free):
    accepted = 0
    for payload, version in cases():
        slow_ok, slow = verdict(check_payload, payload, version)
        fast_ok, fast = verdict(check_payload_fast, payload, version)
        assert fast_ok == slow_ok, (payload, slow, fast)
        if slow_ok:
            accepted += 1
            assert len(fast) == len(slow) and all(same_value(f, s) for f, s in zip(fast, slow)), (payload, fast, slow)
        else:
            assert fast == slow
    assert accepted > 20


def test_the_fast_path_takes_a_well_formed_event():
    row = FAST_CHECKS["units"](GOOD_UNIT, str(UNIT_ID), 2, True)
    assert row is not None and row[0] == "LPN0000001"
    assert FAST_CHECKS["units"]({**GOOD_UNIT, "lpn": "x" * 500}, str(UNIT_ID), 2, True) is None
