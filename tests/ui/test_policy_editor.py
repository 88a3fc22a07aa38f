"""An admin edits the return policy in the settings dialog (F10, "Return policy" tab)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from station.core.context import Actor
from station.core.paths import config_dir
from station.core.return_policy import SHIPPED, load_policy
from station.core.settings import defaults
from station.models import AuditEvent, Operator
from station.policy.admin import PolicyAdmin
from tests.ui.conftest import Station, sign_in
from ui.settings_dialog import SettingsDialog

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def _policy_events(station: Station) -> list[AuditEvent]:
    with station.session_factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "policy")))


def test_admin_edits_the_policy_a_misspelt_category_is_refused_by_line_then_a_fix_is_saved(
        station: Station, qtbot) -> None:  # noqa: ANN001
    sign_in(station, "EMP9001", "9999")
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        editor = dialog.policy_editor
        assert editor is not None
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.tabs.setCurrentWidget(editor)
        seen["source"] = editor.source.text()
        editor.text.setFocus()
        editor.text.setPlainText(SHIPPED_TEXT.replace("electronics = 15", "electronix = 15"))
        QTest.keyClick(editor.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        seen["refused"] = [editor.problems.item(i).text() for i in range(editor.problems.count())]
        seen["refused_status"] = editor.status.text()
        seen["written_after_refusal"] = (config_dir() / "policy.toml").exists()
        QTest.keyClick(editor.problems, Qt.Key.Key_Return)  # Enter on the problem: the cursor goes to its line
        seen["cursor_line"] = editor.text.textCursor().blockNumber() + 1
        editor.text.setPlainText(SHIPPED_TEXT.replace("electronics = 15", "electronics = 20"))
        dialog.accept()  # the dialog's Save also saves the edited policy
        seen["accepted"] = dialog.result()

    QTimer.singleShot(0, drive)
    station.keys.press("F10")
    line = SHIPPED_TEXT.splitlines().index("electronics = 15") + 1
    assert str(SHIPPED) in str(seen["source"])
    assert any(p.startswith(f"policy.toml:{line}: unknown category 'electronix'")
               for p in seen["refused"])  # type: ignore[union-attr]
    assert "nothing was saved" in str(seen["refused_status"])
    assert seen["written_after_refusal"] is False
    assert seen["cursor_line"] == line
    assert seen["accepted"] == 1
    assert load_policy().window_for("electronics") == 20
    (event,) = _policy_events(station)
    assert event.action == "policy.saved" and event.operator_badge == "EMP9001"


def test_a_supervisor_who_reaches_the_editor_is_refused_by_the_service(station: Station, qtbot) -> None:  # noqa: ANN001
    with station.session_factory() as db:
        supervisor = Actor.of(db.scalar(select(Operator).where(Operator.badge == "EMP3001")))
    dialog = SettingsDialog(defaults(), policy=PolicyAdmin(station.dock.window.shell.ctx), actor=supervisor)
    qtbot.addWidget(dialog)
    editor = dialog.policy_editor
    assert editor is not None
    editor.text.setPlainText(SHIPPED_TEXT.replace("electronics = 15", "electronics = 99"))
    assert editor.save() is False
    assert "may not change station settings" in editor.status.text()
    assert not (config_dir() / "policy.toml").exists() and _policy_events(station) == []


def test_restore_asks_first_and_then_the_shipped_policy_is_in_force(station: Station, qtbot) -> None:  # noqa: ANN001
    with station.session_factory() as db:
        admin = Actor.of(db.scalar(select(Operator).where(Operator.badge == "EMP9001")))
    service = PolicyAdmin(station.dock.window.shell.ctx)
    service.save(admin, SHIPPED_TEXT.replace("electronics = 15", "electronics = 20"))
    dialog = SettingsDialog(defaults(), policy=service, actor=admin)
    qtbot.addWidget(dialog)
    editor = dialog.policy_editor
    assert editor is not None and "site copy" in editor.source.text()
    editor.confirm = lambda question: False
    assert editor.restore() is False and (config_dir() / "policy.toml").exists()
    editor.confirm = lambda question: True
    assert editor.restore() is True
    assert not (config_dir() / "policy.toml").exists()
    assert editor.text.toPlainText() == SHIPPED_TEXT and str(SHIPPED) in editor.source.text()
    assert [e.action for e in _policy_events(station)] == ["policy.saved", "policy.restored"]
