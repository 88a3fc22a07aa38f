"""Opening the station database: a mistyped path is refused, never a new empty database.

Only ``db upgrade``, ``seed-demo`` and the window's first start may create the file; every
other command names the problem in one line (a folder, a text file, an unknown or
unreachable URL) and leaves the disk as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from station.core.db import connect_database, is_default_location, open_database
from station.core.errors import ConfigError
from ui.cli import main


@pytest.fixture
def station_db(tmp_path: Path) -> Path:
    path = tmp_path / "station.sqlite"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    return path


def test_admin_with_typo_in_db_path_is_told_and_no_empty_database_appears(
        station_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = station_db.with_name("statoin.sqlite")
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(typo)]) == 2
    out, err = capsys.readouterr()
    assert "intact" not in out
    assert err == (f"rma-station: There is no station database at {typo}. Check --db (or RMA_STATION_DB) "
                   "for a typo; `rma-station db upgrade --db PATH` creates a new one.\n")
    assert not typo.exists()
    assert main(["audit", "verify", "--db", str(station_db)]) == 0  # the real one still works


def test_typo_in_a_folder_name_creates_no_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="There is no station database"):
        open_database(str(tmp_path / "dta" / "station.sqlite"))
    assert list(tmp_path.iterdir()) == []


def test_typo_in_the_environment_variable_is_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RMA_STATION_DB", str(tmp_path / "statoin.sqlite"))
    assert not is_default_location()
    with pytest.raises(ConfigError, match="no station database"):
        open_database()
    assert not (tmp_path / "statoin.sqlite").exists()


def test_sqlite_url_to_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no station database"):
        connect_database(f"sqlite:///{tmp_path / 'gone.sqlite'}")
    assert not (tmp_path / "gone.sqlite").exists()


def test_db_upgrade_and_seed_demo_create_a_new_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", str(tmp_path / "new" / "a.sqlite")]) == 0
    assert (tmp_path / "new" / "a.sqlite").is_file()
    assert main(["seed-demo", "--rmas", "3", "--db", str(tmp_path / "b.sqlite")]) == 0
    assert "Seeded 3 RMAs" in capsys.readouterr().out


def test_the_windows_first_start_creates_the_default_database(station_home: Path) -> None:
    assert is_default_location(None)
    engine, _ = open_database(None, create=is_default_location(None))
    engine.dispose()
    assert (station_home / "data" / "station.sqlite").is_file()


def test_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        open_database(str(tmp_path))
    assert str(caught.value) == f"{tmp_path} is a folder, not a database file. Give the path of the station's .sqlite file."


def test_a_text_file_is_not_a_database_and_is_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"pallet 4 goes to bay 2\n" * 50)
    with pytest.raises(ConfigError) as caught:
        open_database(str(notes))
    assert str(caught.value).startswith(f"{notes} is not a SQLite database (file is not a database).")
    assert notes.read_bytes() == b"pallet 4 goes to bay 2\n" * 50


@pytest.mark.parametrize("url, words", [
    ("nosuchdriver://host/db", "is not a database the station can use (Can't load plugin"),
    ("mysql://user@127.0.0.1/db", "is not a database the station can use (No module named"),
    ("postgresql://x@127.0.0.1:1/db", "Cannot open the database"),
    ("://", "is not a database URL"),
])
def test_unusable_urls_are_one_line(url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        connect_database(url)
    assert words in str(caught.value) and "\n" not in str(caught.value)
