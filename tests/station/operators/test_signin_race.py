"""Wrong PINs typed at once, from many threads: each one is counted before its PIN is checked.

A probe once sent 20 wrong PINs for one badge in parallel: 12 were checked within a second,
because each read "no failures yet" before any had been counted. Every test here fires real
threads at the same moment against a real SQLite file and the real PostgreSQL, with the
clock held still, and reads the answer from the audit log: ``auth.sign_in_failed`` is a PIN
that was checked, ``auth.sign_in_refused`` one turned away unchecked.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from station.core.errors import AuthenticationFailed
from station.models import AuditEvent, Role
from station.models.people import SignInThrottle
from station.operators.service import AuthService
from station.operators.throttle import BADGE_RULE, STATION_RULE
from tests.helpers.builders import Clock, add_operator, make_context

WRONG = "0000"
PARALLEL = 20


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(session_factory, clock) -> AuthService:
    with session_factory.begin() as db:
        add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
    return AuthService(make_context(session_factory, clock))


def at_once(attempt: Callable[[int], None], n: int = PARALLEL) -> list[BaseException]:
    """Run ``attempt(i)`` in ``n`` threads released together; what each raised."""
    start = threading.Barrier(n)
    raised: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            attempt(i)
        except BaseException as exc:  # noqa: BLE001 - collected and judged by the test
            raised.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    return raised


def audited(session_factory) -> Counter:
    with session_factory() as db:
        return Counter(dict(db.execute(select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all()))


def checked_now(session_factory, before: Counter) -> int:
    """PINs checked since ``before``: each one left an ``auth.sign_in_failed`` event."""
    return audited(session_factory)["auth.sign_in_failed"] - before["auth.sign_in_failed"]


def wrong_pins_at_once(auth: AuthService, session_factory, badge: Callable[[int], str]) -> int:
    """20 wrong PINs in parallel; how many were checked. Every one is refused."""
    before = audited(session_factory)
    raised = at_once(lambda i: auth.sign_in(badge(i), WRONG))
    assert len(raised) == PARALLEL and all(isinstance(e, AuthenticationFailed) for e in raised), raised
    return checked_now(session_factory, before)


def throttle_row(session_factory, scope: str, key: str) -> SignInThrottle | None:
    with session_factory() as db:
        return db.get(SignInThrottle, (scope, key))


class TestOneBadgeGuessedFromManyThreads:
    def test_twenty_wrong_pins_at_once_check_only_the_free_ones_and_the_first_that_waits(
            self, auth, session_factory):
        assert wrong_pins_at_once(auth, session_factory, lambda i: "EMP1001") == BADGE_RULE.free + 1
        row = throttle_row(session_factory, "badge", "EMP1001")
        assert row is not None and row.failures == BADGE_RULE.free + 1 and row.locked_at is None

    def test_waves_of_wrong_pins_end_exactly_at_the_lock_and_none_skips_a_wait(self, auth, session_factory, clock):
        checked = [wrong_pins_at_once(auth, session_factory, lambda i: "EMP1001")]
        while True:
            row = throttle_row(session_factory, "badge", "EMP1001")
            if row.locked_at is not None:
                break
            wait = BADGE_RULE.wait_after(row.failures)
            clock.advance(seconds=wait - 1)  # a second early: nothing may be checked
            assert wrong_pins_at_once(auth, session_factory, lambda i: "EMP1001") == 0
            clock.advance(seconds=1)
            checked.append(wrong_pins_at_once(auth, session_factory, lambda i: "EMP1001"))
        assert checked == [BADGE_RULE.free + 1] + [1] * (BADGE_RULE.lock_at - BADGE_RULE.free - 1)
        assert row.failures == BADGE_RULE.lock_at
        clock.advance(hours=24)
        assert wrong_pins_at_once(auth, session_factory, lambda i: "EMP1001") == 0
        events = audited(session_factory)
        assert events["auth.sign_in_failed"] == BADGE_RULE.lock_at and events["auth.locked"] == 1

    def test_the_right_pin_among_wrong_ones_signs_in_or_is_turned_away_unchecked(self, auth, session_factory):
        """The clerk types the right PIN while a guesser fires 19 wrong ones: the clerk is
        signed in, or turned away unchecked like the guesser; never told the right PIN is
        wrong. A sign-in starts the count again, so at most one more run of free PINs."""
        outcome: dict[int, object] = {}

        def attempt(i: int) -> None:
            try:
                outcome[i] = auth.sign_in("EMP1001", "1234" if i == 0 else WRONG)
            except AuthenticationFailed as refused:
                outcome[i] = refused

        assert at_once(attempt) == []
        clerk = outcome[0]
        if isinstance(clerk, AuthenticationFailed):
            assert str(clerk).startswith("Too many wrong PINs"), clerk
        else:
            assert clerk.badge == "EMP1001"
        assert all(isinstance(outcome[i], AuthenticationFailed) for i in range(1, PARALLEL))
        assert audited(session_factory)["auth.sign_in_failed"] <= 2 * (BADGE_RULE.free + 1) - 1


class TestManyBadgesGuessedAtOneStation:
    def test_twenty_badges_at_once_check_only_the_station_s_free_ones_and_one_more(
            self, auth, session_factory, clock):
        assert wrong_pins_at_once(auth, session_factory, lambda i: f"EMP{5000 + i}") == STATION_RULE.free + 1
        clock.advance(seconds=STATION_RULE.wait_after(STATION_RULE.free + 1) - 1)
        assert wrong_pins_at_once(auth, session_factory, lambda i: f"EMP{6000 + i}") == 0
        clock.advance(seconds=1)
        assert wrong_pins_at_once(auth, session_factory, lambda i: f"EMP{7000 + i}") == 1
        row = throttle_row(session_factory, "station", "DOCK01")
        assert row.failures == STATION_RULE.free + 2
