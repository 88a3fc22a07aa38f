"""The refurbish step: a technician scans the LPN and records what the repair cost and yielded.

Only a unit dispositioned to ``refurbish`` can be finished, and only once: the outcome grade
prices the unit for resale (``station.analytics.net_cost``), so a second, different record
would make the figures depend on which one was read. A mistake is corrected by a supervisor
in the database, not by scanning again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from station.analytics.summary import mark_dirty
from station.core.money import parse as parse_money
from station.core.context import Actor
from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.core.lifecycle_events import refurbished_event
from station.core.permissions import Permission
from station.core.services import Service
from station.models import DispositionKind, Grade, Refurbishment, Unit

log = logging.getLogger(__name__)

MAX_COST = Decimal("100000")
MAX_PARTS = 1000
_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?", re.ASCII)


@dataclass(frozen=True)
class RefurbishResult:
    lpn: str
    sku: str
    cost: Decimal
    parts: str
    outcome_grade: Grade
    message: str


def parse_cost(text: str | Decimal) -> Decimal:
    raw = str(text).strip()
    if not _AMOUNT.fullmatch(raw):
        raise InvalidInput(f"Cost {raw!r} is not an amount like 35.00.", next_step="Type the repair cost.")
    cost = parse_money(raw, "CNY", "cost")  # the pattern above admits only exact amounts
    if cost > MAX_COST:
        raise InvalidInput(f"Cost {cost} is over {MAX_COST}; check the amount.")
    return cost


def parse_grade(text: str | Grade) -> Grade:
    value = str(getattr(text, "value", text)).strip().upper()
    if value not in Grade.__members__:
        raise InvalidInput(f"Grade {text!r} is not A, B, C or D.")
    return Grade(value)


class RefurbishService(Service):
    def waiting(self, actor: Actor, limit: int = 100) -> list[str]:
        """LPNs dispositioned to refurbish and not refurbished yet, in LPN order: the
        technician's bench."""
        self.require(actor, Permission.DISPOSITION)
        with self.reading() as db:
            return list(db.scalars(
                select(Unit.lpn).where(Unit.disposition == DispositionKind.REFURBISH,
                                       ~select(Refurbishment.id).where(Refurbishment.unit_id == Unit.id).exists())
                .order_by(Unit.lpn).limit(limit)))

    def finish(self, actor: Actor, lpn: str, cost: str | Decimal, parts: str, outcome_grade: str | Grade
               ) -> RefurbishResult:
        """Record the finished refurbishment of the unit ``lpn``; audited, and a ``unit.refurbished`` event."""
        self.require(actor, Permission.DISPOSITION)
        amount, grade = parse_cost(cost), parse_grade(outcome_grade)
        parts = " ".join((parts or "").split())
        if len(parts) > MAX_PARTS:
            raise InvalidInput(f"The parts list is {len(parts)} characters; keep it under {MAX_PARTS}.")
        code = (lpn or "").strip().upper()
        with self.transaction() as db:
            unit = db.scalar(select(Unit).where(Unit.lpn == code))
            if unit is None:
                raise NotFound(f"No unit with LPN {code or '(empty)'}.", next_step="Scan the LPN label on the unit.")
            if unit.disposition != DispositionKind.REFURBISH:
                where = unit.disposition.value if unit.disposition else "no disposition yet"
                raise IllegalTransition(f"Unit {code} is not for refurbishing ({where}).",
                                        next_step="Refurbish only units dispositioned to refurbish.")
            done = db.scalar(select(Refurbishment).where(Refurbishment.unit_id == unit.id))
            if done is not None:
                raise IllegalTransition(f"Unit {code} was already refurbished on {done.finished_at:%Y-%m-%d} "
                                        f"(grade {done.outcome_grade.value}).",
                                        next_step="Ask a supervisor if that record is wrong.")
            refurb = Refurbishment(unit_id=unit.id, cost=amount, parts=parts, outcome_grade=grade,
                                   finished_by=actor.id, finished_at=self.ctx.now(), station_id=self.ctx.station_id)
            db.add(refurb)
            db.flush()
            sku = unit.product.sku if unit.product else unit.sku_received
            self.audit(db, actor, "unit.refurbished", "units", unit.id,
                       {"lpn": code, "cost": str(amount), "parts": parts, "outcome_grade": grade.value})
            refurbished_event(db, unit, refurb)
            mark_dirty(db, [unit.receipt.received_at.astimezone(dt.UTC).date()])  # its day's net cost
            return RefurbishResult(code, sku, amount, parts, grade,
                                   f"Unit {code} refurbished for {amount}: now grade {grade.value}.")
