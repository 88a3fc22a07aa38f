"""Sign-in: scan a badge (or type it), enter the PIN, press Enter.

A badge scan fills the badge field and moves to the PIN, whatever has focus. PIN checking
(scrypt, slow on purpose) runs in the background; the PIN field is cleared either way.
After too many wrong PINs the station makes the badge wait (``station.operators.throttle``):
the view counts the wait down under the form, on the station's clock, and keeps the PIN
field shut until it is over; a locked badge says to ask a supervisor.

Signals: ``signed_in(Actor)``, ``language_toggled()``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from drivers.scanners.scan import Scan
from station.core.context import Actor
from station.operators.service import AuthService, SignInRefused
from station.scanning.classify import ScanClassifier, ScanKind
from ui.bridge import Level, Message
from ui.commands import is_command
from ui.errors import show_error
from ui.shell import Shell
from ui.widgets.banner import Banner

PARCEL_KINDS = {ScanKind.RMA, ScanKind.TRACKING, ScanKind.LPN, ScanKind.GTIN, ScanKind.GS1}

log = logging.getLogger(__name__)


class SignInView(QWidget):
    signed_in = Signal(object)
    language_toggled = Signal()

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInView")
        self.shell = shell
        self.service = AuthService(shell.ctx)
        self.classifier = ScanClassifier()
        self.busy = False

        self.title = QLabel(self.tr("Returns dock — station %1").replace("%1", shell.ctx.station_id), self)
        self.title.setObjectName("signInTitle")
        self.hint = QLabel(self.tr("Scan your badge, then enter your PIN and press Enter."), self)
        self.hint.setObjectName("prompt")
        self.banner = Banner(self)
        self.badge = QLineEdit(self)
        self.badge.setObjectName("badge")
        self.badge.setMaxLength(64)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.wait = QLabel(self)
        self.wait.setObjectName("signInWait")
        self.wait.setVisible(False)
        self._wait_until: dt.datetime | None = None
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._tick)
        self.language = QPushButton("中文" if not shell.language.startswith("zh") else "English", self)
        self.language.setObjectName("languageButton")
        self.language.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language.clicked.connect(self.language_toggled.emit)

        box = QFrame(self)
        box.setObjectName("signInBox")
        form = QFormLayout(box)
        form.setContentsMargins(32, 28, 32, 28)
        form.setVerticalSpacing(16)
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("PIN"), self.pin)
        keys = QLabel(self.tr("F2: 中文 / English"), self)
        keys.setObjectName("keys")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 60, 120, 30)
        layout.setSpacing(18)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.banner)
        layout.addWidget(box)
        layout.addWidget(self.wait)
        layout.addStretch(1)
        layout.addWidget(self.language, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(keys)
        self.setFocusProxy(self.badge)

    def reset(self) -> None:
        self.badge.clear()
        self.pin.clear()
        self.badge.setFocus()

    def handle_scan(self, scan: Scan) -> None:
        text = scan.text.strip().upper()
        if is_command(text):
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Sign in first"), "",
                                           self.tr("Scan your badge."), code="locked", sound="error"))
            return
        if self.classifier.classify(text, scan.symbology).kind in PARCEL_KINDS:
            # A parcel or product label scanned before signing in is not a badge: say so
            # rather than filling the badge field with it.
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Sign in first"),
                                           self.tr("%1 is a parcel or product label, not a badge.")
                                           .replace("%1", text),
                                           self.tr("Scan your badge."), code="locked", sound="error"))
            return
        self.badge.setText(text)
        self._end_wait()  # another badge: the station says again if it, too, must wait
        self.pin.clear()
        self.pin.setFocus()
        self.shell.bridge.show(Message(Level.INFO, self.tr("Badge %1").replace("%1", text), "",
                                       self.tr("Enter your PIN and press Enter."), code="badge", sound="scan"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.badge.hasFocus() and self.badge.text().strip():
                self.pin.setFocus()
            else:
                self.submit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_F2:
            self.language_toggled.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        badge, pin = self.badge.text().strip(), self.pin.text()
        if self.busy:
            return
        if not badge or not pin:
            self.shell.bridge.show(Message(Level.WARNING, self.tr("Badge and PIN needed"), "",
                                           self.tr("Scan your badge and enter your PIN."),
                                           code="incomplete", sound="error"))
            return
        self.pin.clear()
        self.busy = True
        service = self.service
        self.shell.background.op(lambda: service.sign_in(badge, pin), self).success(
            self._done).failure(self._failed).write()

    def _done(self, actor: Actor) -> None:
        self.busy = False
        self._end_wait()
        self.badge.clear()
        self.banner.clear()
        self.signed_in.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.pin.setFocus()
        if isinstance(exc, SignInRefused):
            title = self.tr("Sign-in locked") if exc.locked else self.tr("Too many wrong PINs")
            show_error(self.shell.bridge, exc, title=title)
            if exc.locked:
                self._show_wait(self.tr("Locked: ask a supervisor"))
            elif exc.retry_after_s:
                self._wait_until = self.shell.ctx.now() + dt.timedelta(seconds=exc.retry_after_s)
                self.pin.setEnabled(False)
                self._wait_timer.start()
                self._tick()
            return
        self._end_wait()
        show_error(self.shell.bridge, exc)

    def _show_wait(self, text: str) -> None:
        self.wait.setText(text)
        self.wait.setVisible(True)

    def _tick(self) -> None:
        """Show the seconds left of the wait; open the PIN field again when it is over."""
        if self._wait_until is None:
            return
        left = math.ceil((self._wait_until - self.shell.ctx.now()).total_seconds())
        if left <= 0:
            self._end_wait()
            self.pin.setFocus()
            return
        self._show_wait(self.tr("Too many wrong PINs — try again in %1 s").replace("%1", str(left)))

    def _end_wait(self) -> None:
        self._wait_timer.stop()
        self._wait_until = None
        self.wait.setVisible(False)
        self.pin.setEnabled(True)
