"""The settings dialog, built from ``station.core.settings.OPTIONS`` (each option declared once).

One tab per section (station, interface, scanners, camera, printers, central database); each
option gets the editor its type asks for and its one-line description as help text. Values
are checked by ``Settings.replace`` before the dialog closes: a bad value keeps the dialog
open with the reason shown, nothing half-applied. The station's id and number are shown but
not editable: the database is bound to them and ``rma-station station rename`` changes them.

Given a ``PolicyAdmin`` (the dock passes one), a last tab edits the return policy
(``ui.widgets.policy_editor``); Save also saves an edited policy, and a refused policy keeps
the dialog open on that tab with its problems listed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.core.context import Actor
from station.core.errors import ConfigError
from station.core.settings import IDENTITY_KEYS, OPTIONS, Option, Settings
from station.policy.admin import PolicyAdmin
from station.sync.connection import parse_central_url
from ui.label_output import destination_of
from ui.status import label_destination

if TYPE_CHECKING:
    from ui.widgets.policy_editor import PolicyEditor

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 policy: PolicyAdmin | None = None, actor: Actor | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Station settings"))
        self.settings = settings
        self._result: Settings | None = None
        self.editors: dict[str, QWidget] = {}
        self.tabs = QTabWidget(self)
        # Ten tabs: a little less padding than the window's tabs keeps them all in view.
        self.tabs.setStyleSheet("QTabBar::tab { padding: 8px 12px; font-size: 13pt; }")
        titles = {
            "station": self.tr("Station"), "ui": self.tr("Interface"), "scanners": self.tr("Scanners"),
            "camera": self.tr("Camera"), "printers": self.tr("Printers"), "central": self.tr("Central database"),
            "scale": self.tr("Scale"), "scanning": self.tr("Scan formats"), "dock": self.tr("Dock"),
        }
        forms: dict[str, QFormLayout] = {}
        for option in OPTIONS:
            if option.section not in forms:
                page = QWidget(self.tabs)
                forms[option.section] = QFormLayout(page)
                forms[option.section].setVerticalSpacing(10)
                self.tabs.addTab(page, titles.get(option.section, option.section))
            editor = self._editor(option, settings.get(option.name))
            editor.setToolTip(option.description)
            if option.name in IDENTITY_KEYS:
                # The database is bound to this identity; changing it is `station rename`
                # (audited, checked against LPNs already printed), not a form field.
                editor.setEnabled(False)
            editor.setObjectName(option.name)
            self.editors[option.name] = editor
            help_text = QLabel(self._description(option), self)
            help_text.setObjectName("caption")
            help_text.setWordWrap(True)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(help_text)
            if option.name.startswith("printers.") and isinstance(editor, QLineEdit):
                box.addWidget(self._destination(option.name.removeprefix("printers."), editor))
            forms[option.section].addRow(self._label(option), box)
        self.policy_editor: PolicyEditor | None = None
        if policy is not None:
            from ui.widgets.policy_editor import PolicyEditor

            self.policy_editor = PolicyEditor(policy, actor, self.tabs)
            self.tabs.addTab(self.policy_editor, self.tr("Return policy"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b03a2e; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(1240, 680)  # all ten tabs in view, none behind scroll arrows

    def _destination(self, kind: str, editor: QLineEdit) -> QLabel:
        """Where this kind of label really goes with the setting as typed, as a link that opens
        the folder, the Zebra's status page or the printer queue's page; it follows the edits."""
        line = QLabel(self)
        line.setObjectName(f"printers.{kind}.destination")
        line.setTextFormat(Qt.TextFormat.RichText)
        line.setOpenExternalLinks(True)

        def show(text: str) -> None:
            words, link = label_destination(destination_of(text, kind), width=120)
            where = f'<a href="{link}">{words}</a>' if link else words
            line.setText(self.tr("Goes to: %1").replace("%1", where))

        editor.textChanged.connect(show)
        show(editor.text())
        return line

    def _label(self, option: Option) -> str:
        labels = {
            "station.id": self.tr("Station id"), "station.number": self.tr("Station number"),
            "ui.language": self.tr("Language"), "ui.sounds": self.tr("Sounds"),
            "ui.idle_lock_minutes": self.tr("Auto-lock (minutes)"), "ui.font_size": self.tr("Font size"),
            "scanners.sources": self.tr("Scanner sources"), "scanners.wedge_max_gap_ms": self.tr("Wedge key gap (ms)"),
            "scanners.wedge_min_length": self.tr("Wedge minimum length"),
            "scanners.wedge_prefix": self.tr("Wedge prefix"), "scanners.wedge_suffix": self.tr("Wedge suffix"),
            "camera.uri": self.tr("Camera"), "printers.lpn": self.tr("LPN labels"),
            "printers.disposition": self.tr("Disposition labels"), "printers.relabel": self.tr("Relabel labels"),
            "printers.sheet": self.tr("Sheets (A4/Letter)"), "central.db_url": self.tr("Central database URL"),
            "scale.uri": self.tr("Parcel scale"),
        }
        return labels.get(option.name, option.key)

    def _description(self, option: Option) -> str:
        # The English description is declared with the option; Chinese comes from the .ts file.
        return self.tr(option.description)

    def _editor(self, option: Option, value: Any) -> QWidget:
        if option.type is bool:
            check = QCheckBox(self)
            check.setChecked(bool(value))
            return check
        if option.type is int:
            spin = QSpinBox(self)
            spin.setRange(int(option.minimum or 0), int(option.maximum or 1_000_000))
            spin.setValue(int(value))
            return spin
        if option.type is float:
            number = QDoubleSpinBox(self)
            number.setDecimals(2)
            number.setSingleStep(0.05)
            number.setRange(float(option.minimum or 0.0), float(option.maximum or 1_000_000.0))
            number.setValue(float(value))
            return number
        if option.choices:
            combo = QComboBox(self)
            names = {"en": "English", "zh_CN": "简体中文"}
            for choice in option.choices:
                combo.addItem(names.get(choice, str(choice)), choice)
            combo.setCurrentIndex(list(option.choices).index(value))
            return combo
        if option.type is list:
            text = QPlainTextEdit(self)
            text.setPlainText("\n".join(value))
            text.setFixedHeight(90)
            return text
        line = QLineEdit(self)
        line.setText(str(value))
        return line

    def _value(self, option: Option) -> Any:
        editor = self.editors[option.name]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            return editor.value()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QPlainTextEdit):
            return [line.strip() for line in editor.toPlainText().splitlines() if line.strip()]
        return editor.text() if isinstance(editor, QLineEdit) else None

    def accept(self) -> None:
        editor = self.policy_editor
        if editor is not None and editor.modified() and not editor.save():
            self.tabs.setCurrentWidget(editor)
            return
        try:
            self._result = self.settings.replace(**{o.name: self._value(o) for o in OPTIONS})
            url = str(self._result.get("central.db_url")).strip()
            if url:  # the one URL check the sync worker uses, so a typo is refused here
                parse_central_url(url)
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        super().accept()

    def result_settings(self) -> Settings:
        return self._result or self.settings
