"""Signing in at the station: badge + PIN, roles, and what a wrong PIN reveals."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from station.core.db import make_engine, make_session_factory
from station.core.errors import AuthenticationFailed, ConfigError, InvalidInput, NotFound, PermissionDenied
from station.models import AuditEvent, Operator, Role
from station.operators.service import AuthService, hash_pin, verify_pin
from tests.helpers.builders import Clock, add_operator, make_context


def test_pin_hash_is_scrypt_salted_and_verifies():
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first.startswith("scrypt$32768$8$1$") and first != second
    assert verify_pin("4321", first) and not verify_pin("4322", first)
    assert not verify_pin("4321", "md5$garbage")


@pytest.mark.parametrize("pin", ["１２３４", "١٢٣٤", "²³⁴⁵", "12３4"])
def test_pins_of_unicode_digits_are_refused(pin):
    with pytest.raises(InvalidInput, match="digits 0-9 only"):
        hash_pin(pin)


@pytest.mark.parametrize("pin", ["12", "1234567890123"])
def test_pins_that_are_not_4_to_12_digits_are_refused(pin):
    with pytest.raises(InvalidInput, match="4 to 12 digits"):
        hash_pin(pin)


@pytest.mark.parametrize("pin", ["abcd", ""])
def test_pins_that_are_not_digits_are_refused(pin):
    with pytest.raises(InvalidInput, match="digits 0-9 only"):
        hash_pin(pin)


class TestSignIn:
    @pytest.fixture
    def auth(self, session_factory):
        with session_factory.begin() as db:
            add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
        return AuthService(make_context(session_factory))

    def test_clerk_signs_in_with_badge_and_pin(self, auth):
        actor = auth.sign_in("emp1001 ", "1234")
        assert (actor.badge, actor.name, actor.role) == ("EMP1001", "Zhang Min", Role.CLERK)

    @pytest.mark.parametrize("badge, pin", [("EMP1001", "9999"), ("EMP7777", "1234")])
    def test_wrong_badge_or_pin_get_the_same_message(self, auth, badge, pin):
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in(badge, pin)
        assert str(err.value) == "Badge or PIN not recognised. Scan your badge and enter your PIN again."

    def test_failed_sign_in_is_audited(self, auth, session_factory):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in("EMP1001", "0000")
        with session_factory() as db:
            assert db.scalar(select(AuditEvent.action)) == "auth.sign_in_failed"

    def test_blocked_operator_cannot_sign_in(self, auth, session_factory):
        with session_factory.begin() as db:
            db.scalar(select(Operator)).active = False
        with pytest.raises(AuthenticationFailed):
            auth.sign_in("EMP1001", "1234")

    @pytest.mark.parametrize("pin", ["１２３４", "١٢٣٤"])
    def test_pin_typed_in_unicode_digits_gets_a_clear_message(self, auth, pin):
        with pytest.raises(InvalidInput) as err:
            auth.sign_in("EMP1001", pin)
        assert str(err.value).startswith("A PIN is digits 0-9 only.")

    def test_pin_hashed_at_the_old_cost_signs_in_and_is_rehashed(self, auth, session_factory):
        with session_factory.begin() as db:
            db.scalar(select(Operator)).pin_hash = hash_pin("1234", n=2**14)
        auth.sign_in("EMP1001", "1234")
        with session_factory() as db:
            stored = db.scalar(select(Operator.pin_hash))
            actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert stored.startswith("scrypt$32768$8$1$") and verify_pin("1234", stored)
        assert actions == ["operator.pin_rehashed", "auth.signed_in"]
        auth.sign_in("EMP1001", "1234")  # already at today's cost: not rehashed again
        with session_factory() as db:
            assert db.scalar(select(Operator.pin_hash)) == stored


class TestOperators:
    def test_first_admin_bootstraps_then_only_admins_add(self, session_factory):
        auth = AuthService(make_context(session_factory))
        admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="999999")
        clerk = auth.create_operator(admin, badge="EMP1001", name="Clerk", role=Role.CLERK, pin="1234")
        with pytest.raises(AuthenticationFailed):
            auth.create_operator(None, badge="EMP1002", name="Sneaky", role=Role.ADMIN, pin="111111")
        with pytest.raises(PermissionDenied, match="may not manage operators"):
            auth.create_operator(clerk, badge="EMP1003", name="X", role=Role.ADMIN, pin="111111")

    def test_badge_in_use_is_refused(self, session_factory):
        auth = AuthService(make_context(session_factory))
        admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="999999")
        with pytest.raises(InvalidInput, match="already in use"):
            auth.create_operator(admin, badge="emp9001", name="Twin", role=Role.CLERK, pin="1234")

    @pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
    def test_supervisor_and_admin_pins_shorter_than_6_digits_are_refused(self, session_factory, role):
        auth = AuthService(make_context(session_factory))
        admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="999999")
        with pytest.raises(InvalidInput, match=f"(A|An) {role.value}'s PIN is at least 6 digits"):
            auth.create_operator(admin, badge="EMP3001", name="Chen Jing", role=role, pin="34567")
        auth.create_operator(admin, badge="EMP1001", name="Zhang Min", role=Role.CLERK, pin="1234")
        auth.create_operator(admin, badge="EMP3001", name="Chen Jing", role=role, pin="345678")

    def test_first_admin_needs_a_6_digit_pin_too(self, session_factory):
        auth = AuthService(make_context(session_factory))
        with pytest.raises(InvalidInput, match="at least 6 digits"):
            auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="9999")


def test_site_policy_sets_how_long_pins_must_be(tmp_path, session_factory):
    from station.core.return_policy import SHIPPED, read_policy_file

    site = tmp_path / "policy.toml"
    site.write_text(SHIPPED.read_text(encoding="utf-8").replace(
        "min_length_supervisor = 6", "min_length_supervisor = 8").replace("min_length = 4", "min_length = 5"),
        encoding="utf-8")
    policy = read_policy_file(site)
    auth = AuthService(replace(make_context(session_factory), policy=policy))
    with pytest.raises(InvalidInput, match="An admin's PIN is at least 8 digits"):
        auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="999999")
    admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="99999999")
    with pytest.raises(InvalidInput, match="A clerk's PIN is at least 5 digits"):
        auth.create_operator(admin, badge="EMP1001", name="Zhang Min", role=Role.CLERK, pin="1234")
    site.write_text(SHIPPED.read_text(encoding="utf-8").replace("min_length = 4", "min_length = 3"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="pins.min_length must be 4 to 12, not 3"):
        read_policy_file(site)


WRONG = "0000"


def wrong_pin(auth, clock, badge="EMP1001"):
    """One wrong PIN, then wait out whatever delay it earned."""
    with pytest.raises(AuthenticationFailed) as err:
        auth.sign_in(badge, WRONG)
    clock.advance(seconds=getattr(err.value, "retry_after_s", 0))
    return err.value


class TestWrongPinThrottle:
    @pytest.fixture
    def clock(self):
        return Clock()

    @pytest.fixture
    def auth(self, session_factory, clock):
        with session_factory.begin() as db:
            add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
            add_operator(db, Role.SUPERVISOR, badge="EMP3001", name="Chen Jing", pin="345678")
        return AuthService(make_context(session_factory, clock))

    def test_waits_grow_after_three_wrong_pins_then_the_badge_locks(self, auth, clock):
        waits = [getattr(wrong_pin(auth, clock), "retry_after_s", 0) for _ in range(9)]
        assert waits == [0, 0, 0, 5, 10, 20, 40, 60, 60]
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in("EMP1001", WRONG)
        assert str(err.value).startswith("Locked: ask a supervisor.") and err.value.locked

    def test_during_the_wait_even_the_right_pin_is_not_checked(self, auth, clock):
        for _ in range(3):
            wrong_pin(auth, clock)
        with pytest.raises(AuthenticationFailed) as err:
            auth.sign_in("EMP1001", WRONG)
        assert str(err.value) == "Badge or PIN not recognised. Too many wrong PINs — try again in 5 s."
        clock.advance(seconds=2)
        with pytest.raises(AuthenticationFailed, match="Too many wrong PINs — try again in 3 s."):
            auth.sign_in("EMP1001", "1234")
        clock.advance(seconds=3)
        assert auth.sign_in("EMP1001", "1234").badge == "EMP1001"

    def test_a_correct_pin_starts_the_count_again(self, auth, clock, session_factory):
        for _ in range(3):
            wrong_pin(auth, clock)
        auth.sign_in("EMP1001", "1234")
        for _ in range(3):
            assert wrong_pin(auth, clock).code == "authentication_failed"  # free again, no wait
        assert wrong_pin(auth, clock).retry_after_s == 5  # the fourth in a row, counted from zero

    def test_locked_badge_refuses_the_right_pin_until_a_supervisor_unlocks(self, auth, clock, session_factory):
        for _ in range(10):
            wrong_pin(auth, clock)
        clock.advance(hours=24)
        with pytest.raises(AuthenticationFailed, match="Locked: ask a supervisor"):
            auth.sign_in("EMP1001", "1234")
        supervisor = auth.sign_in("EMP3001", "345678")
        assert auth.unlock(supervisor, "emp1001") == 10
        assert auth.sign_in("EMP1001", "1234").badge == "EMP1001"
        with session_factory() as db:
            unlocked = db.scalars(select(AuditEvent).where(AuditEvent.action == "auth.unlocked")).one()
            actions = db.scalars(select(AuditEvent.action)).all()
        assert (unlocked.operator_badge, unlocked.entity_id) == ("EMP3001", "EMP1001")
        assert unlocked.details == {"scope": "badge", "key": "EMP1001", "failures": 10, "was_locked": True}
        assert actions.count("auth.locked") == 1 and actions.count("auth.sign_in_failed") == 10

    def test_clerk_may_not_unlock(self, auth, clock):
        for _ in range(10):
            wrong_pin(auth, clock, badge="EMP3001")
        clerk = auth.sign_in("EMP1001", "1234")
        with pytest.raises(PermissionDenied, match="may not unlock a badge"):
            auth.unlock(clerk, "EMP3001")

    def test_unlocking_a_badge_with_no_wrong_pins_says_so(self, auth):
        supervisor = auth.sign_in("EMP3001", "345678")
        with pytest.raises(NotFound, match="Badge EMP1001 has no wrong PINs"):
            auth.unlock(supervisor, "EMP1001")

    def test_unknown_badge_is_throttled_like_a_real_one(self, auth, clock):
        waits = [getattr(wrong_pin(auth, clock, badge="EMP7777"), "retry_after_s", 0) for _ in range(5)]
        assert waits == [0, 0, 0, 5, 10]

    def test_guessing_across_badges_slows_the_whole_station(self, auth, clock):
        for n in range(10):
            wrong_pin(auth, clock, badge=f"EMP{5000 + n}")
        error = wrong_pin(auth, clock, badge="EMP6000")
        assert error.retry_after_s == 5
        clock.advance(seconds=-5)
        with pytest.raises(AuthenticationFailed, match="try again in 5 s"):
            auth.sign_in("EMP1001", "1234")

    def test_locked_station_lets_only_a_supervisor_in_to_unlock_it(self, auth, clock):
        for n in range(50):
            wrong_pin(auth, clock, badge=f"EMP{5000 + n % 40}")
        with pytest.raises(AuthenticationFailed, match="Locked: ask a supervisor"):
            auth.sign_in("EMP1001", "1234")
        supervisor = auth.sign_in("EMP3001", "345678")
        assert auth.unlock(supervisor, station=True) == 50
        assert auth.sign_in("EMP1001", "1234").badge == "EMP1001"


def test_lock_survives_a_restart_of_the_station(sqlite_engine, sqlite_url):
    clock = Clock()
    with make_session_factory(sqlite_engine).begin() as db:
        add_operator(db, Role.CLERK, badge="EMP1001", name="Zhang Min", pin="1234")
    auth = AuthService(make_context(make_session_factory(sqlite_engine), clock))
    for _ in range(5):
        wrong_pin(auth, clock)
    clock.advance(seconds=-10)  # the 5th wrong PIN asked for 10 s; 0 of them have passed
    sqlite_engine.dispose()

    restarted = make_engine(sqlite_url)
    try:
        auth = AuthService(make_context(make_session_factory(restarted), clock))
        with pytest.raises(AuthenticationFailed, match="try again in 10 s"):
            auth.sign_in("EMP1001", "1234")
        clock.advance(seconds=10)
        for _ in range(5):
            wrong_pin(auth, clock)
        with pytest.raises(AuthenticationFailed, match="Locked: ask a supervisor"):
            auth.sign_in("EMP1001", "1234")
    finally:
        restarted.dispose()
