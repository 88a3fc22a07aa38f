"""RMA numbers a fleet can trust: each dock counts in its own range (its station number is in
every number it issues), so two docks that issue offline from the same state never meet; the
numbers issued before that still scan, classify and resolve."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from station.core.db import make_engine, make_session_factory, upgrade
from station.core.identifiers import (
    is_valid_rma_number, make_rma_number, rma_sequence, rma_station,
)
from station.core.context import Actor
from station.core.errors import InvalidInput
from station.core.identity import StationIdentity, bind, rename
from station.intake.imports import import_orders, import_requests
from station.intake.inputs import parse_request
from station.intake.numbers import record_issued
from station.intake.service import IntakeService
from station.models import Rma, RmaRequest
from station.scanning.classify import ScanKind, classify_scan
from tests.helpers.builders import add_product, add_rma, make_context
from tests.helpers.intake import order_payload, request_payload, seed_catalogue

LEGACY = make_rma_number(3210)  # issued before numbers named their dock: RMA000032107
LEGACY_IN_DOCK2_RANGE = make_rma_number(200_123)  # RMA002001233: starts like dock 2's numbers
PULLED_FROM_DOCK2 = make_rma_number(40, 2)  # dock 2's own number, pulled back by a rebuilt dock


def _jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    return path


@pytest.fixture
def shared_state(tmp_path: Path) -> Path:
    """One station database as both docks had it when they went offline: the catalogue, six
    orders and RMAs already numbered the old way and by dock 2."""
    path = tmp_path / "state.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sf = make_session_factory(engine)
    seed_catalogue(sf)
    with sf.begin() as db:
        tee = add_product(db, "OLD-1")
        for number in (LEGACY, LEGACY_IN_DOCK2_RANGE, PULLED_FROM_DOCK2):
            add_rma(db, [(tee, 1)], number=number)
    service = IntakeService(make_context(sf))
    import_orders(service, _jsonl(tmp_path / "orders.jsonl", [order_payload(f"SO-{n}") for n in range(1, 7)]))
    engine.dispose()
    return path


def dock(state: Path, folder: Path, number: int) -> IntakeService:
    """A dock offline with its own copy of the shared state."""
    folder.mkdir()
    copy = folder / "station.sqlite"
    shutil.copy(state, copy)
    sf = make_session_factory(make_engine(f"sqlite:///{copy}"))
    return IntakeService(make_context(sf, station_id=f"DOCK{number:02d}", station_no=number))


def issued(service: IntakeService) -> list[str]:
    with service.ctx.session_factory() as db:
        return sorted(db.scalars(select(RmaRequest.number)))


def test_two_docks_offline_issue_numbers_from_the_same_state_and_none_clash(shared_state, tmp_path) -> None:
    docks = [dock(shared_state, tmp_path / "dock2", 2), dock(shared_state, tmp_path / "dock3", 3)]
    requests = [request_payload(f"SO-{n}") for n in range(1, 7)]
    for service in docks:
        # `rmas import` of the same file at both docks, then one request from the web at each
        import_requests(service, _jsonl(tmp_path / f"r{service.ctx.station_no}.jsonl", requests[:5]))
        service.request_return(parse_request(requests[5]))
    dock2, dock3 = (issued(d) for d in docks)
    assert len(dock2) == len(dock3) == 6
    assert set(dock2).isdisjoint(dock3)
    assert {rma_station(n) for n in dock2} == {2} and {rma_station(n) for n in dock3} == {3}
    # dock 2 continues after its own number it pulled back; a legacy number that merely starts
    # like dock 2's range does not count as one of its numbers
    assert [rma_sequence(n) for n in dock2] == list(range(41, 47))
    assert [rma_sequence(n) for n in dock3] == list(range(1, 7))
    assert all(is_valid_rma_number(n) and len(n) == 14 for n in dock2 + dock3)
    with docks[0].ctx.session_factory() as db:  # the authorised ones became RMAs under the same numbers
        made_here = {n for n in db.scalars(select(Rma.number)) if rma_station(n) == 2} - {PULLED_FROM_DOCK2}
    assert made_here and made_here <= set(dock2)


def test_a_dock_restored_from_a_backup_does_not_reissue_numbers_it_pulled_back(shared_state, tmp_path) -> None:
    # The last number issued is remembered beside the numbers; a backup's memory is behind the
    # numbers later pulled back from central, and the station notices instead of reissuing them.
    service = dock(shared_state, tmp_path / "dock2", 2)
    import_requests(service, _jsonl(tmp_path / "r.jsonl", [request_payload(f"SO-{n}") for n in range(1, 4)]))
    assert [rma_sequence(n) for n in issued(service)] == [41, 42, 43]
    with service.ctx.session_factory.begin() as db:
        record_issued(db, 2, 41)  # as the backup remembered it
    service.request_return(parse_request(request_payload("SO-4")))
    assert [rma_sequence(n) for n in issued(service)] == [41, 42, 43, 44]


def test_a_number_issued_before_still_classifies_and_resolves(shared_state, tmp_path) -> None:
    service = dock(shared_state, tmp_path / "dock2", 2)
    meaning = classify_scan(LEGACY, "code128")
    assert (meaning.kind, meaning.value, meaning.details) == (ScanKind.RMA, LEGACY, {})
    from station.receiving.service import ReceivingService

    card = ReceivingService(service.ctx).find(LEGACY)
    assert card.number == LEGACY


def test_the_classifier_takes_both_forms_and_rejects_misreads_of_either() -> None:
    new = make_rma_number(12, 5)
    assert new == "RMA00500000120"
    assert (classify_scan(new).kind, classify_scan(new).details) == (ScanKind.RMA, {"station": "005"})
    assert classify_scan(make_rma_number(12344)).kind is ScanKind.RMA
    misread = new[:-1] + "9"
    assert classify_scan(misread).reason == f"RMA number {misread} fails its check digit: a misread."
    assert "not a whole RMA number (RMA + 11 digits, or RMA + 9 digits for numbers issued before)" in \
        classify_scan("RMA0050000012").reason


def test_a_station_cannot_take_a_number_whose_rma_numbers_are_already_here(shared_state, tmp_path) -> None:
    service = dock(shared_state, tmp_path / "dock3", 3)
    bind(service.ctx.session_factory, StationIdentity("DOCK03", 3))
    admin = Actor.command_line()
    with pytest.raises(InvalidInput, match=f"already holds RMA number {PULLED_FROM_DOCK2}"):
        rename(service.ctx.session_factory, StationIdentity("DOCK03", 2), admin, "typo")
