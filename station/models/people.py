"""Operators: the people who sign in at the station."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from station.models.base import Base, Synced, db_enum
from station.models.enums import Role


class Operator(Synced, Base):
    """Somebody who signs in with a badge barcode and a PIN.

    ``pin_hash`` is an scrypt hash in a self-describing string (see ``station.auth``), so the
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
