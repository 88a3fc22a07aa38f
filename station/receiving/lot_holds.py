"""Is this unit's production lot on hold? The one question receiving and QC ask (issue 26).

A supervisor's hold (``station.supervision.lot_holds``) names a SKU and a lot; a unit of that
lot scanned afterwards is flagged ``lot_held`` (held for QC, where a flagged unit goes to
quarantine until a supervisor decides), with the hold's reason in words on the banner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from station.models import LotHold, Unit
from station.policy.decision import Words
from station.receiving.flags import FlagCode

log = logging.getLogger(__name__)


def active_holds(db: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], LotHold]:
    """The standing hold (the first put) of each (SKU, lot) in ``keys`` that has one."""
    wanted = sorted({(sku, lot) for sku, lot in keys if sku and lot})
    found: dict[tuple[str, str], LotHold] = {}
    for start in range(0, len(wanted), 300):
        rows = db.scalars(select(LotHold).where(tuple_(LotHold.sku, LotHold.lot).in_(wanted[start:start + 300]),
                                                LotHold.released_at.is_(None)).order_by(LotHold.held_at))
        for hold in rows:
            found.setdefault((hold.sku, hold.lot), hold)
    return found


def hold_units(db: Session, units: Iterable[Unit]) -> dict[str, LotHold]:
    """Flag every unit whose lot is held (``lot_held``); returns {LPN: hold} of those flagged."""
    lotted = [(u, u.product.sku) for u in units if u.lot and u.product is not None]
    holds = active_holds(db, ((sku, u.lot) for u, sku in lotted))
    held: dict[str, LotHold] = {}
    for unit, sku in lotted:
        hold = holds.get((sku, unit.lot))
        if hold is not None:
            unit.flags = sorted({*(unit.flags or ()), FlagCode.LOT_HELD.value})
            held[unit.lpn] = hold
    return held


def held_words(lpn: str, hold: LotHold) -> Words:
    """Why a unit is held, in the dock's words (both languages)."""
    return Words(f"{lpn} is from lot {hold.lot} of {hold.sku}, on hold ({hold.reason}): put it on the QC hold shelf",
                 f"{lpn} 属于暂扣批号 {hold.lot}（{hold.sku}，原因：{hold.reason}）：请放到质检暂扣货架")
