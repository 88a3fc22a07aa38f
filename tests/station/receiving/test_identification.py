"""Hands-free receiving: which RMA a parcel is, from every code the camera read on it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from station.core.identifiers import make_rma_number
from station.models import Receipt, Role
from station.receiving.identification import CodeRole, Outcome, RmaIndex, RmaLookup, identify
from station.receiving.service import ReceivingService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context


@pytest.fixture
def dock(session_factory):
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        shirt = add_product(db, "TS-RED-M", gtin="6901234567892")
        one = add_rma(db, [(shirt, 1)], tracking="SF1234567890123")
        two = add_rma(db, [(shirt, 1)], tracking="SF5550000000001")
        shared_a = add_rma(db, [(shirt, 1)], tracking="SF9990000000009")
        shared_b = add_rma(db, [(shirt, 1)], tracking="SF9990000000009")
        numbers = dict(one=one.number, two=two.number, order_one=one.order_number,
                       shared=(shared_a.number, shared_b.number))
    service = ReceivingService(make_context(session_factory))
    return dict(service=service, lookup=RmaLookup(service), clerk=clerk, **numbers)


def test_the_rma_label_wins_over_a_tracking_label_of_the_same_parcel(dock):
    found = identify([("SF1234567890123", "code128"), (dock["one"], "qrcode"), ("6901234567892", "ean13")],
                     dock["lookup"])
    assert found.outcome is Outcome.IDENTIFIED and found.rma == dock["one"] and found.by is CodeRole.RMA
    assert [c.role for c in found.codes] == [CodeRole.TRACKING, CodeRole.RMA, CodeRole.PRODUCT]


def test_a_parcel_without_its_return_label_is_found_by_its_tracking_number(dock):
    found = identify([("SF5550000000001", "code128")], dock["lookup"])
    assert found.outcome is Outcome.IDENTIFIED and found.rma == dock["two"] and found.by is CodeRole.TRACKING


def test_an_order_qr_alone_identifies_the_open_rma_of_that_order(dock):
    found = identify([(dock["order_one"], "qrcode")], dock["lookup"])
    assert found.outcome is Outcome.IDENTIFIED and found.rma == dock["one"] and found.by is CodeRole.ORDER


def test_labels_of_two_different_rmas_on_one_box_are_a_conflict_not_a_guess(dock):
    found = identify([(dock["one"], "code128"), ("SF5550000000001", "code128")], dock["lookup"])
    assert found.outcome is Outcome.CONFLICT and found.rma is None
    assert set(found.candidates) == {dock["one"], dock["two"]}
    assert "different RMAs" in found.reason and "by hand" in found.next_step


def test_a_tracking_number_shared_by_two_rmas_is_not_guessed(dock):
    found = identify([("SF9990000000009", "code128")], dock["lookup"])
    assert found.outcome is Outcome.CONFLICT and found.rma is None


def test_an_rma_label_the_station_does_not_know_identifies_nothing(dock):
    unknown = make_rma_number(987654)
    found = identify([(unknown, "code128"), ("6901234567892", "ean13")], dock["lookup"])
    assert found.outcome is Outcome.UNKNOWN and found.rma is None


def test_identification_receives_nothing_until_the_clerk_confirms(dock, session_factory):
    found = identify([(dock["one"], "code128")], dock["lookup"])
    with session_factory() as db:
        assert db.scalar(select(func.count()).select_from(Receipt)) == 0
    dock["service"].receive(dock["clerk"], found.rma)
    with session_factory() as db:
        assert db.scalar(select(func.count()).select_from(Receipt)) == 1


def test_an_in_memory_index_follows_the_same_rules():
    rma = make_rma_number(42)
    index = RmaIndex(numbers={rma}, by_tracking={"SF1111111111111": {rma}})
    assert identify([("SF1111111111111", "code128")], index).rma == rma
    assert identify([("SF2222222222222", "code128")], index).outcome is Outcome.UNKNOWN
