"""Issue 15, problem 3: an unknown parcel matched to its RMA at the desk is received into it.

Before, the supervisor's match closed the approval and left the parcel quarantined without an
RMA; now the same transaction attaches the receipt to the RMA and creates its units.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.core.errors import IllegalTransition
from station.models import AuditEvent, Receipt, ReceiptStatus, Rma, RmaState, Unit, UnitState
from tests.helpers.builders import add_product, add_rma
from tests.station.supervision_desk import make_desk


@pytest.fixture
def desk(session_factory):
    return make_desk(session_factory)


def test_supervisor_matches_unknown_parcel_and_its_units_are_received_into_the_rma(desk) -> None:
    with desk.dock.sf.begin() as db:
        receipt_id = db.scalars(select(Receipt.id).where(Receipt.scanned_code == desk.unknown_code)).one()
        product = add_product(db, "TEE-UNKNOWN")
        number = add_rma(db, [(product, 2)], customer_ref="C-7788").number
    assert desk.dock.receiving.match_unknown(desk.dock.supervisor, receipt_id, number, "invoice in the box").rma_number == number
    with desk.dock.sf() as db:
        receipt = db.get(Receipt, receipt_id)
        rma = db.scalars(select(Rma).where(Rma.number == number)).one()
        assert receipt.rma_id == rma.id and receipt.status == ReceiptStatus.RECEIVED
        assert "matched" in receipt.flags
        assert rma.state == RmaState.RECEIVED
        units = db.scalars(select(Unit).where(Unit.receipt_id == receipt_id)).all()
        assert sum(u.quantity for u in units) == 2 and {u.state for u in units} == {UnitState.RECEIVED}
        received = db.scalars(select(AuditEvent).where(AuditEvent.action == "parcel.received",
                                                       AuditEvent.entity_id == str(receipt_id))).one()
        assert received.details["matched"] is True and received.details["rma"] == number


def test_unknown_parcel_cannot_be_matched_into_an_rma_already_received(desk) -> None:
    with desk.dock.sf() as db:
        receipt_id = db.scalars(select(Receipt.id).where(Receipt.scanned_code == desk.unknown_code)).one()
        received = db.scalars(select(Rma.number).where(Rma.state == RmaState.RECEIVED)).first()
    with pytest.raises(IllegalTransition, match="already received"):
        desk.dock.receiving.match_unknown(desk.dock.supervisor, receipt_id, received, "label says so")
    with desk.dock.sf() as db:
        assert db.get(Receipt, receipt_id).status == ReceiptStatus.QUARANTINED
