"""The whole life of a return through the station services, on SQLite and PostgreSQL:
parcel received -> unit inspected -> dispositioned -> customer refunded -> RMA closed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station.audit import chain as audit
from station.core.errors import IllegalTransition
from station.inspection.service import InspectionService
from station.models import (
    DispositionKind,
    Grade,
    OutboxEvent,
    Rma,
    RmaState,
    Role,
    Unit,
    UnitState,
)
from station.receiving.service import ReceivingService
from station.resolution.service import ResolutionService
from tests.helpers.builders import add_operator, add_product, add_rma, make_context
from tests.helpers.qc import good_answer


@pytest.fixture
def station(session_factory):
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR)
        supervisor = add_operator(db, Role.SUPERVISOR)
        jeans = add_product(db, "AP-JN-32", name_en="Slim jeans", name_zh="修身牛仔裤", value="299.00")
        number = add_rma(db, [(jeans, 1)], reason="size", price="299.00").number
    ctx = make_context(session_factory)
    return dict(sf=session_factory, number=number, clerk=clerk, inspector=inspector,
                supervisor=supervisor, receiving=ReceivingService(ctx),
                inspection=InspectionService(ctx), resolution=ResolutionService(ctx))


def test_a_grade_return_from_dock_to_closed(station):
    receipt = station["receiving"].receive(station["clerk"], station["number"])
    lpn = receipt.units[0].lpn

    view = station["inspection"].start(station["inspector"], lpn)
    while view.next_question is not None:
        view = station["inspection"].answer(station["inspector"], view.inspection_id,
                                            view.next_question.id, good_answer(view.next_question))
    result = station["inspection"].finish(station["inspector"], view.inspection_id)
    assert result.grade == Grade.A and result.flags == ()

    disposition = station["inspection"].dispose(station["inspector"], lpn)
    assert disposition.kind == DispositionKind.RESTOCK

    with pytest.raises(IllegalTransition):
        station["resolution"].close(station["supervisor"], station["number"])
    refund = station["resolution"].issue(station["inspector"], station["number"])
    assert refund.amount == Decimal("299.00")
    station["resolution"].close(station["supervisor"], station["number"])

    with station["sf"]() as db:
        assert db.scalar(select(Rma.state)) == RmaState.CLOSED
        assert db.scalar(select(Unit.state)) == UnitState.CLOSED
        chain = audit.verify_chain(db)
        assert chain.ok and chain.events >= 8
        synced = set(db.scalars(select(OutboxEvent.entity_type).distinct()))
        assert {"receipts", "units", "inspections", "dispositions", "resolutions", "rmas"} <= synced
        assert db.scalar(select(func.count()).select_from(OutboxEvent)) >= 8


def test_one_failed_unit_never_blocks_its_siblings(station):
    with station["sf"].begin() as db:
        shoe = add_product(db, "SH-RN-42", category="shoes", name_en="Running shoes")
        number = add_rma(db, [(shoe, 2)]).number
    units = station["receiving"].receive(station["clerk"], number).units
    first, second = units[0].lpn, units[1].lpn
    station["inspection"].start(station["inspector"], first)  # left half-done
    view = station["inspection"].start(station["inspector"], second)
    while view.next_question is not None:
        view = station["inspection"].answer(station["inspector"], view.inspection_id,
                                            view.next_question.id, good_answer(view.next_question))
    assert station["inspection"].finish(station["inspector"], view.inspection_id).grade == Grade.A
    assert station["inspection"].dispose(station["inspector"], second).kind == DispositionKind.RESTOCK
