"""Reprinting LPN labels at receiving: a torn or lost label has a way back.

Inspection tells the inspector to "reprint it at receiving"; this is that. A clerk scans
the unit's LPN (one label) or its RMA / tracking number (every unit of the RMA). Each
reprint is audited, because a second label for the same LPN is how a unit could be
relabelled onto another parcel.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from station.core.context import Actor
from station.core.errors import NotFound
from station.core.identifiers import is_valid_lpn
from station.core.permissions import Permission
from station.core.services import Service
from station.models import Unit
from station.receiving.lookup import rma_number_of
from station.receiving.service import ReceivingService, normalise_code
from station.receiving.views import UnitView, unit_view


@dataclass(frozen=True)
class Reprint:
    """What to print again: the RMA number on the labels and the units to label."""

    rma_number: str
    units: tuple[UnitView, ...]


class ReprintService(Service):
    def reprint(self, actor: Actor, code: str) -> Reprint:
        """The labels for an LPN (that unit) or an RMA / tracking number (all its units)."""
        self.require(actor, Permission.RECEIVE)
        code = normalise_code(code)
        with self.transaction() as db:
            if is_valid_lpn(code):
                unit = db.scalar(select(Unit).where(Unit.lpn == code).options(selectinload(Unit.product)))
                if unit is None:
                    raise NotFound(f"No unit with LPN {code}.", next_step="Scan its RMA to reprint all its labels.")
                number = rma_number_of(db, unit.lpn)
                units: tuple[Unit, ...] = (unit,)
                entity = ("units", unit.id)
            else:
                rma = ReceivingService(self.ctx)._find_rma(db, code)
                if rma is None:
                    raise NotFound(f"No RMA found for {code}.", next_step="Scan the unit's LPN or its RMA.")
                number = rma.number
                units = tuple(u for r in rma.receipts for u in r.units)
                entity = ("rmas", rma.id)
                if not units:
                    raise NotFound(f"RMA {number} has no units received yet.",
                                   next_step="Receive the parcel first: its labels print then.")
            views = tuple(unit_view(u) for u in units)
            self.audit(db, actor, "labels.reprinted", entity[0], entity[1], {"code": code, "rma": number, "lpns": [u.lpn for u in views]})
            return Reprint(number, views)
