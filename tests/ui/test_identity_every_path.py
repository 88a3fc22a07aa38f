"""One identity check for every path: no command, the returns service or the window writes as a
station it cannot prove it is.

Found: with an unreadable ``station.number``, ``resolve --auto``, ``api-token add``, ``serve``,
``orders import`` and ``rmas import`` wrote as "(station unknown)"; with settings naming
DOCK09 on a database bound to DOCK01 they wrote as DOCK09. Each now opens the database through
``station.core.opening.open_station`` and is refused in one line, exit 2, nothing written.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.core.db import make_engine, make_session_factory
from station.core.identity import StationIdentity, bound_identity
from station.models import ApiToken, AuditEvent, Order, Rma, RmaRequest
from tests.helpers.intake import order_payload, request_payload, seed_catalogue
from ui.cli import main

REPO = Path(__file__).resolve().parents[2]
TABLES = (AuditEvent, Order, RmaRequest, ApiToken)


def write_settings(home: Path, station: str) -> None:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"schema_version = 1\n[station]\n{station}\n", encoding="utf-8")


def counts(db: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with make_session_factory(engine)() as s:
            return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES}
    finally:
        engine.dispose()


@pytest.fixture
def dock01(station_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """DOCK01's database, bound to it by its first command, with a catalogue, an order and the
    files the import commands read."""
    write_settings(station_home, "id = 'DOCK01'\nnumber = 1")
    db = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    engine = make_engine(f"sqlite:///{db}")
    seed_catalogue(make_session_factory(engine))
    engine.dispose()
    assert main(["api-token", "add", "--name", "erp", "--db", str(db)]) == 0
    (tmp_path / "orders.jsonl").write_text(json.dumps(order_payload("SO-2")) + "\n")
    (tmp_path / "requests.jsonl").write_text(json.dumps(request_payload("SO-2")) + "\n")
    capsys.readouterr()
    engine = make_engine(f"sqlite:///{db}")
    assert bound_identity(make_session_factory(engine)) == StationIdentity("DOCK01", 1)
    engine.dispose()
    return db


def commands(db: Path) -> dict[str, list[str]]:
    folder = db.parent
    return {
        "resolve --auto": ["resolve", "--auto", "--badge", "EMP0001", "--db", str(db)],
        "api-token add": ["api-token", "add", "--name", "shop", "--db", str(db)],
        "orders import": ["orders", "import", str(folder / "orders.jsonl"), "--db", str(db)],
        "rmas import": ["rmas", "import", str(folder / "requests.jsonl"), "--db", str(db)],
    }


MISMATCH = "rma-station: DOCK09 (number 9) in settings, but the database {db} is bound to DOCK01 (number 1); " \
           "nothing was written. Put station.id = 'DOCK01' and station.number = 1 back in settings.toml, or " \
           "change the station deliberately with `rma-station station rename --id DOCK09 --number 9 --reason ...`.\n"
UNREADABLE = "rma-station: This station's id and number cannot be read from the settings: station.number = 'one' " \
             "cannot be used: station.number must be a whole number, not 'one'. The database is bound to DOCK01 " \
             "(number 1); nothing was written. Put station.id = 'DOCK01' and station.number = 1 in settings.toml.\n"


@pytest.mark.parametrize("command", ["resolve --auto", "api-token add", "orders import", "rmas import"])
def test_settings_naming_another_station_are_refused_naming_both(
        dock01: Path, station_home: Path, capsys: pytest.CaptureFixture[str], command: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMA_PIN", "1234")
    write_settings(station_home, "id = 'DOCK09'\nnumber = 9")
    before = counts(dock01)
    assert main(commands(dock01)[command]) == 2
    assert capsys.readouterr().err == MISMATCH.format(db=dock01)
    assert counts(dock01) == before


@pytest.mark.parametrize("command", ["resolve --auto", "api-token add", "orders import", "rmas import"])
def test_an_unreadable_station_number_is_refused_naming_the_databases_station(
        dock01: Path, station_home: Path, capsys: pytest.CaptureFixture[str], command: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMA_PIN", "1234")
    write_settings(station_home, "id = 'DOCK01'\nnumber = 'one'")
    before = counts(dock01)
    assert main(commands(dock01)[command]) == 2
    assert capsys.readouterr().err == UNREADABLE
    assert counts(dock01) == before


def test_the_same_commands_run_when_the_settings_are_this_stations(dock01: Path, capsys) -> None:
    # The refusals above are about identity, not the commands: with DOCK01's settings they work.
    for name in ("orders import", "rmas import", "api-token add"):
        assert main(commands(dock01)[name]) == 0, (name, capsys.readouterr().err)
    engine = make_engine(f"sqlite:///{dock01}")
    with make_session_factory(engine)() as s:
        assert set(s.scalars(select(AuditEvent.station_id))) == {"DOCK01"}
        assert set(s.scalars(select(Rma.station_id))) == {"DOCK01"}
        assert s.scalars(select(RmaRequest.number)).one().startswith("RMA001")
    engine.dispose()


@pytest.mark.parametrize("settings, expected", [("id = 'DOCK09'\nnumber = 9", MISMATCH),
                                                ("id = 'DOCK01'\nnumber = 'one'", UNREADABLE)],
                         ids=["another-station", "unreadable-number"])
def test_serve_is_refused_before_it_takes_the_port(dock01: Path, station_home: Path, settings: str,
                                                   expected: str) -> None:
    write_settings(station_home, settings)
    before = counts(dock01)
    env = {**os.environ, "RMA_STATION_HOME": str(station_home), "PYTHONPATH": str(REPO)}
    serve = ["serve", "--no-labels", "--port", "1", "--db", str(dock01)]
    done = subprocess.run([sys.executable, "-m", "ui.cli", *serve],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", expected.format(db=dock01))
    assert counts(dock01) == before


# Where a face may build a database connection or a context itself, and why. Everywhere else
# it must ask ``open_context`` (the command line) or ``ui.app.open_station`` (the window), so
# that no path that writes can skip the identity check.
ALLOWED = {
    "ui/cli/station_setup.py": "the command line's one way in (open_context)",
    "ui/app.py": "the window's one way in (open_station)",
    "ui/cli/commands/db.py": "schema only (upgrade, current): writes no records, needs no station",
    "ui/cli/commands/demo.py": "seed-demo fills an empty database under its own --station-id",
    "ui/cli/commands/station.py": "show and rename are the identity's own tools",
    "ui/cli/commands/central.py": "central init: the central schema, no station",
    "ui/cli/commands/integrations.py": "the integrations ledger, on a station's or central's database; no "
                                       "station records",
    "ui/cli/commands/notify.py": "delivers from the integrations ledger; reads an RMA for its label",
    "ui/supervisor/screenshots.py": "documentation screenshots of a throw-away demo database",
    "ui/supervisor/rtv_screenshots.py": "documentation screenshots of a throw-away demo database",
    "ui/supervisor/resolution_screenshots.py": "documentation screenshots of a throw-away demo database",
}
OPENERS = {"open_database", "connect_database", "connect_recognised", "make_engine", "make_session_factory",
           "StationContext", "create_engine", "sessionmaker", "open_station"}


def test_no_face_opens_a_database_but_through_the_identity_check() -> None:
    offenders = []
    for package in ("ui", "web"):
        for path in sorted((REPO / package).rglob("*.py")):
            name = path.relative_to(REPO).as_posix()
            if name in ALLOWED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    if called in OPENERS:
                        offenders.append(f"{name}:{node.lineno} calls {called}")
    assert offenders == []
