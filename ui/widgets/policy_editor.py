"""The settings dialog's "Return policy" page: the policy in force, edited as TOML text.

It shows the file the station reads at start (the site's copy in the config dir, else the
shipped one) with its path, and asks ``station.policy.admin.PolicyAdmin`` to check, save or
restore; the rules (the same check as ``rma-station policy check``, admins only, audited)
live there. A refused text lists its problems with their line numbers; Enter on a problem
puts the cursor on that line. The station keeps the policy it started with: the page says a
saved policy takes effect at the next start.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.core.context import Actor
from station.core.errors import StationError
from station.policy.admin import PolicyAdmin, PolicyRefused

_LINE = re.compile(r"^[^:]*:(\d+):")


class PolicyEditor(QWidget):
    def __init__(self, admin: PolicyAdmin, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyEditor")
        self.admin = admin
        self.actor = actor
        self.confirm: Callable[[str], bool] = self._ask
        self.source = QLabel(self)
        self.source.setObjectName("caption")
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel(self.tr("A saved policy is checked like “rma-station policy check” and takes effect "
                              "at the next start of the station and of the returns service."), self)
        note.setObjectName("caption")
        note.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("policyText")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(self.font().pointSizeF() - 1, 9))  # as readable as the rest of the window
        self.text.setFont(mono)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setTabChangesFocus(True)  # Tab leaves the editor: the page works from the keyboard
        self.problems = QListWidget(self)
        self.problems.setObjectName("policyProblems")
        self.problems.setMaximumHeight(120)
        self.problems.setWordWrap(True)  # a problem names the known categories: show all of it
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setVisible(False)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        self.check_button = QPushButton(self.tr("&Check"), self)
        self.save_button = QPushButton(self.tr("&Save policy"), self)
        self.restore_button = QPushButton(self.tr("&Restore shipped policy"), self)
        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self.save)
        self.restore_button.clicked.connect(self.restore)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(note)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    # --- what the page shows --------------------------------------------------------------
    def reload(self) -> None:
        current = self.admin.in_force()
        where = self.tr("site copy") if current.site else self.tr("shipped policy, no site copy yet")
        self.source.setText(self.tr("Policy in force: %1 (%2)").replace("%1", str(current.path)).replace("%2", where))
        self._loaded = current.text
        self.text.setPlainText(current.text)
        self.restore_button.setEnabled(current.site)

    def modified(self) -> bool:
        """The text differs from the file in force (typed or pasted, or set by a program)."""
        return self.text.toPlainText() != self._loaded

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(problem, self.problems)
            match = _LINE.match(problem)
            item.setData(Qt.ItemDataRole.UserRole, int(match.group(1)) if match else 0)
        self.problems.setVisible(bool(problems))
        if problems:
            self.problems.setCurrentRow(0)

    def _say(self, text: str, error: bool) -> None:
        self.status.setStyleSheet("color: #b03a2e; font-weight: 600;" if error else "color: #1e7b34; font-weight: 600;")
        self.status.setText(text)
        self.status.setVisible(True)

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        line = int(item.data(Qt.ItemDataRole.UserRole) or 0)
        if line > 0:
            block = self.text.document().findBlockByLineNumber(line - 1)
            cursor = QTextCursor(block)
            self.text.setTextCursor(cursor)
            self.text.centerCursor()
        self.text.setFocus()

    # --- actions --------------------------------------------------------------------------
    def check(self) -> bool:
        problems = self.admin.check(self.text.toPlainText())
        self._show_problems(problems)
        if problems:
            self._say(self.tr("%n problem(s); the policy is not usable as it is.", "", len(problems)),
                      True)
            self.problems.setFocus()
        else:
            self._say(self.tr("The policy is valid."), False)
        return not problems

    def save(self) -> bool:
        """Save through the service; True when written. A refusal shows why and writes nothing."""
        if self.actor is None:
            self._say(self.tr("Sign in as an admin to save the policy."), True)
            return False
        try:
            path = self.admin.save(self.actor, self.text.toPlainText())
        except PolicyRefused as refused:
            self._show_problems(refused.problems)
            self._say(self.tr("%n problem(s); nothing was saved.", "", len(refused.problems)), True)
            self.problems.setFocus()
            return False
        except StationError as exc:
            self._show_problems([])
            self._say(exc.message, True)
            return False
        self._show_problems([])
        self.reload()
        self._say(self.tr("Saved to %1. It takes effect at the next start.").replace("%1", str(path)), False)
        return True

    def restore(self) -> bool:
        if self.actor is None:
            self._say(self.tr("Sign in as an admin to save the policy."), True)
            return False
        if not self.confirm(self.tr("Remove the site's policy and use the shipped one from the next start?")):
            return False
        try:
            self.admin.restore_shipped(self.actor)
        except StationError as exc:
            self._say(exc.message, True)
            return False
        self._show_problems([])
        self.reload()
        self._say(self.tr("The shipped policy will be used from the next start."), False)
        return True

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Restore shipped policy"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
