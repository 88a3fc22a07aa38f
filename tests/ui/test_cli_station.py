"""The command line as a dock admin meets it: a real process, a real settings file and database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from station.core.db import make_engine, make_session_factory, upgrade
from station.core.identity import StationIdentity, bound_identity
from station.models import AuditEvent, Operator

REPO = Path(__file__).resolve().parents[2]


def rma_station(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "RMA_STATION_HOME": str(home), "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main(sys.argv[1:]))",
                           *args], cwd=REPO, capture_output=True, text=True, env=environ, timeout=120)


def write_settings(home: Path, text: str) -> Path:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("schema_version = 1\n" + text, encoding="utf-8")
    return path


def new_station_database(home: Path) -> Path:
    """An empty, migrated station file, as `rma-station db upgrade` leaves it (other commands
    refuse a missing file)."""
    db = home / "station.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return db


def rows(db: Path, model):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{db}")
    try:
        with make_session_factory(engine)() as s:
            return list(s.scalars(select(model)))
    finally:
        engine.dispose()


def sf_of(db: Path):  # type: ignore[no-untyped-def]
    return make_session_factory(make_engine(f"sqlite:///{db}"))


def test_bad_font_size_keeps_station_id_and_number_and_warns_naming_the_key(tmp_path: Path) -> None:
    write_settings(tmp_path, "[station]\nid = 'DOCK05'\nnumber = 5\n[ui]\nfont_size = 1500\nlanguage = 'zh_CN'\n")
    db = new_station_database(tmp_path)
    run = rma_station(tmp_path, "operators", "add", "--badge", "A1", "--name", "Ada", "--role", "admin",
                      "--db", str(db), RMA_NEW_PIN="246802")
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("rma-station: warning:")]
    assert len(warnings) == 1
    assert "ui.font_size = 1500 refused: ui.font_size must be between 9 and 32." in warnings[0]
    assert "The default 15 is used for ui.font_size only." in warnings[0]
    assert {op.station_id for op in rows(db, Operator)} == {"DOCK05"}
    assert bound_identity(sf_of(db)) == StationIdentity("DOCK05", 5)


def test_unreadable_station_id_refuses_a_writing_command(tmp_path: Path) -> None:
    write_settings(tmp_path, "[station]\nid = 5\nnumber = 5\n")
    db = new_station_database(tmp_path)
    run = rma_station(tmp_path, "operators", "add", "--badge", "A1", "--name", "Ada", "--role", "admin",
                      "--db", str(db), RMA_NEW_PIN="246802")
    assert run.returncode == 2
    assert "rma-station: This station's id and number cannot be read from the settings: " \
           "station.id = 5 cannot be used: station.id must be text, not 5." in run.stderr
    assert rows(db, Operator) == []
    assert bound_identity(sf_of(db)) is None


def test_database_of_another_station_is_refused_then_renamed_on_purpose(tmp_path: Path) -> None:
    settings = write_settings(tmp_path, "[station]\nid = 'DOCK05'\nnumber = 5\n")
    db = new_station_database(tmp_path)
    assert rma_station(tmp_path, "operators", "add", "--badge", "A1", "--name", "Ada", "--role", "admin",
                       "--db", str(db), RMA_NEW_PIN="246802").returncode == 0
    settings.write_text(settings.read_text().replace("DOCK05", "DOCK07").replace("number = 5", "number = 7"))
    refused = rma_station(tmp_path, "operators", "add", "--badge", "C1", "--name", "Cy", "--role", "clerk",
                          "--admin-badge", "A1", "--db", str(db), RMA_NEW_PIN="1357", RMA_ADMIN_PIN="246802")
    assert refused.returncode == 2
    assert (f"rma-station: DOCK07 (number 7) in settings, but the database {db} is bound to DOCK05 (number 5); "
            "nothing was written.") in refused.stderr
    assert "rma-station station rename --id DOCK07 --number 7" in refused.stderr

    renamed = rma_station(tmp_path, "station", "rename", "--id", "DOCK07", "--number", "7",
                          "--reason", "dock 7 reopened", "--admin-badge", "A1", "--db", str(db),
                          RMA_ADMIN_PIN="246802")
    assert renamed.returncode == 0, renamed.stderr
    assert "Station DOCK05 (number 5) is now DOCK07 (number 7)" in renamed.stdout
    assert rma_station(tmp_path, "operators", "add", "--badge", "C1", "--name", "Cy", "--role", "clerk",
                       "--admin-badge", "A1", "--db", str(db), RMA_NEW_PIN="1357",
                       RMA_ADMIN_PIN="246802").returncode == 0
    event = next(e for e in rows(db, AuditEvent) if e.action == "station.renamed")
    assert (event.operator_badge, event.details["reason"]) == ("A1", "dock 7 reopened")
    assert "id = \"DOCK07\"" in settings.read_text() and "number = 7" in settings.read_text()
    assert rma_station(tmp_path, "station", "show", "--db", str(db)).stdout.splitlines() == [
        "settings: DOCK07 (number 7)", "database: DOCK07 (number 7)"]
