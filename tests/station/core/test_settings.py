"""Station settings: declared once, typed, versioned TOML, bad files give defaults and a reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from station.core import settings as st
from station.core.errors import ConfigError


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
        ("text", "key", "words"),
        [
            ("[ui]\nidle_lock_minutes = 'soon'\n", "ui.idle_lock_minutes", "must be a whole number"),
            ("[ui]\nlanguage = 'fr'\n", "ui.language", "must be one of en, zh_CN"),
            ("[ui]\nfont_size = 1500\n", "ui.font_size", "must be between 9 and 32"),
            ("[central]\ndb_url = 'postgresql://u:secret@db/x'\n", "central.db_url", "must not contain a password"),
            ("[camera]\nsettle_frames = 0\n", "camera.settle_frames", "must be between 1 and 30 frames"),
            ("[camera]\nmotion_percent = 'a lot'\n", "camera.motion_percent", "must be a number, not 'a lot'"),
            ("[camera]\npresence_percent = 25.0\n", "camera.presence_percent", "must be between 0.05 and 20 %"),
            ("[camera]\nreads = 2.5\n", "camera.reads", "must be a whole number, not 2.5"),
        ],
    )
    def test_one_bad_value_is_refused_alone_and_named(self, tmp_path: Path, text: str, key: str,
                                                      words: str) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[station]\nid = 'DOCK05'\nnumber = 5\n"
                        "[scanners]\nwedge_prefix = '#'\n[printers]\nlpn = 'tcp://10.0.0.5:9100'\n" + text)
        settings, error = st.load_settings(path)
        assert (settings.get("station.id"), settings.get("station.number")) == ("DOCK05", 5)
        assert settings.get("scanners.wedge_prefix") == "#"
        assert settings.get("printers.lpn") == "tcp://10.0.0.5:9100"
        assert settings.get(key) == st.OPTION_BY_NAME[key].default
        assert [r.name for r in settings.refused] == [key]
        assert settings.identity_problem == ""
        assert isinstance(error, ConfigError)
        assert f"{key} = " in str(error) and words in str(error)
        assert f"default {st.OPTION_BY_NAME[key].default!r} is used for {key} only" in str(error)

    def test_a_refused_password_is_not_repeated(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("[central]\ndb_url = 'postgresql://rma:hunter2@central/rma'\n")
        settings, error = st.load_settings(path)
        assert settings.get("central.db_url") == ""
        assert "hunter2" not in str(error) and "hunter2" not in settings.refused[0].words()
        assert "central.db_url = 'postgresql://rma:***@central/rma' refused" in str(error)

    def test_the_rest_of_a_section_survives_its_bad_neighbour(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("[ui]\nfont_size = 1500\nlanguage = 'zh_CN'\nidle_lock_minutes = 0\n")
        settings, error = st.load_settings(path)
        assert settings.get("ui.language") == "zh_CN" and settings.get("ui.idle_lock_minutes") == 0
        assert settings.get("ui.font_size") == 15
        assert error is not None and "ui.font_size = 1500" in str(error)

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("[station]\nid = 7\nnumber = 7\n", "station.id = 7 cannot be used"),
            ("[station]\nid = ''\nnumber = 7\n", "station.id = '' cannot be used"),
            ("[station]\nid = 'DOCK07'\nnumber = 'seven'\n", "station.number = 'seven' cannot be used"),
            ("[station]\nid = 'DOCK07'\nnumber = 5000\n", "station.number must be between 0 and 999"),
            ("[station\nid = 'DOCK07'\n", "cannot be read"),
            ("station = 'DOCK07'\n", "[station] must be a table"),
        ],
    )
    def test_unusable_identity_is_not_replaced_by_the_default(self, tmp_path: Path, text: str,
                                                              words: str) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n" + text)
        settings, error = st.load_settings(path)
        assert words in settings.identity_problem
        assert error is not None and words in str(error)
        with pytest.raises(ConfigError, match="not saved"):
            st.save_settings(settings, tmp_path / "other.toml")

    def test_newer_file_keeps_its_identity_and_is_left_alone(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 99\n[station]\nid = 'DOCK05'\nnumber = 5\n[ui]\nlanguage = 'zh_CN'\n")
        settings, _error = st.load_settings(path)
        assert settings.get("ui.language") == "en"
        assert (settings.get("station.id"), settings.get("station.number")) == ("DOCK05", 5)
        assert settings.identity_problem == ""

    def test_unknown_keys_are_ignored(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[ui]\nlanguage = 'zh_CN'\ncolour = 'teal'\n")
        settings, error = st.load_settings(path)
        assert error is None and settings.get("ui.language") == "zh_CN"

    def test_save_identity_changes_only_the_station_table(self, tmp_path: Path) -> None:
        path = tmp_path / "settings.toml"
        path.write_text("schema_version = 1\n[station]\nid = 'DOCK05'\nnumber = 5\n[ui]\nfont_size = 1500\n")
        st.save_identity("DOCK07", 7, path)
        data = tomllib.loads(path.read_text())
        assert data["station"] == {"id": "DOCK07", "number": 7}
        assert data["ui"] == {"font_size": 1500}  # the admin still sees (and fixes) the bad value


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


def test_camera_region_for_hands_free_receiving_is_checked_alone(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('schema_version = 1\n[camera]\nregion = "0.1,0,0.8,1"\nconfirm_key = "F13"\n'
                    'resolution = "1280x720"\n', encoding="utf-8")
    settings, error = st.load_settings(path)
    assert error is None
    assert st.camera_region(settings) == (0.1, 0.0, 0.8, 1.0)
    assert settings.get("camera.confirm_key") == "F13" and settings.get("camera.resolution") == "1280x720"
    path.write_text('schema_version = 1\n[camera]\nregion = "0.5,0,0.8,1"\nconfirm_key = "Ctrl+Q"\n', encoding="utf-8")
    settings, error = st.load_settings(path)
    assert {r.name for r in settings.refused} == {"camera.region", "camera.confirm_key"}
    assert st.camera_region(settings) is None and settings.get("camera.confirm_key") == "Return"
    assert "inside the frame" in str(error)


def test_camera_thresholds_take_whole_numbers_where_a_fraction_is_allowed(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("schema_version = 1\n[camera]\npresence_percent = 1\nmotion_percent = 0.35\n"
                    "empty_frames = 5\n", encoding="utf-8")
    settings, error = st.load_settings(path)
    assert error is None
    assert settings.get("camera.presence_percent") == 1.0 and isinstance(settings.get("camera.presence_percent"), float)
    assert settings.get("camera.motion_percent") == 0.35 and settings.get("camera.empty_frames") == 5
    with pytest.raises(ConfigError, match="camera.motion_percent must be a number, not True"):
        st.defaults().replace(**{"camera.motion_percent": True})
