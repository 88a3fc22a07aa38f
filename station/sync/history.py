"""Central's memory of each station, so a copy of central, or central restored from a backup,
is recognised before it costs anything.

A copy made with ``createdb -T central copy`` (or a restore into a new database on the same
server) keeps central's identity and server, so ``station.sync.identity`` lets it pass. But it
does not have what stations pushed to the real central after the copy was taken, and its change
feed goes its own way: a station that synced once with the copy would later skip, on the real
central, what other docks pushed meanwhile, and the copy (or the older backup) silently lacks
what the station believes central has.

So central remembers two things per station in ``sync_stations``, and the station knows the same
two things from its own side:

* ``acked_seq``: the station's newest outbox seq central committed (0 until the station's
  first push to this central; NULL: not counted, a station from before central counted). The
  station's own figure is its newest event marked sent. Central writes its figure in the transaction that applies the
  batch, before the station marks it, so the station can be behind central (a reply lost) but
  never ahead of it, unless central has lost what it once committed.
* ``handed_n``: a count of the pull pages central handed to the station, with the cursor of the
  last one (``handed``). Central counts first, then the station stores the count with its
  cursor, so again the station can only be ahead if central went back.

When the station is ahead on either figure, central is a copy or an older backup. The station
says so in one line, sends again the events central lost (their ids are applied once, so what
central does have is not doubled), and takes up the pull from the last cursor this central
handed it (a cursor from the copy means nothing here). Nothing is lost and nothing is doubled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from station.audit import chain as audit
from station.core.db import make_session_factory
from station.core.errors import StationError
from station.core.station_state import PULL_CURSOR, read_value, write_value
from station.models import OutboxEvent, OutboxState
from station.sync.central_schema import stations

log = logging.getLogger(__name__)

_OUTBOX = OutboxEvent.__table__
HANDED = "handed_n"
"""The key of the page count in the station's stored cursor."""


@dataclass(frozen=True)
class CentralMemory:
    """What central remembers of one station (``None``: from before central kept it)."""

    acked_seq: int | None
    handed_n: int
    handed: dict[str, Any] | None


@dataclass(frozen=True)
class HistoryLost:
    """Central knows less than it once told this station: what was found and what was done."""

    central_id: str
    central_acked: int
    station_acked: int
    central_pages: int
    station_pages: int
    resent: int

    def words(self) -> str:
        return (f"Central database {self.central_id} is a copy or an older backup: it holds this station's "
                f"changes up to #{self.central_acked} (this station had sent up to #{self.station_acked}) and "
                f"its pulls up to page {self.central_pages} (this station had read {self.station_pages}). "
                f"Sending the {self.resent} change(s) it lost again and reading on from where it last "
                "left this station: nothing is lost or doubled.")


class CentralLostHistory(StationError):
    """Central turned out to know less than the station in the middle of a round: it was
    restored from a backup (or replaced by a copy) after the round's meeting. Nothing of the
    batch or page was kept; the next meeting finds the loss and sends it again."""


def _lost_meanwhile(station_id: str, what: str) -> CentralLostHistory:
    return CentralLostHistory(
        f"Central database lost {what} of station {station_id} during this round (restored from a backup or "
        "replaced by a copy): nothing was sent or fetched; the next round sends again what it lost.")


def remember_acked(conn: Connection, station_id: str, seqs: list[int], *, known: int | None = None) -> None:
    """On central, inside the transaction that applies a batch: the newest seq it now holds.

    ``known`` is how far the station believes central holds its changes (``station_acked``):
    if central's own figure is lower, central went back since the round met it (restored
    between the meeting and this batch), and raising the figure over the gap would hide the loss
    from every later meeting. Then the batch is refused (``CentralLostHistory``)."""
    if not seqs and not known:
        return
    s = stations.c
    top = max(seqs) if seqs else 0
    if known:
        held = conn.execute(select(s.acked_seq).where(s.station_id == station_id).with_for_update()).first()
        if held is not None and held.acked_seq is not None and held.acked_seq < known:
            raise _lost_meanwhile(station_id, f"changes up to #{known} (it holds up to #{held.acked_seq})")
    if seqs:
        conn.execute(update(stations).where(s.station_id == station_id)
                     .values(acked_seq=func.greatest(func.coalesce(s.acked_seq, 0), top)))


def hand_page(central: Engine, station_id: str, position: dict[str, Any], *, read: int = 0) -> dict[str, Any]:
    """Record on central the cursor it is about to hand the station; returns the cursor with
    central's page count, which the station stores. Committed before the station's page is.

    ``read`` is the count the station holds: central's can only be lower if it went back
    since the round met it (``CentralLostHistory``; the next meeting reads on from its cursor)."""
    with central.begin() as conn:
        count = conn.execute(update(stations).where(stations.c.station_id == station_id,
                                                    stations.c.handed_n >= read)
                             .values(handed_n=stations.c.handed_n + 1, handed=position)
                             .returning(stations.c.handed_n)).scalar()
        if count is None and read and central_memory(conn, station_id) is not None:
            raise _lost_meanwhile(station_id, f"pull pages after page {read}")
    return position if count is None else {**position, HANDED: int(count)}


def central_memory(conn: Connection, station_id: str) -> CentralMemory | None:
    row = conn.execute(select(stations.c.acked_seq, stations.c.handed_n, stations.c.handed)
                       .where(stations.c.station_id == station_id)).first()
    if row is None:
        return None
    return CentralMemory(row.acked_seq, int(row.handed_n or 0), dict(row.handed) if row.handed else None)


def station_acked(local: Engine) -> int:
    """How far central acknowledged the station's outbox without a gap: the newest event
    marked sent, but below the oldest still pending (the pusher sends an RMA's change ahead
    with its receipt, so a sent event can have pending ones before it)."""
    with local.connect() as conn:
        sent = conn.execute(select(func.max(_OUTBOX.c.seq)).where(_OUTBOX.c.state == OutboxState.SENT)).scalar()
        waiting = first_pending(conn)
        conn.rollback()
    sent = int(sent or 0)
    return min(sent, waiting - 1) if waiting is not None else sent


def first_pending(conn: Connection, besides: list[int] | None = None) -> int | None:
    """The oldest event still waiting to be pushed (leaving out ``besides``, a batch in flight)."""
    query = select(func.min(_OUTBOX.c.seq)).where(_OUTBOX.c.state == OutboxState.PENDING)
    if besides:
        query = query.where(_OUTBOX.c.seq.not_in(besides))
    value = conn.execute(query).scalar()
    return int(value) if value is not None else None


def acked_after(local: Engine, seqs: list[int]) -> list[int]:
    """What central may record as acknowledged once ``seqs`` are committed there: the station's
    figure after the batch (``station_acked``): the newest event sent, this batch's or an
    earlier one's, but never past an older event still waiting. Sent-ahead RMA changes leave
    such gaps, and so do resolutions a fenced central held back (``station.sync.fence``): when
    one of those goes at last, central's figure jumps over everything sent meanwhile, as the
    station's does; otherwise it would lag, and the next meeting would take it for a loss."""
    if not seqs:
        return []
    with local.connect() as conn:
        waiting = first_pending(conn, besides=seqs)
        sent = conn.execute(select(func.max(_OUTBOX.c.seq)).where(_OUTBOX.c.state == OutboxState.SENT)).scalar()
        conn.rollback()
    top = max(max(seqs), int(sent or 0))
    return [min(top, waiting - 1)] if waiting is not None else [top]


def station_pages(local: Engine) -> int:
    with local.connect() as conn:
        value = read_value(conn, PULL_CURSOR)
        conn.rollback()
    return int(value.get(HANDED, 0))


def catch_up(local: Engine, memory: CentralMemory | None, central_id: str, station_id: str) -> HistoryLost | None:
    """Compare the station's figures with central's; when central is behind, resend what it lost
    and restart the pull from its last handed cursor, in one local transaction (audited)."""
    if memory is None:
        return None
    mine_acked, mine_pages = station_acked(local), station_pages(local)
    acked_lost = memory.acked_seq is not None and mine_acked > memory.acked_seq
    pages_lost = mine_pages > memory.handed_n
    if not (acked_lost or pages_lost):
        return None
    if memory.acked_seq is not None:
        known = memory.acked_seq
    else:  # central never counted: if it forgot the pages too, assume it forgot every push
        known = 0 if pages_lost else mine_acked
    sf = make_session_factory(local)
    with sf.begin() as db:
        resent = db.execute(update(_OUTBOX).where(_OUTBOX.c.state == OutboxState.SENT, _OUTBOX.c.seq > known)
                            .values(state=OutboxState.PENDING, sent_at=None)).rowcount
        if pages_lost:
            cursor = dict(memory.handed) if memory.handed else {"seq": 0}
            cursor.update({"central_id": central_id, HANDED: memory.handed_n})
            write_value(db.connection(), PULL_CURSOR, cursor)
        lost = HistoryLost(central_id, known, mine_acked, memory.handed_n, mine_pages, resent)
        audit.append(db, station_id=station_id, actor=None, action="sync.central_history_lost",
                     entity_type="sync_central", entity_id=central_id,
                     details={"central_acked": known, "station_acked": mine_acked,
                              "central_pages": memory.handed_n, "station_pages": mine_pages,
                              "resent": resent, "words": lost.words()})
    log.warning("%s", lost.words())
    return lost
