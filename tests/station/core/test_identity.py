"""A station never changes its id or number silently: the database remembers whose it is."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from station.audit.chain import verify_chain
from station.core import identity
from station.core.context import Actor
from station.core.errors import InvalidInput, PermissionDenied
from station.core.identity import StationIdentity, StationIdentityError
from station.core.settings import load_settings
from station.models import AuditEvent, Role
from tests.helpers.builders import NOW

ADMIN = Actor(id=uuid.uuid4(), badge="A1", name="Ada Admin", role=Role.ADMIN)
SUPERVISOR = Actor(id=uuid.uuid4(), badge="S1", name="Sam Sup", role=Role.SUPERVISOR)


@pytest.fixture
def sf(sqlite_engine) -> sessionmaker[Session]:
    from station.core.db import make_session_factory

    return make_session_factory(sqlite_engine)


def audit_actions(sf: sessionmaker[Session]) -> list[AuditEvent]:
    with sf() as db:
        return list(db.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


class TestIdentityFromSettings:
    def test_unreadable_station_id_refuses_instead_of_becoming_dock01(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[station]\nid = 12\nnumber = 12\n[ui]\nlanguage = 'zh_CN'\n")
        settings, _error = load_settings(path)
        with pytest.raises(StationIdentityError, match="station.id = 12 cannot be used"):
            identity.identity_from(settings)

    def test_unparsable_file_refuses(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[station\nid = 'DOCK12'\n")
        settings, _error = load_settings(path)
        with pytest.raises(StationIdentityError, match="cannot be read"):
            identity.identity_from(settings)

    def test_a_bad_font_size_keeps_the_identity(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[station]\nid = 'DOCK12'\nnumber = 12\n[ui]\nfont_size = 1500\n")
        settings, _error = load_settings(path)
        assert identity.identity_from(settings) == StationIdentity("DOCK12", 12)


class TestBinding:
    def test_first_use_binds_and_audits(self, sf) -> None:
        assert identity.bound_identity(sf) is None
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)
        assert identity.bound_identity(sf) == StationIdentity("DOCK05", 5)
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)  # the same station: nothing new
        events = audit_actions(sf)
        assert [(e.action, e.station_id, e.details) for e in events] == [("station.bound", "DOCK05", {"number": 5})]

    @pytest.mark.parametrize("other", [StationIdentity("DOCK01", 1), StationIdentity("DOCK05", 1),
                                       StationIdentity("DOCK06", 5)])
    def test_database_of_another_station_is_refused_naming_both(self, sf, other) -> None:
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)
        with pytest.raises(StationIdentityError) as caught:
            identity.bind(sf, other, now=NOW)
        assert str(caught.value).startswith(f"{other.words()} in settings, but the database ")
        assert "station.sqlite is bound to DOCK05 (number 5); nothing was written." in str(caught.value)
        assert identity.bound_identity(sf) == StationIdentity("DOCK05", 5)


class TestRename:
    def test_rename_is_audited_with_who_and_why(self, sf) -> None:
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)
        old = identity.rename(sf, StationIdentity("DOCK07", 7), ADMIN, "dock 7 reopened", now=NOW)
        assert old == StationIdentity("DOCK05", 5)
        assert identity.bound_identity(sf) == StationIdentity("DOCK07", 7)
        identity.bind(sf, StationIdentity("DOCK07", 7))  # the new settings are accepted
        with pytest.raises(StationIdentityError, match=r"is bound to DOCK07 \(number 7\)"):
            identity.bind(sf, StationIdentity("DOCK05", 5))
        renamed = audit_actions(sf)[-1]
        assert renamed.action == "station.renamed" and renamed.operator_badge == "A1"
        assert renamed.details == {"from_id": "DOCK05", "from_number": 5, "to_id": "DOCK07", "to_number": 7,
                                   "reason": "dock 7 reopened"}
        with sf() as db:
            assert verify_chain(db).ok

    def test_only_an_admin_renames_and_only_with_a_reason(self, sf) -> None:
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)
        with pytest.raises(PermissionDenied):
            identity.rename(sf, StationIdentity("DOCK07", 7), SUPERVISOR, "why not")
        with pytest.raises(InvalidInput, match="Say why"):
            identity.rename(sf, StationIdentity("DOCK07", 7), ADMIN, "  ")
        assert identity.bound_identity(sf) == StationIdentity("DOCK05", 5)

    def test_number_whose_lpns_are_already_here_is_refused(self, sf) -> None:
        from station.demo import seed_demo

        seed_demo(sf, station_id="DOCK07", station_no=7, rmas=3)  # LPNs LP007..., as pulled from dock 7
        identity.bind(sf, StationIdentity("DOCK05", 5), now=NOW)
        with pytest.raises(InvalidInput, match="Station number 7 is taken"):
            identity.rename(sf, StationIdentity("DOCK05", 7), ADMIN, "typo")
        identity.rename(sf, StationIdentity("DOCK08", 8), ADMIN, "new dock")  # a free number is fine
        assert identity.bound_identity(sf) == StationIdentity("DOCK08", 8)
