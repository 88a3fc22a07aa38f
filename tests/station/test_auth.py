"""Signing in at the station: badge + PIN, roles, and what a wrong PIN reveals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.auth import AuthService, hash_pin, verify_pin
from station.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from station.models import AuditEvent, Operator, Role
from tests.helpers.builders import add_operator, make_context


def test_pin_hash_is_scrypt_salted_and_verifies():
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert verify_pin("4321", first) and not verify_pin("4322", first)
    assert not verify_pin("4321", "md5$garbage")


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", ""])
def test_pins_that_are_not_4_to_12_digits_are_refused(pin):
    with pytest.raises(InvalidInput, match="4 to 12 digits"):
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


class TestOperators:
    def test_first_admin_bootstraps_then_only_admins_add(self, session_factory):
        auth = AuthService(make_context(session_factory))
        admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="9999")
        clerk = auth.create_operator(admin, badge="EMP1001", name="Clerk", role=Role.CLERK, pin="1234")
        with pytest.raises(AuthenticationFailed):
            auth.create_operator(None, badge="EMP1002", name="Sneaky", role=Role.ADMIN, pin="1111")
        with pytest.raises(PermissionDenied, match="may not manage operators"):
            auth.create_operator(clerk, badge="EMP1003", name="X", role=Role.ADMIN, pin="1111")

    def test_badge_in_use_is_refused(self, session_factory):
        auth = AuthService(make_context(session_factory))
        admin = auth.create_operator(None, badge="EMP9001", name="Admin", role=Role.ADMIN, pin="9999")
        with pytest.raises(InvalidInput, match="already in use"):
            auth.create_operator(admin, badge="emp9001", name="Twin", role=Role.CLERK, pin="1234")
