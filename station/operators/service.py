"""Badge + PIN sign-in, wrong-PIN throttling, and operator management.

PINs are hashed with scrypt (memory-hard, in the standard library). The stored string names
its parameters (``scrypt$n$r$p$salt$hash``), so the cost can be raised and old hashes still
verify; a hash made with a lower cost is replaced at the operator's next correct sign-in.
The hashes travel to every station (sign-in works offline), so the cost is what stands
between a stolen station database and the PINs: see docs/security.md (Sign-in and PINs).

A wrong badge and a wrong PIN give the same message, take the same time and are throttled the
same way, so the station does not tell a passer-by which badges exist. PINs are ASCII digits
0-9 only: ``"１２３４"`` and ``"²³⁴⁵"`` pass ``str.isdigit`` but no keypad types them.
"""

from __future__ import annotations

import functools
import logging
import uuid
from typing import NoReturn

from sqlalchemy import select

from station.core.context import Actor
from station.core.errors import AuthenticationFailed, InvalidInput, NotFound
from station.core.permissions import Permission
from station.core.return_policy import ReturnPolicy
from station.core.services import Service
from station.models import Operator, Role
from station.operators import throttle
from station.operators.pins import MIN_PIN_LENGTH, check_pin_shape, hash_pin, needs_rehash, verify_pin

log = logging.getLogger(__name__)

PRIVILEGED = (Role.SUPERVISOR, Role.ADMIN)


class SignInRefused(AuthenticationFailed):
    """Too many wrong PINs: wait ``retry_after_s`` seconds, or, when ``locked``, a supervisor."""

    code = "sign_in_throttled"

    def __init__(self, message: str, *, retry_after_s: int = 0, locked: bool = False,
                 next_step: str | None = None, zh: tuple[str, str] | None = None) -> None:
        super().__init__(message, next_step=next_step, zh=zh)
        self.retry_after_s = retry_after_s
        self.locked = locked


@functools.cache
def _decoy_hash() -> str:
    # Verified against when the badge is unknown or blocked, so those answers take as long.
    return hash_pin("0" * MIN_PIN_LENGTH)


def check_new_pin(pin: str, role: Role, policy: ReturnPolicy) -> None:
    """A PIN an operator of ``role`` may set under the site's policy."""
    check_pin_shape(pin)
    shortest = policy.pin_min_length_privileged if role in PRIVILEGED else policy.pin_min_length
    if len(pin) < shortest:
        article = "An" if role.value[0] in "aeiou" else "A"
        raise InvalidInput(f"{article} {role.value}'s PIN is at least {shortest} digits.",
                           next_step="Choose a longer PIN.")


NOT_RECOGNISED_ZH = ("工牌或 PIN 无法识别。", "请重新扫描工牌并输入 PIN。")


def _refusal(state: throttle.ThrottleState) -> SignInRefused:
    if state.locked:
        return SignInRefused("Locked: ask a supervisor.", locked=True,
                             next_step="Too many wrong PINs; a supervisor or admin can unlock.",
                             zh=("已锁定：请找主管。", "PIN 错误次数过多；主管或管理员可以解锁。"))
    return SignInRefused(f"Too many wrong PINs — try again in {state.wait_whole_s} s.",
                         retry_after_s=state.wait_whole_s,
                         zh=(f"PIN 错误次数过多，请 {state.wait_whole_s} 秒后再试。", ""))


class AuthService(Service):
    def sign_in(self, badge: str, pin: str) -> Actor:
        """The operator for this badge and PIN; the same refusal for any mismatch.

        Throttled per badge and per station (``station.operators.throttle``): each attempt is
        judged and counted as a wrong PIN in one transaction before its PIN is checked, so
        attempts made at the same moment cannot all pass as the first; a right PIN then
        forgives the count. While a badge or the station must wait, or is locked, the PIN is
        not even checked. Every attempt is audited, a refusal in a transaction of its own so
        raising does not roll the record back.
        """
        badge = badge.strip().upper()[:64]
        check_pin_shape(pin)
        with self.transaction() as db:
            # A blocked operator is answered like an unknown badge.
            operator = db.scalar(select(Operator).where(Operator.badge == badge, Operator.active.is_(True)))
            attempt = throttle.admit(db, badge, self.ctx.station_id, self.ctx.now(),
                                     may_pass_station_lock=operator is not None and operator.role in PRIVILEGED)
            if attempt.refused_by is not None:
                state = attempt.refused_by
                self.audit(db, None, "auth.sign_in_refused", "operators", badge,
                           {"badge": badge, "scope": state.scope, "locked": state.locked,
                            "wait_s": state.wait_whole_s})
            stored = operator.pin_hash if operator is not None else _decoy_hash()
            operator_id = operator.id if operator is not None else None
        if attempt.refused_by is not None:
            if attempt.refused_by.scope == throttle.STATION and attempt.refused_by.locked:
                # As long as a supervisor's check under the station's lock, so the time taken
                # does not tell which badges may pass it.
                verify_pin(pin, _decoy_hash())
            raise _refusal(attempt.refused_by)
        if verify_pin(pin, stored) and operator_id is not None:
            # Hashed at an older cost: hash it again now, outside the write transaction.
            new_hash = hash_pin(pin) if needs_rehash(stored) else None
            return self._signed_in(operator_id, new_hash, attempt.station_was_locked)
        self._failed(badge, attempt)

    def _signed_in(self, operator_id: uuid.UUID, new_hash: str | None, station_locked: bool) -> Actor:
        with self.transaction() as db:
            operator = db.get(Operator, operator_id)
            if operator is None or not operator.active:  # blocked in between
                raise AuthenticationFailed("Badge or PIN not recognised.",
                                           next_step="Scan your badge and enter your PIN again.", zh=NOT_RECOGNISED_ZH)
            actor = Actor.of(operator)
            # The count holds this attempt too (counted before the check): not a wrong PIN.
            failures = max(0, throttle.forgive(db, throttle.BADGE, operator.badge) - 1)
            if not station_locked:
                throttle.forgive(db, throttle.STATION, self.ctx.station_id)
            if new_hash is not None and needs_rehash(operator.pin_hash):
                old = operator.pin_hash.rsplit("$", 2)[0]  # the parameters, not the salt or hash
                operator.pin_hash = new_hash
                self.audit(db, actor, "operator.pin_rehashed", "operators", operator.id,
                           {"from": old, "to": operator.pin_hash.rsplit("$", 2)[0]})
            self.audit(db, actor, "auth.signed_in", "operators", operator.id,
                       {"after_failures": failures} if failures else None)
            return actor

    def _failed(self, badge: str, attempt: throttle.Attempt) -> NoReturn:
        """A wrong PIN, already counted by ``throttle.admit``: audited, and the answer."""
        by_badge, at_station = attempt.by_badge, attempt.at_station
        with self.transaction() as db:
            self.audit(db, None, "auth.sign_in_failed", "operators", badge,
                       {"badge": badge, "failures": by_badge.failures, "station_failures": at_station.failures})
            for state in attempt.newly_locked:
                self.audit(db, None, "auth.locked", state.scope, state.key,
                           {"scope": state.scope, "key": state.key, "failures": state.failures})
        if by_badge.locked or at_station.locked:
            raise _refusal(by_badge if by_badge.locked else at_station)
        wait = max(by_badge.wait_whole_s, at_station.wait_whole_s)
        if wait:
            raise SignInRefused("Badge or PIN not recognised.", retry_after_s=wait,
                                next_step=f"Too many wrong PINs — try again in {wait} s.",
                                zh=("工牌或 PIN 无法识别。", f"PIN 错误次数过多，请 {wait} 秒后再试。"))
        raise AuthenticationFailed(
            "Badge or PIN not recognised.", next_step="Scan your badge and enter your PIN again.", zh=NOT_RECOGNISED_ZH
        )

    def unlock(self, actor: Actor, badge: str | None = None, *, station: bool = False) -> int:
        """Lift the wrong-PIN lock (or wait) on ``badge``, or on this station; audited.

        Returns how many consecutive wrong PINs were forgiven.
        """
        self.require(actor, Permission.UNLOCK_SIGN_IN)
        if station:
            scope, key = throttle.STATION, self.ctx.station_id
        elif badge and badge.strip():
            scope, key = throttle.BADGE, badge.strip().upper()[:64]
        else:
            raise InvalidInput("Name the badge to unlock, or the station.")
        with self.transaction() as db:
            state = throttle.look(db, scope, key, self.ctx.now())
            if state.failures == 0:
                raise NotFound(f"{'Station' if station else 'Badge'} {key} has no wrong PINs to forgive.")
            throttle.forgive(db, scope, key)
            self.audit(db, actor, "auth.unlocked", scope, key,
                       {"scope": scope, "key": key, "failures": state.failures, "was_locked": state.locked})
        log.info("%s unlocked %s %s after %d wrong PINs", actor.badge, scope, key, state.failures)
        return state.failures

    def sign_out(self, actor: Actor) -> None:
        """Always possible, even for an operator demoted or blocked while signed in."""
        with self.transaction() as db:
            self.audit(db, actor, "auth.signed_out", "operators", actor.id, stale_ok=True)

    def create_operator(
        self, actor: Actor | None, *, badge: str, name: str, role: Role, pin: str, locale: str = "en",
        email: str = "",
    ) -> Actor:
        """Add an operator. ``actor`` None is only for the first admin of an empty station.
        ``email`` is where alerts escalate to if the operator is a supervisor."""
        from station.analytics.thresholds import is_email_address

        email = email.strip()
        if email and not is_email_address(email):
            raise InvalidInput(f"{email!r} is not one e-mail address like lead@example.com.")
        badge = badge.strip().upper()
        if not badge or len(badge) > 64:
            raise InvalidInput("A badge code is 1 to 64 characters.")
        if not name.strip():
            raise InvalidInput("An operator needs a name.")
        check_new_pin(pin, role, self.ctx.policy)
        pin_hash = hash_pin(pin)
        with self.transaction() as db:
            if actor is None:
                if db.scalar(select(Operator.id).limit(1)) is not None:
                    raise AuthenticationFailed("Only an admin may add operators.")
            else:
                self.require(actor, Permission.MANAGE_OPERATORS)
            if db.scalar(select(Operator.id).where(Operator.badge == badge)) is not None:
                raise InvalidInput(f"Badge {badge} is already in use.")
            operator = Operator(badge=badge, name=name.strip(), role=role, pin_hash=pin_hash, locale=locale,
                                email=email)
            db.add(operator)
            db.flush()
            self.audit(db, actor, "operator.created", "operators", operator.id,
                       {"badge": badge, "name": operator.name, "role": role.value})
            return Actor.of(operator)
