"""Operators, the people who sign in at the station, and the count of their wrong PINs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced, db_enum
from station.models.enums import Role


class Operator(Synced, Base):
    """Somebody who signs in with a badge barcode and a PIN.

    ``pin_hash`` is an scrypt hash in a self-describing string (see ``station.operators.service``), so the
    cost parameters can be raised later without invalidating existing PINs.
    """

    __tablename__ = "operators"

    badge: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(db_enum(Role, 20))
    pin_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    # Where alerts escalate to (supervisors); empty for operators who get no mail.
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Operator {self.badge} {self.name!r} {self.role.value}>"


class SignInThrottle(Base):
    """Consecutive wrong PINs for one badge (``scope`` "badge") or one station ("station").

    Kept in the station's own database, not synced and not in memory: a restart does not
    forgive the failures, and a lock holds until a supervisor lifts it (``station.operators.service``).
    A correct PIN deletes the badge's row. Unknown badges get rows too, so the throttle
    does not tell a guesser which badges exist.
    """

    __tablename__ = "sign_in_throttles"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime | None]
    locked_at: Mapped[dt.datetime | None]
