"""The station's audit chain, anchored on central: an append-only copy the station cannot rewrite.

As Certificate Transparency logs are checked against a copy the log operator cannot change,
every station pushes its audit events to ``sync_audit_events`` on central, after the outbox
in each push. PostgreSQL (central migration c002) keeps that copy append-only and accepts
only events that extend the newest one it holds for the station (its *head*). So:

- deleting or editing an event that central already has, and re-chaining everything after
  it (even with the station's key), leaves a chain that no longer contains central's head:
  the next push is refused, the refusal is recorded on central (``sync_audit_refusals``) and
  shown in the station's sync status; ``rma-station audit verify`` names the first event that
  differs from central's copy;
- events central has not seen yet (a station offline, or a push not yet run) are the window
  in which someone holding the database *and* the key could still rewrite history unseen;
  ``audit verify`` counts them.

A refused chain holds back only the audit events: receipts, inspections and the rest keep
syncing, and every sync round says why the audit log is not going through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from station.audit.chain import GENESIS, ChainBreak
from station.audit.rows import COLUMNS, PLAIN, ChainRow, read_chain, time_text, uuid_text
from station.core.db import READ_ONLY
from station.core.errors import SyncConflict
from station.sync.bulk import copy_rows
from station.sync.central_schema import audit_copies, audit_refusals

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
CHAIN_CONSTRAINT = "sync_audit_chain_extends_head"
NEXT_STEP = ("Receipts and other records still sync; only the audit log is held back. An admin must find "
             "out who changed this station's audit log (docs/security.md, \"When central refuses a chain\").")

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class AuditChainRefused(SyncConflict):
    """Central will not take this station's audit chain: it does not extend what central holds."""

    code = "audit_chain_refused"


@dataclass(frozen=True)
class CentralHead:
    """The newest event central holds for a station (seq 0 and the genesis hash: none yet)."""

    seq: int = 0
    hash: str = GENESIS
    hash_scheme: str = PLAIN


@dataclass
class AnchorReport:
    sent: int = 0
    refused: str = ""


def _lock(conn: Connection, station_id: str) -> None:
    """The lock c002's trigger takes too: one pusher per station extends its head at a time."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                 {"k": f"sync_audit_events:{station_id}"})


def central_head(conn: Connection, station_id: str) -> CentralHead:
    c = audit_copies.c
    row = conn.execute(select(c.seq, c.hash, c.hash_scheme).where(c.pushed_by == station_id)
                       .order_by(c.seq.desc()).limit(1)).first()
    return CentralHead(int(row[0]), str(row[1]), str(row[2])) if row else CentralHead()


def _local_events(local: Engine, head: CentralHead, limit: int) -> tuple[ChainRow | None, int, list[ChainRow]]:
    """The local event at central's head, the newest local seq, and up to ``limit`` events after the head."""
    with local.connect() as conn:
        conn = conn.execution_options(**READ_ONLY)
        found = list(read_chain(conn, after=head.seq - 1, upto=head.seq)) if head.seq else []
        at_head = ChainRow(*found[0]) if found else None
        newest: int = conn.execute(text("SELECT coalesce(max(seq), 0) FROM audit_events")).scalar_one()
        after = [ChainRow(*r) for r in read_chain(conn, after=head.seq, limit=limit)]
        conn.rollback()
    return at_head, int(newest), after


def why_refused(head: CentralHead, at_head: ChainRow | None, newest: int, after: list[ChainRow]) -> str:
    """Why the local chain does not extend central's head, in words; empty if it does."""
    if head.seq:
        if at_head is None:
            if newest < head.seq:
                return (f"Central holds this station's audit events up to #{head.seq}, but the audit log here ends "
                        f"at #{newest}: events were deleted here after they were sent (or the database was "
                        f"replaced).")
            return (f"Event #{head.seq}, the newest central holds, is missing from the audit log here: it was "
                    f"deleted after it was sent.")
        if at_head.hash != head.hash:
            return (f"Event #{head.seq} here is not the event central holds as #{head.seq}: the audit log was "
                    f"rewritten after it was sent.")
    if after and after[0].prev_hash != head.hash:
        return (f"Event #{after[0].seq} does not follow event #{head.seq}, the newest central holds: the audit "
                f"log was rewritten after it was sent.")
    return ""


def _copy_row(station_id: str, row: ChainRow) -> tuple[object, ...]:
    return (station_id, row.seq, row.id, row.at, row.station_id, row.operator_id, row.operator_badge, row.action,
            row.entity_type, row.entity_id, _ENCODE(row.details), row.prev_hash, row.hash, row.hash_scheme)


def _constraint(exc: BaseException) -> str:
    """The constraint a database error names (c002's trigger names ``CHAIN_CONSTRAINT``)."""
    diag = getattr(getattr(exc, "orig", None) or exc, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def has_anchor(central: Engine) -> bool:
    return inspect(central).has_table(audit_copies.name)


def push_audit_chain(local: Engine, central: Engine, station_id: str, *, batch_size: int = BATCH_SIZE) -> AnchorReport:
    """Send the audit events central has not seen, batch by batch, each batch in one central
    transaction that central's trigger checks. A refusal is recorded on central and returned."""
    report = AnchorReport()
    if not has_anchor(central):
        report.refused = ("The central database has no audit anchor yet, so this station's audit log is not "
                          "being sent. Run `rma-station central init --url URL` once.")
        return report
    while True:
        head, at_head, after = CentralHead(), None, list[ChainRow]()
        try:
            with central.begin() as conn:
                _lock(conn, station_id)
                head = central_head(conn, station_id)
                at_head, newest, after = _local_events(local, head, batch_size)
                reason = why_refused(head, at_head, newest, after)
                if reason:
                    raise AuditChainRefused(reason)
                if not after:
                    break
                copy_rows(conn, audit_copies.name, ("pushed_by", *COLUMNS),
                          (_copy_row(station_id, r) for r in after))
        except AuditChainRefused as exc:
            report.refused = _refused(central, station_id, head, after[0] if after else at_head, exc.message)
            break
        except Exception as exc:  # SQLAlchemy's IntegrityError, or psycopg's own from COPY
            if _constraint(exc) != CHAIN_CONSTRAINT:
                raise
            words = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            report.refused = _refused(central, station_id, head, after[0] if after else None,
                                      f"Central refused the audit log: {words}.")
            break
        report.sent += len(after)
        if len(after) < batch_size:
            break
    if report.sent:
        log.info("audit anchor: %d event(s) of %s now on central", report.sent, station_id)
    return report


def _refused(central: Engine, station_id: str, head: CentralHead, first: ChainRow | None, reason: str) -> str:
    """Record the refusal on central (once per distinct chain) and return the status-line words."""
    log.warning("audit chain of %s refused by central: %s", station_id, reason)
    with central.begin() as conn:
        conn.execute(pg_insert(audit_refusals).values(
            pushed_by=station_id, central_seq=head.seq, central_hash=head.hash,
            station_seq=first.seq if first else 0, station_hash=first.hash if first else "",
            reason=reason).on_conflict_do_nothing())
    return f"Central refused this station's audit log. {reason} {NEXT_STEP}"


# -- comparing with central (audit verify) ----------------------------------------------------


def _central_rows(conn: Connection, station_id: str) -> Iterator[ChainRow]:
    c = audit_copies.c
    query = (select(c.seq, c.id, c.at, c.station_id, c.operator_id, c.operator_badge, c.action, c.entity_type,
                    c.entity_id, c.details, c.prev_hash, c.hash, c.hash_scheme)
             .where(c.pushed_by == station_id).order_by(c.seq))
    for r in conn.execution_options(yield_per=5000).execute(query):
        yield ChainRow(r[0], uuid_text(r[1]) or "", time_text(r[2]), r[3], uuid_text(r[4]), r[5], r[6], r[7], r[8],
                       r[9], r[10], r[11], r[12])


@dataclass(frozen=True)
class AnchorCheck:
    """The station's chain compared with central's copy of it.

    ``first_difference`` names the first event central holds that is missing or different
    here (or an event here that central skipped); ``unsent`` counts the local events after
    central's head, which no one outside the station has seen yet.
    """

    station_id: str
    central_events: int
    head: CentralHead
    first_difference: ChainBreak | None
    differences: int
    unsent: int
    oldest_unsent_at: str | None
    refusals: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.first_difference is None


def compare_with_central(local: Connection, central: Connection, station_id: str) -> AnchorCheck:
    """Walk both chains in seq order at once (a merge; neither is held in memory)."""
    mine = map(ChainRow._make, read_chain(local))
    here = next(mine, None)
    first: ChainBreak | None = None
    differences = held = 0
    head = CentralHead()

    def differ(seq: int, problem: str) -> None:
        nonlocal first, differences
        differences += 1
        if first is None:
            first = ChainBreak(seq, problem)

    for theirs in _central_rows(central, station_id):
        held += 1
        head = CentralHead(theirs.seq, theirs.hash, theirs.hash_scheme)
        while here is not None and here.seq < theirs.seq:
            differ(here.seq, "is here but not on central, although central holds later events: it was inserted "
                             "after they were sent")
            here = next(mine, None)
        if here is None or here.seq > theirs.seq:
            differ(theirs.seq, f"({theirs.action} at {theirs.at[:19]}) is on central but missing here: it was "
                               "deleted after it was sent")
            continue
        if here != theirs:
            fields = ", ".join(name for name, a, b in zip(ChainRow._fields, here, theirs) if a != b)
            differ(theirs.seq, f"differs from central's copy ({fields}): it was changed after it was sent")
        here = next(mine, None)
    unsent, oldest = 0, None
    while here is not None:
        unsent += 1
        oldest = oldest or here.at
        here = next(mine, None)
    r = audit_refusals.c
    refusals: tuple[str, ...] = tuple(central.execute(select(r.reason).where(r.pushed_by == station_id)
                                     .order_by(r.id.desc()).limit(3)).scalars())
    return AnchorCheck(station_id, held, head, first, differences, unsent, oldest, refusals)


def count_on_central(conn: Connection, station_id: str) -> int:
    return int(conn.execute(select(func.count()).select_from(audit_copies)
                            .where(audit_copies.c.pushed_by == station_id)).scalar_one())


__all__ = ["AnchorCheck", "AnchorReport", "AuditChainRefused", "CentralHead", "central_head", "compare_with_central",
           "count_on_central", "has_anchor", "push_audit_chain", "why_refused"]
