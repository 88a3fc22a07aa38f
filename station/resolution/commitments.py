"""A resolution is a commitment to the customer, and the fleet makes it once.

Two docks that decided the same RMA offline each pushed a refund, and the shop paid twice.
So at a dock that syncs with central a resolution is *pending* until central has taken it:
central holds one standing resolution per RMA by a unique index (central migration c005), so
its push inserts the first dock's and refuses the second (a sync conflict naming the first).
After each push, ``settle`` looks at every pending resolution's insert in the outbox:

- sent without a conflict: central holds it. It becomes *effective*; its
  ``resolution.issued`` event is written now (so the customer's notice and the webhook leave
  only now, and central's event feed gets exactly one per RMA), and the RMA closes if its units
  are done;
- sent as a conflict: central already holds another dock's. It becomes *voided* with the
  reason in words ("RMA ... was already resolved at DOCK02 by Chen Jing at 10:42"), audited,
  and nothing is paid. The void is local (central never held the row), like a voided
  duplicate parcel (``station.sync.lost_parcels``).

A resolution whose insert is still waiting in the outbox stays pending; the desk says so. Once
its insert was answered, central itself is asked whose resolution stands, so a dock killed
between central's commit and its own settles at its next round, and a resolution held in a
conflict about something else (its parcel, a unit) waits for the supervisor's word.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core.context import Actor, StationContext
from station.core.db import make_session_factory
from station.core.events import emit
from station.core.outbox import insert_answered
from station.models import (
    Operator,
    Receipt,
    Resolution,
    ResolutionState,
    Rma,
    Unit,
)
from station.resolution.closing import close_if_done
from station.resolution.service import ResolutionService

log = logging.getLogger(__name__)


@dataclass
class Settled:
    """What one ``settle`` did, for the sync round's report."""

    accepted: list[str] = field(default_factory=list)
    """RMA numbers whose resolution central took: now effective."""
    voided: list[tuple[str, str]] = field(default_factory=list)
    """(RMA number, why) for resolutions central refused: another dock's stands."""


def settle(engine: Engine, station_id: str, central: Engine) -> Settled:
    """Accept or void every pending resolution central has answered for (see module doc)."""
    done = Settled()
    sf = make_session_factory(engine)
    with sf() as db:
        pending = list(db.execute(select(Resolution.id, Resolution.rma_id, Resolution.station_id)
                                  .where(Resolution.state == ResolutionState.PENDING)).all())
    for resolution_id, rma_id, made_at in pending:
        with sf() as db:
            db.info["station_id"] = station_id  # what the rows written here are stamped with
            with db.begin():
                if made_at != station_id:  # another dock's, pulled while it was pending
                    _settle_copy(db, central, resolution_id, rma_id, station_id)
                    continue
                if not insert_answered(db, "resolutions", resolution_id):
                    continue
                verdict = central_verdict(central, resolution_id, rma_id)
                if verdict is True:
                    done.accepted.append(accept(db, resolution_id, station_id))
                elif isinstance(verdict, str):
                    done.voided.append(void(db, resolution_id, station_id, verdict))
    if done.accepted or done.voided:
        log.info("commitments: %d accepted by central, %d voided", len(done.accepted), len(done.voided))
    return done


def _settle_copy(db: Session, central: Engine, resolution_id: uuid.UUID, rma_id: uuid.UUID, station_id: str) -> None:
    """Another dock's pending resolution this dock pulled. Normally its dock's next change (it
    became effective) follows through the pull. But central restored from a backup may have lost
    it, and then kept another dock's for the RMA: its own dock voids it (``void``), and central
    never holds it again, so the copy here is voided the same way, with the same reason."""
    verdict = central_verdict(central, resolution_id, rma_id)
    if isinstance(verdict, str):
        void(db, resolution_id, station_id, verdict)


def central_verdict(central: Engine, resolution_id: uuid.UUID, rma_id: uuid.UUID) -> bool | str | None:
    """True: central holds this resolution (it stands). A sentence: central holds another
    dock's for the RMA, saying whose (this one is void). ``None``: neither yet (held in a
    conflict about something else, which a supervisor settles; it stays pending)."""
    r = Resolution.__table__
    with central.connect() as conn:
        mine = conn.execute(select(r.c.state).where(r.c.id == resolution_id)).scalar()
        if mine is not None and mine != ResolutionState.VOIDED.value:
            return True
        standing = standing_resolution(conn, rma_id)
    return standing[0] if standing is not None else None


def standing_resolution(conn: Connection, rma_id: Any) -> tuple[str, str] | None:
    """Why a dock's resolution was refused, in the desk's words, and the dock whose stands:
    "RMA R-1 was already resolved at DOCK02 by Chen Jing at 2026-12-06 10:42 UTC (refund
    447.00 CNY); this resolution is void and nothing was paid for it." """
    if rma_id is None:
        return None
    resolutions, operators, rmas = Resolution.__table__, Operator.__table__, Rma.__table__
    r = resolutions.c
    row = conn.execute(select(r.station_id, r.kind, r.amount, r.currency, r.issued_at, operators.c.name,
                              rmas.c.number)
                       .join(operators, operators.c.id == r.issued_by).join(rmas, rmas.c.id == r.rma_id)
                       .where(r.rma_id == uuid.UUID(str(rma_id)), r.state != "voided")).first()
    if row is None:
        return None
    when = row.issued_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"RMA {row.number} was already resolved at {row.station_id} by {row.name} at {when} "
            f"({row.kind} {row.amount} {row.currency}); this resolution is void and nothing was paid for it.",
            row.station_id)


def _context(db: Session, station_id: str) -> StationContext:
    return StationContext(make_session_factory(db.get_bind()), station_id=station_id)


def accept(db: Session, resolution_id: uuid.UUID, station_id: str) -> str:
    """Central holds it: effective, its event written, the RMA closed if its units are done."""
    resolution = db.get(Resolution, resolution_id)
    assert resolution is not None
    rma = db.get(Rma, resolution.rma_id)
    assert rma is not None
    resolution.state = ResolutionState.EFFECTIVE
    emit(db, "resolution.issued", rma, dict(resolution.event_data or {}), resolution.issued_at)
    resolution.event_data = None
    service = ResolutionService(_context(db, station_id))
    issuer = db.get(Operator, resolution.issued_by)
    actor = Actor.of(issuer) if issuer is not None else None
    service.audit(db, actor, "resolution.accepted", "resolutions", resolution.id,
                  {"rma": rma.number, "kind": resolution.kind.value, "amount": str(resolution.amount),
                   "currency": resolution.currency})
    units = list(db.scalars(select(Unit).join(Receipt).where(Receipt.rma_id == rma.id).order_by(Unit.lpn)))
    if actor is not None:
        close_if_done(service, db, actor, rma, units)
    return rma.number


def void(db: Session, resolution_id: uuid.UUID, station_id: str, why: str) -> tuple[str, str]:
    """Central holds another dock's resolution for this RMA: this one never takes effect."""
    resolution = db.get(Resolution, resolution_id)
    assert resolution is not None
    rma = db.get(Rma, resolution.rma_id)
    number = rma.number if rma is not None else str(resolution.rma_id)
    db.info["applying_sync"] = True  # central never held it: nothing of the void is pushed
    resolution.state = ResolutionState.VOIDED
    resolution.void_reason = why[:2000]
    resolution.event_data = None
    audit.append(db, station_id=station_id, actor=None, action="resolution.voided", entity_type="resolutions",
                 entity_id=resolution.id, details={
                     "rma": number, "reason": why, "kind": resolution.kind.value, "amount": str(resolution.amount),
                     "currency": resolution.currency, "issued_by": str(resolution.issued_by),
                     "issued_at": resolution.issued_at.isoformat()})
    log.warning("resolution of RMA %s voided: %s", number, why)
    return number, why


_VOID = re.compile(r"RMA (?P<rma>\S+) was already resolved at (?P<station>\S+) by (?P<who>.+) at (?P<when>.+ UTC) "
                   r"\((?P<kind>\w+) (?P<amount>\S+) (?P<currency>\w+)\); this resolution is void")
_KIND_ZH = {"refund": "退款", "exchange": "换货", "compensation": "补偿", "rejected": "拒绝"}


def void_words(reason: str, zh: bool) -> str:
    """A void's reason for the desk, in Chinese when the desk is (the row keeps the English)."""
    found = _VOID.match(reason)
    if not zh or found is None:
        return reason
    f = found.groupdict()
    return (f"RMA {f['rma']} 已于 {f['when']} 由 {f['who']} 在 {f['station']} 处理"
            f"（{_KIND_ZH.get(f['kind'], f['kind'])} {f['amount']} {f['currency']}）；本次处理作废，未付款。")
