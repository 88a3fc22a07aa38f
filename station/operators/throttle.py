"""How long a badge or a station must wait after wrong PINs, and when it locks.

NIST SP 800-63B (5.2.2) asks a verifier to limit consecutive failed attempts on one account to
no more than 100, and allows delays before that. A 4-digit PIN has only 10,000 values, so the
station is much stricter: a few free mistakes (a typo, a gloved finger), then a wait that
doubles with each further wrong PIN, then a lock that only a supervisor or admin lifts.

The counts live in the station's database (``SignInThrottle`` rows), so closing the window
or restarting the machine does not reset them. A badge's count covers that badge at this
station; the station's count covers every badge typed here, so a guesser who walks through
many badges is slowed down too. The station's lock does not stop a supervisor or admin who
types a correct PIN (someone has to be able to lift it).

An attempt is counted as a wrong PIN before its PIN is checked, in the transaction that
judges it (``admit``), and forgiven when the PIN is right: judged first and counted after
the check, twenty attempts typed at once all passed as the first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.models.people import SignInThrottle

BADGE = "badge"
STATION = "station"


@dataclass(frozen=True)
class ThrottleRule:
    """``free`` failures cost nothing; each one after waits ``base_s`` doubled, at most
    ``cap_s``; the ``lock_at``-th consecutive failure locks."""

    free: int
    base_s: float
    cap_s: float
    lock_at: int

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` consecutive wrong PINs."""
        if failures <= self.free:
            return 0.0
        return min(self.base_s * 2 ** (failures - self.free - 1), self.cap_s)


# A badge: 3 free, then 5, 10, 20, 40, 60, 60 s, locked at the 10th wrong PIN in a row.
BADGE_RULE = ThrottleRule(free=3, base_s=5, cap_s=60, lock_at=10)
# The station: 10 free (several people sign in at one desk), then 5 s doubling up to 5 min,
# locked at the 50th. Well under NIST's 100 either way.
STATION_RULE = ThrottleRule(free=10, base_s=5, cap_s=300, lock_at=50)
RULES = {BADGE: BADGE_RULE, STATION: STATION_RULE}


@dataclass(frozen=True)
class ThrottleState:
    """Where one badge or station stands: ``locked``, or ``wait_s`` seconds to go (0: free)."""

    scope: str
    key: str
    failures: int
    locked: bool
    wait_s: float

    @property
    def wait_whole_s(self) -> int:
        return math.ceil(self.wait_s)


def state_of(row: SignInThrottle | None, scope: str, key: str, now: dt.datetime) -> ThrottleState:
    if row is None or row.failures == 0:
        return ThrottleState(scope, key, 0, False, 0.0)
    if row.locked_at is not None:
        return ThrottleState(scope, key, row.failures, True, 0.0)
    wait = RULES[scope].wait_after(row.failures)
    last = row.last_failure_at or now
    left = max(0.0, (last + dt.timedelta(seconds=wait) - now).total_seconds())
    return ThrottleState(scope, key, row.failures, False, left)


def look(db: Session, scope: str, key: str, now: dt.datetime) -> ThrottleState:
    return state_of(db.get(SignInThrottle, (scope, key)), scope, key, now)


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the throttle judged it, counted before its PIN is checked.

    ``refused_by`` is the badge's or station's state that turned it away unchecked (and
    uncounted); otherwise ``by_badge`` and ``at_station`` hold the counts with this attempt
    in them, and ``newly_locked`` the states this attempt locked (audited if the PIN is wrong).
    """

    by_badge: ThrottleState
    at_station: ThrottleState
    refused_by: ThrottleState | None = None
    station_was_locked: bool = False
    newly_locked: tuple[ThrottleState, ...] = ()


def admit(db: Session, badge: str, station: str, now: dt.datetime, *, may_pass_station_lock: bool) -> Attempt:
    """Judge one attempt and count it as a wrong PIN, in one step nobody can slip between.

    The judging and the counting happen on locked rows: on SQLite the station's write
    transactions begin IMMEDIATE (the write lock is held from the first read), on PostgreSQL
    the rows are read FOR UPDATE. So twenty attempts at once are judged one after another,
    each seeing the ones before it counted, and only as many PINs are checked as the rules
    allow. The caller forgives the count when the PIN turns out right. ``may_pass_station_lock``:
    the badge is a supervisor's or admin's, whom the station's lock does not stop.
    """
    for _ in range(3):
        try:
            with db.begin_nested():
                return _admit_once(db, badge, station, now, may_pass_station_lock)
        except IntegrityError:  # another attempt counted the first wrong PIN of a key just now
            continue
    return _admit_once(db, badge, station, now, may_pass_station_lock)


def _admit_once(db: Session, badge: str, station: str, now: dt.datetime, may_pass_station_lock: bool) -> Attempt:
    badge_row, station_row = _locked_row(db, BADGE, badge), _locked_row(db, STATION, station)
    by_badge = state_of(badge_row, BADGE, badge, now)
    at_station = state_of(station_row, STATION, station, now)
    if by_badge.locked or by_badge.wait_s > 0:
        return Attempt(by_badge, at_station, refused_by=by_badge)
    if at_station.wait_s > 0 or (at_station.locked and not may_pass_station_lock):
        return Attempt(by_badge, at_station, refused_by=at_station)
    newly_locked = []
    by_badge, locks = _count(db, badge_row, BADGE, badge, now)
    if locks:
        newly_locked.append(by_badge)
    station_was_locked = at_station.locked
    if not station_was_locked:  # a locked station (a supervisor came to lift it) counts no more
        at_station, locks = _count(db, station_row, STATION, station, now)
        if locks:
            newly_locked.append(at_station)
    db.flush()
    return Attempt(by_badge, at_station, station_was_locked=station_was_locked, newly_locked=tuple(newly_locked))


def _count(db: Session, row: SignInThrottle | None, scope: str, key: str,
           now: dt.datetime) -> tuple[ThrottleState, bool]:
    """One more wrong PIN on ``row`` (created if missing); the new state and whether it locked."""
    if row is None:
        row = SignInThrottle(scope=scope, key=key, failures=0)
        db.add(row)
    row.failures += 1
    row.last_failure_at = now
    locks = row.locked_at is None and row.failures >= RULES[scope].lock_at
    if locks:
        row.locked_at = now
    return state_of(row, scope, key, now), locks


def _locked_row(db: Session, scope: str, key: str) -> SignInThrottle | None:
    """The row, locked for this transaction (PostgreSQL; SQLite already holds its write lock)."""
    query = select(SignInThrottle).where(SignInThrottle.scope == scope, SignInThrottle.key == key)
    return db.scalars(query.with_for_update().execution_options(populate_existing=True)).one_or_none()


def forgive(db: Session, scope: str, key: str) -> int:
    """A correct PIN (or a supervisor's unlock): the count starts again. Returns the old count."""
    row = db.get(SignInThrottle, (scope, key))
    if row is None:
        return 0
    failures = row.failures
    db.delete(row)
    db.flush()
    return failures
