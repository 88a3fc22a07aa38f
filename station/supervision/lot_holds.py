"""A supervisor puts a production lot on hold, lists what to pull back, and releases it (issue 26).

``hold`` records the hold (synced, so every dock holds the lot), audits it and emits
``lot.held`` with the LPNs of the lot's units already restocked: those are on the shelves and
must be pulled back. From then on receiving flags every unit of the lot it scans
(``station.receiving.lot_holds``) and QC sends it to quarantine. ``release`` ends every
standing hold of the lot, audited with the supervisor's note.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.core.context import Actor
from station.core.errors import IllegalTransition, InvalidInput, NotFound
from station.core.permissions import Permission
from station.core.services import Service
from station.models import DispositionKind, LotHold, Product, Unit
from station.receiving.lot_holds import active_holds
from station.scanning.lots import normalise_lot
from station.supervision.lot_events import lot_held_event

log = logging.getLogger(__name__)

MAX_REASON = 500


@dataclass(frozen=True)
class RestockedUnit:
    """A unit of a held lot that went back to stock: where to find it."""

    lpn: str
    bin: str
    state: str


@dataclass(frozen=True)
class HoldView:
    id: uuid.UUID
    sku: str
    lot: str
    reason: str
    held_at: dt.datetime
    restocked: tuple[RestockedUnit, ...] = ()

    def words(self, locale: str = "en") -> str:
        """The hold in a sentence for the desk and the command line."""
        n = len(self.restocked)
        if locale.lower().startswith("zh"):
            return (f"批号 {self.lot}（{self.sku}）已暂扣：{self.reason}。此后扫描到的该批号商品将待质检处理；"
                    f"已上架 {n} 件需撤回。")
        return (f"Lot {self.lot} of {self.sku} is on hold: {self.reason}. Units of it scanned from now on are held "
                f"for QC; {n} unit{'s' if n != 1 else ''} already restocked to pull back.")


def _restocked(db: Session, sku: str, lot: str) -> tuple[RestockedUnit, ...]:
    rows = db.execute(select(Unit.lpn, Unit.bin, Unit.state).join(Product, Product.id == Unit.product_id)
                      .where(Product.sku == sku, Unit.lot == lot, Unit.disposition == DispositionKind.RESTOCK)
                      .order_by(Unit.lpn)).all()
    return tuple(RestockedUnit(lpn, bin_ or "", getattr(state, "value", str(state))) for lpn, bin_, state in rows)


def _view(db: Session, hold: LotHold) -> HoldView:
    return HoldView(hold.id, hold.sku, hold.lot, hold.reason, hold.held_at, _restocked(db, hold.sku, hold.lot))


class LotHoldService(Service):
    """Holds on production lots: supervisors put and release them; anyone who sees analytics lists them."""

    def _key(self, db: Session, sku: str, lot: str) -> tuple[str, str]:
        sku, lot = (sku or "").strip().upper(), normalise_lot(lot)
        if not sku or not lot:
            raise InvalidInput("Name the SKU and the lot.", next_step="e.g. --sku LS-01 --lot L2405A",
                               zh=("请写明 SKU 和批号。", "例如 --sku LS-01 --lot L2405A"))
        if db.scalar(select(Product.id).where(Product.sku == sku)) is None:
            raise NotFound(f"No product {sku} in the catalogue.", next_step="Check the SKU.",
                           zh=(f"目录中没有商品 {sku}。", "请核对 SKU。"))
        return sku, lot

    def hold(self, actor: Actor, sku: str, lot: str, reason: str) -> HoldView:
        """Put ``lot`` of ``sku`` on hold (one transaction: the hold, its audit, ``lot.held``)."""
        self.require(actor, Permission.APPROVE)
        why = " ".join((reason or "").split())[:MAX_REASON]
        if len(why) < 3:
            raise InvalidInput("Say why the lot is held.", next_step="A few words the dock will read on the banner.",
                               zh=("请说明暂扣该批号的原因。", "写几个字，收货处会在提示中看到。"))
        with self.transaction() as db:
            key = self._key(db, sku, lot)
            standing = active_holds(db, [key]).get(key)
            if standing is not None:
                raise IllegalTransition(f"Lot {key[1]} of {key[0]} is already on hold since "
                                        f"{standing.held_at:%Y-%m-%d %H:%M} UTC ({standing.reason}).",
                                        zh=(f"批号 {key[1]}（{key[0]}）自 {standing.held_at:%Y-%m-%d %H:%M} UTC 起已暂扣"
                                            f"（{standing.reason}）。", ""))
            now = self.ctx.now()
            hold = LotHold(sku=key[0], lot=key[1], reason=why, held_by=actor.id, held_at=now)
            db.add(hold)
            db.flush()
            view = _view(db, hold)
            lpns = [u.lpn for u in view.restocked]
            self.audit(db, actor, "lot.held", "lot_holds", hold.id,
                       {"sku": hold.sku, "lot": hold.lot, "reason": why, "restocked": lpns})
            lot_held_event(db, hold, lpns, now)
            log.info("lot %s of %s put on hold; %d restocked units to pull back", hold.lot, hold.sku, len(lpns))
            return view

    def release(self, actor: Actor, sku: str, lot: str, note: str) -> int:
        """End every standing hold of the lot; returns how many were ended."""
        self.require(actor, Permission.APPROVE)
        said = " ".join((note or "").split())[:MAX_REASON]
        if len(said) < 3:
            raise InvalidInput("Say why the lot is released.", zh=("请说明解除暂扣的原因。", ""))
        with self.transaction() as db:
            sku, lot = self._key(db, sku, lot)
            holds = list(db.scalars(select(LotHold).where(LotHold.sku == sku, LotHold.lot == lot,
                                                          LotHold.released_at.is_(None))))
            if not holds:
                raise NotFound(f"Lot {lot} of {sku} is not on hold.", zh=(f"批号 {lot}（{sku}）未被暂扣。", ""))
            now = self.ctx.now()
            for hold in holds:
                hold.released_by, hold.released_at, hold.release_note = actor.id, now, said
                self.audit(db, actor, "lot.released", "lot_holds", hold.id, {"sku": sku, "lot": lot, "note": said})
            return len(holds)

    def holds(self, actor: Actor) -> list[HoldView]:
        """Standing holds, newest first, each with the units of its lot still to pull back."""
        self.require(actor, Permission.VIEW_ANALYTICS)
        with self.reading() as db:
            rows = db.scalars(select(LotHold).where(LotHold.released_at.is_(None)).order_by(LotHold.held_at.desc()))
            return [_view(db, h) for h in rows]
