"""Settings dialog (built from the declared options), role check, and the Chinese UI."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QPlainTextEdit

from station.core.settings import OPTIONS, defaults
from tests.ui.conftest import Station, sign_in
from ui.settings_dialog import SettingsDialog


class TestSettingsDialog:
    def test_every_declared_option_has_an_editor_and_edits_come_back_checked(self, qtbot) -> None:  # noqa: ANN001
        dialog = SettingsDialog(defaults())
        qtbot.addWidget(dialog)
        assert set(dialog.editors) == {o.name for o in OPTIONS}
        language = dialog.editors["ui.language"]
        assert isinstance(language, QComboBox)
        language.setCurrentIndex(language.findData("zh_CN"))
        sources = dialog.editors["scanners.sources"]
        assert isinstance(sources, QPlainTextEdit)
        sources.setPlainText("wedge:\nserial:///dev/ttyACM0?baud=9600\n")
        printer = dialog.editors["printers.lpn"]
        assert isinstance(printer, QLineEdit)
        printer.setText("tcp://10.0.0.5:9100")
        sounds = dialog.editors["ui.sounds"]
        assert isinstance(sounds, QCheckBox)
        sounds.setChecked(False)
        motion = dialog.editors["camera.motion_percent"]
        assert isinstance(motion, QDoubleSpinBox) and (motion.minimum(), motion.maximum()) == (0.01, 10.0)
        motion.setValue(0.35)
        dialog.accept()
        result = dialog.result_settings()
        assert result.get("camera.motion_percent") == 0.35
        assert result.get("ui.language") == "zh_CN"
        assert result.get("scanners.sources") == ["wedge:", "serial:///dev/ttyACM0?baud=9600"]
        assert result.get("printers.lpn") == "tcp://10.0.0.5:9100"
        assert result.get("ui.sounds") is False

    def test_each_label_kinds_real_destination_is_named_as_a_link_and_follows_the_edit(self, qtbot) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QLabel

        from ui.label_output import default_folder

        dialog = SettingsDialog(defaults())
        qtbot.addWidget(dialog)
        for kind in ("lpn", "disposition", "relabel", "sheet"):
            line = dialog.findChild(QLabel, f"printers.{kind}.destination")
            assert line is not None and line.openExternalLinks(), kind
            folder = default_folder(kind)
            assert line.text() == f'Goes to: <a href="{folder.as_uri()}">PDF folder {folder}</a>', line.text()
        lpn = dialog.editors["printers.lpn"]
        assert isinstance(lpn, QLineEdit)
        lpn.setText("tcp://10.0.0.5:9100")
        line = dialog.findChild(QLabel, "printers.lpn.destination")
        assert line.text() == 'Goes to: <a href="http://10.0.0.5/">Zebra at 10.0.0.5:9100</a>'
        lpn.setText("cups://Zebra_GK420")
        assert line.text() == 'Goes to: <a href="http://localhost:631/printers/Zebra_GK420">printer Zebra_GK420</a>'

    def test_a_password_in_the_central_url_keeps_the_dialog_open(self, qtbot) -> None:  # noqa: ANN001
        dialog = SettingsDialog(defaults())
        qtbot.addWidget(dialog)
        dialog.show()
        url = dialog.editors["central.db_url"]
        assert isinstance(url, QLineEdit)
        url.setText("postgresql://rma:hunter2@central/rma")
        dialog.accept()
        assert dialog.isVisible() and dialog.result() == 0
        assert dialog.error.text().startswith("central.db_url must not contain a password.")

    def test_admin_with_typo_in_central_url_is_refused_with_the_reason(self, qtbot) -> None:  # noqa: ANN001
        dialog = SettingsDialog(defaults())
        qtbot.addWidget(dialog)
        dialog.show()
        url = dialog.editors["central.db_url"]
        assert isinstance(url, QLineEdit)
        url.setText("postgresql://rma@/rma")  # the host left out: libpq would use this machine's server
        dialog.accept()
        assert dialog.isVisible() and dialog.result() == 0
        assert "names no host" in dialog.error.text()
        url.setText("postgresql://rma@central.example/rma")
        dialog.accept()
        assert dialog.result_settings().get("central.db_url") == "postgresql://rma@central.example/rma"

    def test_station_id_and_number_are_shown_but_changed_only_by_rename(self, qtbot) -> None:  # noqa: ANN001
        settings = defaults().replace(**{"station.id": "DOCK05", "station.number": 5})
        dialog = SettingsDialog(settings)
        qtbot.addWidget(dialog)
        station_id, number = dialog.editors["station.id"], dialog.editors["station.number"]
        assert isinstance(station_id, QLineEdit) and station_id.text() == "DOCK05"
        assert not station_id.isEnabled() and not number.isEnabled()
        assert "rma-station station rename" in station_id.toolTip()
        dialog.accept()
        assert (dialog.result_settings().get("station.id"), dialog.result_settings().get("station.number")) == \
            ("DOCK05", 5)

    def test_clerk_cannot_open_settings(self, station: Station) -> None:
        sign_in(station, "EMP1001", "1234")
        station.window.open_settings()
        assert station.last.title == "Settings need an admin"


class TestChinese:
    def test_f2_on_the_sign_in_screen_switches_the_whole_window(self, station: Station, qtbot) -> None:  # noqa: ANN001
        assert station.window.signin.hint.text() == "Scan your badge, then enter your PIN and press Enter."
        station.keys.press("F2")
        qtbot.waitUntil(lambda: station.window.shell.language == "zh_CN")
        assert station.window.signin.hint.text() == "扫描工牌，输入 PIN 后按回车。"
        sign_in(station, "EMP1001", "1234")
        assert station.last.title == "欢迎，Zhang Min"
        assert station.window.tabs.tabText(0) == "收货  (F5)"
        assert station.window.status.operator.text() == "Zhang Min (收货员)"

    def test_unknown_parcel_banner_in_chinese(self, station: Station) -> None:
        station.window.toggle_language()
        sign_in(station, "EMP1001", "1234")
        station.keys.scan("JD0099887766")
        assert station.last.title == "未知包裹"
        assert station.last.next_step == "请检查标签。没有 RMA？按 F9 隔离。"


class TestCommands:
    def test_an_unknown_command_is_not_looked_up_as_a_parcel(self, station: Station) -> None:
        sign_in(station, "EMP1001", "1234")
        station.keys.scan("CMD:BOGUS")
        assert station.last.title == "Not a receiving command"
