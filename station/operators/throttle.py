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
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

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


def record_failure(db: Session, scope: str, key: str, now: dt.datetime) -> tuple[ThrottleState, bool]:
    """Count one more wrong PIN; the new state and whether this failure locked it."""
    row = db.get(SignInThrottle, (scope, key))
    if row is None:
        row = SignInThrottle(scope=scope, key=key, failures=0)
        db.add(row)
    row.failures += 1
    row.last_failure_at = now
    newly_locked = row.locked_at is None and row.failures >= RULES[scope].lock_at
    if newly_locked:
        row.locked_at = now
    db.flush()
    return state_of(row, scope, key, now), newly_locked


def forgive(db: Session, scope: str, key: str) -> int:
    """A correct PIN (or a supervisor's unlock): the count starts again. Returns the old count."""
    row = db.get(SignInThrottle, (scope, key))
    if row is None:
        return 0
    failures = row.failures
    db.delete(row)
    db.flush()
    return failures
