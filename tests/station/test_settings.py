"""Station settings: declared once, typed, versioned TOML, bad files give defaults and a reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from station import settings as st
from station.errors import ConfigError


class TestDeclaration:
    def test_every_option_has_type_default_and_description(self) -> None:
        for option in st.OPTIONS:
            assert isinstance(option.default, option.type), option.name
            assert option.description.strip(), option.name
        assert len(st.OPTION_BY_NAME) == len(st.OPTIONS)

    def test_printer_per_label_kind(self) -> None:
        for kind in st.LABEL_KINDS:
            assert f"printers.{kind}" in st.OPTION_BY_NAME


class TestRoundTrip:
    def test_missing_file_gives_defaults_without_error(self, tmp_path: Path) -> None:
        settings, error = st.load_settings(tmp_path / "settings.toml")
        assert error is None
        assert settings.get("station.id") == "DOCK01"

    def test_saved_settings_load_back_with_schema_version(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        changed = st.defaults().replace(**{"ui.language": "zh_CN", "scanners.sources": ["wedge:", "serial:///dev/ttyACM0"],
                                           "printers.lpn": "tcp://10.0.0.5:9100"})
        st.save_settings(changed, path)
        data = tomllib.loads(path.read_text())
        assert data["schema_version"] == st.SCHEMA_VERSION
        assert data["printers"]["lpn"] == "tcp://10.0.0.5:9100"
        loaded, error = st.load_settings(path)
        assert error is None
        assert loaded.get("ui.language") == "zh_CN"
        assert loaded.get("scanners.sources") == ["wedge:", "serial:///dev/ttyACM0"]

    def test_default_path_is_under_the_config_dir(self, station_home: Path) -> None:
        st.save_settings(st.defaults())
        assert (station_home / "config" / "settings.toml").is_file()


class TestBadFiles:
    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("schema_version = 1\n[ui]\nidle_lock_minutes = 'soon'\n", "ui.idle_lock_minutes must be a whole number"),
            ("schema_version = 1\n[ui]\nlanguage = 'fr'\n", "ui.language must be one of en, zh_CN"),
            ("schema_version = 1\n[station]\nnumber = 5000\n", "station.number must be between 0 and 999"),
            ("schema_version = 1\n[ui\n", "cannot be read"),
            ("schema_version = 1\n[central]\ndb_url = 'postgresql://u:secret@db/x'\n", "must not contain a password"),
        ],
    )
    def test_bad_value_gives_defaults_and_says_what(self, tmp_path: Path, text: str, words: str) -> None:
        path = tmp_path / "settings.toml"
        path.write_text(text)
        settings, error = st.load_settings(path)
        assert settings == st.defaults()
        assert isinstance(error, ConfigError)
        assert words in str(error)
        assert "Defaults are in use" in str(error)

    def test_newer_file_is_refused_and_left_alone(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 99\n[ui]\nlanguage = 'zh_CN'\n")
        settings, error = st.load_settings(path)
        assert settings.get("ui.language") == "en"
        assert error is not None and "newer station" in str(error)

    def test_unknown_keys_are_ignored(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[ui]\nlanguage = 'zh_CN'\ncolour = 'teal'\n")
        settings, error = st.load_settings(path)
        assert error is None and settings.get("ui.language") == "zh_CN"


class TestUpgrades:
    def test_each_bump_runs_its_upgrade_function(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        # Simulate a release that moved the single ``printer`` key of version 1 to per-kind keys.
        def v1_to_v2(data: dict) -> dict:
            data = dict(data)
            data["printers"] = {"lpn": data.pop("printer")["uri"]}
            return data

        monkeypatch.setattr(st, "SCHEMA_VERSION", 2)
        monkeypatch.setitem(st.UPGRADES, 1, v1_to_v2)
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[printer]\nuri = 'file:///tmp/spool'\n")
        settings, error = st.load_settings(path)
        assert error is None
        assert settings.get("printers.lpn") == "file:///tmp/spool"


class TestCentralSecret:
    def test_password_comes_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        settings = st.defaults().replace(**{"central.db_url": "postgresql://rma@central.example/rma"})
        monkeypatch.setenv("RMA_CENTRAL_PASSWORD", "s3cret")
        assert st.central_url_with_secret(settings) == "postgresql://rma:s3cret@central.example/rma"

    def test_replace_refuses_unknown_names(self) -> None:
        with pytest.raises(ConfigError, match="no setting called ui.colour"):
            st.defaults().replace(**{"ui.colour": "teal"})
