"""What every service is handed in its constructor: the database, this station, the clock.

No global ``app`` object: a test builds a ``StationContext`` with a SQLite file and a fixed
clock, and the window builds one from settings. ``Actor`` is the signed-in operator as a
frozen value, so a worker thread can carry it without touching a live ORM object.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from station.core.return_policy import ReturnPolicy, load_policy
from station.models import Operator, Role, utcnow

COMMAND_LINE_ID = uuid.UUID(int=0)
API_TOKEN_ID = uuid.UUID(int=1)


@dataclass(frozen=True)
class Actor:
    """The operator on whose behalf a service call runs."""

    id: uuid.UUID
    badge: str
    name: str
    role: Role

    @classmethod
    def of(cls, operator: Operator) -> Actor:
        return cls(id=operator.id, badge=operator.badge, name=operator.name, role=operator.role)

    @classmethod
    def command_line(cls) -> Actor:
        """The station's own command line, acting as an admin without an operator record.

        Whoever runs ``rma-station`` on the station can open its database file anyway, so a
        badge would add nothing for the admin commands that take none (``api-token add``,
        ``station rename`` on an empty station); its changes are audited under badge ``CLI``.
        A signed-in operator's session is re-checked in every service call instead.
        """
        return cls(id=COMMAND_LINE_ID, badge="CLI", name="command line", role=Role.ADMIN)

    @classmethod
    def api_token(cls, name: str) -> Actor:
        """An order system reviewing return requests through the API with the token ``name``.

        Made only after ``TokenService`` found the token valid and holding ``returns:review``
        (``station.intake.scopes``): that scope is the shop's grant of the supervisor's review,
        so the actor has the supervisor's role and no operator record. Its changes are audited
        under badge ``api:<name>``.
        """
        return cls(id=API_TOKEN_ID, badge=f"api:{name}"[:64], name=f"API token {name}", role=Role.SUPERVISOR)

    @property
    def is_command_line(self) -> bool:
        return self.id == COMMAND_LINE_ID

    @property
    def is_api_token(self) -> bool:
        return self.id == API_TOKEN_ID


@dataclass(frozen=True)
class StationContext:
    session_factory: sessionmaker[Session]
    station_id: str = "DOCK01"
    station_no: int = 1
    clock: Callable[[], dt.datetime] = utcnow
    policy: ReturnPolicy = field(default_factory=load_policy)

    def now(self) -> dt.datetime:
        return self.clock()

    @property
    def engine(self) -> Engine:
        """The engine behind ``session_factory`` (to dispose of it, or for a plain connection)."""
        return self.session_factory.kw["bind"]  # type: ignore[no-any-return]

    def today(self) -> dt.date:
        return self.clock().date()
