"""The vendor's credit for an RTV batch is booked once in the fleet.

Two docks holding the same synced batch could each credit it offline: both credits were
pushed, ``rtv.credited`` left twice and the vendor's money counted twice in the scorecard and
the net cost. So a credit is a record of its own (``RtvCredit``) and, at a dock that syncs with
central, *pending* until central has taken it: central holds one standing credit per batch by a
unique index (central migration c008), so its push inserts the first dock's and refuses the
second (a sync conflict naming the first). After each push, ``settle`` looks at every pending
credit whose insert central has answered for, and asks central whose credit stands:

- this one: it becomes *effective*, the batch is credited (amount, day) and ``rtv.credited``
  is written now, so the webhook and the order system hear of it once;
- another dock's: it becomes *voided* with the reason in words ("Batch RTV-DOCK01-00001 was
  already credited at DOCK02 by Chen Jing at 2026-12-06 10:42 UTC (450.00 CNY)"), audited as
  ``rtv.credit_voided``; nothing is booked. The void is local (central never held the row);
- neither yet (its insert is held in a conflict about something else): it stays pending.

Central is asked, not the push's reply, so a dock killed between central's commit and its own
settles at its next round. A station that never met a central credits at once
(``RtvService.credit``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from station.audit import chain as audit
from station.core.db import make_session_factory
from station.core.outbox import insert_answered
from station.core.serialize import to_json_value
from station.models import Operator, RtvBatch, RtvCredit, RtvCreditState, RtvState
from station.rtv.events import credited_events

log = logging.getLogger(__name__)

VOID_TAIL = "; this credit is void and was not booked."


@dataclass
class CreditsSettled:
    """What one ``settle`` did, for the sync round's report."""

    accepted: list[str] = field(default_factory=list)
    """Batch numbers whose credit central took: now effective, the batch credited."""
    voided: list[tuple[str, str]] = field(default_factory=list)
    """(batch number, why) for credits central refused: another dock's stands."""


def settle(engine: Engine, station_id: str, central: Engine) -> CreditsSettled:
    """Accept or void every pending credit central has answered for (see module doc)."""
    done = CreditsSettled()
    sf = make_session_factory(engine)
    with sf() as db:
        pending = list(db.execute(select(RtvCredit.id, RtvCredit.batch_id)
                                  .where(RtvCredit.state == RtvCreditState.PENDING,
                                         RtvCredit.station_id == station_id)).all())
    for credit_id, batch_id in pending:
        with sf() as db:
            db.info["station_id"] = station_id  # what the rows written here are stamped with
            with db.begin():
                if not insert_answered(db, "rtv_credits", credit_id):
                    continue
                verdict = central_verdict(central, credit_id, batch_id)
                if verdict is True:
                    done.accepted.append(accept(db, credit_id, station_id))
                elif isinstance(verdict, str):
                    done.voided.append(void(db, credit_id, station_id, verdict))
    if done.accepted or done.voided:
        log.info("rtv credits: %d accepted by central, %d voided", len(done.accepted), len(done.voided))
    return done


def central_verdict(central: Engine, credit_id: uuid.UUID, batch_id: uuid.UUID) -> bool | str | None:
    """True: central holds this credit (it stands). A sentence: central holds another dock's
    for the batch, saying whose (this one is void). ``None``: neither yet (it stays pending)."""
    c = RtvCredit.__table__.c
    with central.connect() as conn:
        mine = conn.execute(select(c.state).where(c.id == credit_id)).scalar()
        if mine is not None and mine != RtvCreditState.VOIDED.value:
            return True
        standing = standing_credit(conn, batch_id)
    return standing[0] + VOID_TAIL if standing is not None else None


def standing_credit(conn: Connection, batch_id: Any, *, besides: Any = None) -> tuple[str, str] | None:
    """The credit that stands for a batch, in the desk's words, and the station that recorded it:
    "Batch RTV-DOCK01-00001 was already credited at DOCK02 by Chen Jing at 2026-12-06 10:42 UTC
    (450.00 CNY)". ``None``: no credit stands (``besides``: not counting that one)."""
    if batch_id is None:
        return None
    credits, operators, batches = RtvCredit.__table__, Operator.__table__, RtvBatch.__table__
    c = credits.c
    query = (select(c.station_id, c.amount, c.currency, c.credited_at, operators.c.name, batches.c.number)
             .join(operators, operators.c.id == c.credited_by).join(batches, batches.c.id == c.batch_id)
             .where(c.batch_id == uuid.UUID(str(batch_id)), c.state != RtvCreditState.VOIDED.value)
             .order_by(c.credited_at, c.id).limit(1))
    if besides is not None:
        query = query.where(c.id != uuid.UUID(str(besides)))
    row = conn.execute(query).first()
    if row is None:
        return None
    when = row.credited_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"Batch {row.number} was already credited at {row.station_id} by {row.name} at {when} "
            f"({row.amount} {row.currency})", row.station_id)


def take_effect(db: Session, batch: RtvBatch, credit: RtvCredit) -> None:
    """The credit stands: the batch is credited with its amount and day, and ``rtv.credited``
    is written (once per RMA in the batch, ``station.rtv.events``)."""
    credit.state = RtvCreditState.EFFECTIVE
    batch.state = RtvState.CREDITED  # the claim's transition was checked when the credit was recorded
    batch.credited_amount, batch.credited_on, batch.settled_at = credit.amount, credit.credited_on, credit.credited_at
    db.flush()
    credited_events(db, batch, credit.credited_at)


def accept(db: Session, credit_id: uuid.UUID, station_id: str) -> str:
    """Central holds it: effective, the batch credited, its events written, audited."""
    credit = db.get(RtvCredit, credit_id)
    if credit is None:
        raise LookupError(f"rtv credit {credit_id} is gone from this station")
    batch = db.get(RtvBatch, credit.batch_id)
    if batch is None:
        raise LookupError(f"rtv batch {credit.batch_id} of credit {credit_id} is gone from this station")
    take_effect(db, batch, credit)
    audit.append(db, station_id=station_id, actor=None, action="rtv.credit_accepted", entity_type="rtv_batches",
                 entity_id=batch.id, details=to_json_value({
                     "batch": batch.number, "credit": str(credit.id), "credited_amount": credit.amount,
                     "currency": credit.currency, "credited_on": credit.credited_on.isoformat(),
                     "credited_by": str(credit.credited_by)}))
    log.info("credit of batch %s accepted by central", batch.number)
    return batch.number


def void(db: Session, credit_id: uuid.UUID, station_id: str, why: str) -> tuple[str, str]:
    """Central holds another dock's credit for this batch: this one is never booked."""
    credit = db.get(RtvCredit, credit_id)
    if credit is None:
        raise LookupError(f"rtv credit {credit_id} is gone from this station")
    batch = db.get(RtvBatch, credit.batch_id)
    number = batch.number if batch is not None else str(credit.batch_id)
    db.info["applying_sync"] = True  # central never held it: nothing of the void is pushed
    credit.state = RtvCreditState.VOIDED
    credit.void_reason = why[:2000]
    audit.append(db, station_id=station_id, actor=None, action="rtv.credit_voided", entity_type="rtv_batches",
                 entity_id=credit.batch_id, details=to_json_value({
                     "batch": number, "credit": str(credit.id), "reason": why, "credited_amount": credit.amount,
                     "currency": credit.currency, "credited_on": credit.credited_on.isoformat(),
                     "credited_by": str(credit.credited_by), "credited_at": credit.credited_at.isoformat()}))
    log.warning("credit of batch %s voided: %s", number, why)
    return number, why


def pending_note(amount: Decimal, currency: str, day: dt.date, name: str) -> str:
    """What the desk says about this dock's credit while central has not taken it."""
    return (f"Credit of {amount} {currency} ({day}) recorded by {name} waits for central to confirm: one credit "
            "per batch stands in the company, so the batch is credited when central took it (at the next sync).")


_PENDING = re.compile(r"Credit of (?P<amount>\S+) (?P<currency>\w+) \((?P<day>[\d-]+)\) recorded by (?P<who>.+) "
                      r"waits for central to confirm")
_VOID = re.compile(r"VOID: Batch (?P<batch>\S+) was already credited at (?P<station>\S+) by (?P<who>.+) at "
                   r"(?P<when>.+ UTC) \((?P<amount>\S+) (?P<currency>\w+)\); this credit is void")


def note_words(note: str, zh: bool) -> str:
    """A credit's note (``BatchView.credit_note``) for the desk, in Chinese when the desk is."""
    if not zh:
        return note
    if found := _PENDING.match(note):
        f = found.groupdict()
        return (f"{f['who']} 记录的到账 {f['amount']} {f['currency']}（{f['day']}）等待中央确认：每个批次全公司只认一笔"
                "到账，中央确认后（下次同步）批次才算到账。")
    if found := _VOID.match(note):
        f = found.groupdict()
        return (f"作废：批次 {f['batch']} 已于 {f['when']} 由 {f['who']} 在 {f['station']} 记录到账"
                f"（{f['amount']} {f['currency']}）；本次到账作废，未入账。")
    return note
