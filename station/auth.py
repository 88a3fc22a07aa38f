"""Badge + PIN sign-in and operator management.

PINs are hashed with scrypt (memory-hard, in the standard library). The stored string names
its parameters (``scrypt$n$r$p$salt$hash``) so the cost can be raised later and old hashes
still verify. A wrong badge and a wrong PIN give the same message, so the station does not
tell a passer-by which badges exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os

from sqlalchemy import select

from station.context import Actor
from station.errors import AuthenticationFailed, InvalidInput
from station.models import Operator, Role
from station.permissions import Permission
from station.services import Service

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    _check_pin_shape(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def _check_pin_shape(pin: str) -> None:
    if not pin.isdigit() or not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise InvalidInput(f"A PIN is {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits.")


class AuthService(Service):
    def sign_in(self, badge: str, pin: str) -> Actor:
        """The operator for this badge and PIN; the same refusal for any mismatch.

        A failed attempt is audited in its own transaction, so the refusal does not roll back
        the record of it.
        """
        badge = badge.strip().upper()
        with self.transaction() as db:
            operator = db.scalar(select(Operator).where(Operator.badge == badge))
            if operator is not None and operator.active and verify_pin(pin, operator.pin_hash):
                actor = Actor.of(operator)
                self.audit(db, actor, "auth.signed_in", "operators", operator.id)
                return actor
        with self.transaction() as db:
            self.audit(db, None, "auth.sign_in_failed", "operators", badge[:64], {"badge": badge[:64]})
        raise AuthenticationFailed(
            "Badge or PIN not recognised.", next_step="Scan your badge and enter your PIN again."
        )

    def sign_out(self, actor: Actor) -> None:
        with self.transaction() as db:
            self.audit(db, actor, "auth.signed_out", "operators", actor.id)

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
