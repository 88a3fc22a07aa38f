"""QC test fixtures: a dock with staff, products of every category, and received units.

Units are created through the real ``ReceivingService`` so QC tests start from what a clerk
really leaves behind (receipt, LPNs, receiving flags).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from station.core.context import Actor
from station.inspection.checklists import ItemKind
from station.inspection.service import InspectionService
from station.inspection.views import InspectionView, QuestionView
from station.models import Role
from station.receiving.service import ItemCheck, ParcelInput, ReceivingService
from tests.helpers.builders import NOW, Clock, add_operator, add_product, add_rma, make_context

_sku = itertools.count(1)

CATEGORY_VALUES = {
    "apparel": "199.00", "shoes": "459.00", "electronics": "2999.00",
    "small_appliances": "329.00", "cosmetics": "89.00",
}


@dataclass
class QcDock:
    sf: sessionmaker[Session]
    clock: Clock
    qc: InspectionService
    receiving: ReceivingService
    clerk: Actor
    inspector: Actor
    supervisor: Actor


def make_dock(session_factory: sessionmaker[Session], **service_kwargs: Any) -> QcDock:
    with session_factory.begin() as db:
        clerk = add_operator(db, Role.CLERK)
        inspector = add_operator(db, Role.INSPECTOR, name="Li Na")
        supervisor = add_operator(db, Role.SUPERVISOR, name="Chen Jing")
    clock = Clock()
    ctx = make_context(session_factory, clock)
    return QcDock(session_factory, clock, InspectionService(ctx, **service_kwargs),
                  ReceivingService(ctx), clerk, inspector, supervisor)


def receive_unit(
    dock: QcDock,
    category: str = "apparel",
    *,
    value: str | None = None,
    reason: str = "size",
    rtv_allowed: bool = False,
    supplier: str = "Acme Ltd",
    serial_sold: str | None = None,
    serial_received: str = "",
    scanned: str = "",
    weight_g: int | None = None,
    expected_weight_g: int = 300,
    customer_ref: str = "C-1001",
    authorised: dt.datetime | None = None,
) -> str:
    """One RMA with one line for a new product of ``category``, received; returns the LPN."""
    with dock.sf.begin() as db:
        n = next(_sku)
        product = add_product(
            db, f"QC-{category[:4].upper()}-{n}", category=category, gtin=None,
            value=value or CATEGORY_VALUES.get(category, "100.00"), weight_g=expected_weight_g,
            serialised=serial_sold is not None,
        )
        product.rtv_allowed = rtv_allowed
        product.supplier = supplier
        line: tuple[Any, ...] = (product, 1, serial_sold) if serial_sold else (product, 1)
        rma = add_rma(db, [line], reason=reason, customer_ref=customer_ref,
                      authorised=authorised or NOW - dt.timedelta(days=5))
        number = rma.number
    items = {1: [ItemCheck(scanned=scanned, serial=serial_received)]} if scanned or serial_received else {}
    result = dock.receiving.receive(dock.clerk, number, ParcelInput(weight_g=weight_g, items=items))
    return result.units[0].lpn


def passing_value(question: QuestionView) -> Any:
    if question.kind == ItemKind.PASS_FAIL:
        return "pass"
    if question.kind == ItemKind.CHOICE:
        return next(c.id for c in question.choices if not c.fails)
    if question.kind == ItemKind.NUMBER:
        return question.expected
    return "ok"


def walk(dock: QcDock, view: InspectionView, answers: Mapping[str, Any] | None = None,
         actor: Actor | None = None) -> InspectionView:
    """Answer the checklist like the window does: always the next question on screen.

    Questions named in ``answers`` get that value; every other asked question gets a passing
    answer; optional text questions are skipped once everything else is answered.
    """
    answers = dict(answers or {})
    actor = actor or dock.inspector
    while view.next_question is not None:
        question = view.next_question
        if question.id in answers:
            value = answers[question.id]
        elif not question.required:
            pending_required = [q for q in view.questions if q.asked and q.answer is None and q.required]
            if not pending_required:
                break
            value = passing_value(question)
        else:
            value = passing_value(question)
        view = dock.qc.answer(actor, view.inspection_id, question.id, value)
    return view


JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + bytes(range(64)) + b"\xff\xd9"


def photos_for_failures(dock: QcDock, view: InspectionView, actor: Actor | None = None) -> InspectionView:
    for question in view.questions:
        if question.needs_photo:
            dock.qc.add_photo(actor or dock.inspector, view.inspection_id, question.id,
                              JPEG + question.id.encode(), "image/jpeg")
    return dock.qc.view(view.inspection_id)
