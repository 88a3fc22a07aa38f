"""Three lots of one lipstick, one of them returned far more often: the lots' shared dock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update

from station.catalog.sales import ParsedSales, store_sales
from station.models import Grade, Role, Unit
from station.receiving.service import ItemCheck, ParcelInput, ReceivingService
from tests.helpers.builders import NOW, Clock, add_operator, add_product, add_rma, make_context

#: lot -> [(reason, grade or None)]: L2 is the bad production run.
RETURNS: dict[str, list[tuple[str, Grade | None]]] = {
    "L1": [("size", Grade.A), ("changed_mind", None)],
    "L2": [("defective", Grade.D)] * 8 + [("damaged", Grade.C)] * 3 + [("size", None)],
    "L3": [("changed_mind", Grade.A)],
}
SOLD = {"L1": 200, "L2": 100, "L3": 250}


def receive_lot(service: ReceivingService, clerk: Any, number: str, lot: str) -> str:
    """The clerk scans the item's GS1 code (its lot kept on the check) and receives the parcel."""
    result = service.receive(clerk, number, ParcelInput(items={1: (ItemCheck("6900000000014", lot=lot),)}))
    return result.units[0].lpn


@pytest.fixture
def lot_dock(session_factory) -> Iterator[dict[str, Any]]:  # noqa: ANN001
    clock = Clock(NOW)
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK, name="Zhang Min")
        supervisor = add_operator(db, Role.SUPERVISOR, name="Chen Jing")
        lipstick = add_product(db, "LS-01", category="cosmetics", name_en="Lipstick", name_zh="口红",
                               gtin="6900000000014", weight_g=40)
        lipstick.supplier = "Acme Beauty"
        rmas = {lot: [add_rma(db, [(lipstick, 1)], reason=reason).number for reason, _ in returns]
                for lot, returns in RETURNS.items()}
        spare = add_rma(db, [(lipstick, 1)], reason="defective", customer_ref="C-7777").number  # a first-time returner
        store_sales(db, ParsedSales({("LS-01", NOW.date() - dt.timedelta(days=40), "web", lot): n
                                     for lot, n in SOLD.items()}, len(SOLD), ()), source="test", now=NOW)
    service = ReceivingService(make_context(session_factory, clock))
    lpns: dict[str, list[str]] = {}
    for lot, numbers in rmas.items():
        lpns[lot] = [receive_lot(service, clerk, number, lot) for number in numbers]
    with session_factory.begin() as db:
        for lot, returns in RETURNS.items():
            for lpn, (_reason, grade) in zip(lpns[lot], returns):
                if grade is not None:
                    db.execute(update(Unit).where(Unit.lpn == lpn).values(grade=grade))
    yield dict(sf=session_factory, clock=clock, clerk=clerk, supervisor=supervisor, service=service,
               lpns=lpns, spare=spare, lipstick_id=lipstick.id)
