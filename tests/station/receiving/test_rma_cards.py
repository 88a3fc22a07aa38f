"""The RMA card has two builders: ``rma_lookup.load_card`` (the dock's fast read, Core
rows) and ``rma_views.card_of`` (inside the receiving transaction, ORM objects). What the
clerk sees before Enter must be what the service decides on after it: they agree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from station.models import Receipt, Rma, RmaLine
from station.receiving.lookup import load_card
from station.receiving.service import ItemCheck, ParcelInput
from station.receiving.views import card_of
from tests.station.receiving.test_service import dock  # noqa: F401 - fixture


def both_cards(dock, number: str):  # noqa: ANN001, ANN201
    service = dock["service"]
    today = service.ctx.today()
    with dock["sf"]() as db:
        fast = load_card(db.connection(), number=number, today=today)
        rma = db.scalar(select(Rma).where(Rma.number == number).options(
            selectinload(Rma.lines).selectinload(RmaLine.product),
            selectinload(Rma.receipts).selectinload(Receipt.units)))
        slow = card_of(rma, today, service._names(db, rma))
    return fast, slow


def test_both_builders_give_the_same_card_before_any_receipt(dock) -> None:  # noqa: ANN001
    fast, slow = both_cards(dock, dock["normal"])
    assert fast == slow


def test_both_builders_give_the_same_card_after_a_partial_receipt(dock) -> None:  # noqa: ANN001
    dock["service"].receive(dock["clerk"], dock["normal"],
                            ParcelInput(quantities={1: 1, 2: 1}, items={2: (ItemCheck("PH-X1", "SN-A1"),)}))
    fast, slow = both_cards(dock, dock["normal"])
    assert fast == slow
    assert sum(line.received_quantity for line in fast.lines) == 2


def test_both_builders_agree_on_a_late_rma(dock) -> None:  # noqa: ANN001
    fast, slow = both_cards(dock, dock["late"])
    assert fast == slow and fast.days_late > 0
