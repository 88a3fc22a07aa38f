"""The Qt side of keyboard-wedge scanners: an application event filter feeding the pure
``drivers.scanners.wedge.WedgeAssembler``.

Every key press that could belong to a scan is held back and fed to the assembler with its
timestamp; the filter then does what the assembler says: emit scans (as ``scanned``) and
replay the keys it handed back as typing into the focused widget. A scanner burst therefore
never lands in a focused text field, and a person's typing reaches it in order, at most
``max_gap_s`` late. Keys that cannot be part of a scan (arrows, F-keys, Ctrl shortcuts) pass
through untouched after anything held has been settled.

Timestamps: the event's own timestamp (X server time under xcb) when it has one, so events
queued while the UI was busy keep their real spacing; the poll timer converts between that
clock and ``time.monotonic`` through the last key seen.

Under load the poll timer fires late, after the UI thread was busy (a slow paint): the
scanner's next keys are then already waiting in the event queue, stamped in time, and
deciding before reading them split ``CMD:CONFIRM`` in two. So the timer first lets the
queue deliver what is waiting, and only settles the burst if no key came; and when the timer
fired late (the thread was busy, keys may still be on their way to the queue) it waits one
more allowed gap, in real time, before settling; and again each time it fires late once more,
up to ``BUSY_GRACE_S`` in all: right after a sign-in the first work view is built on the UI
thread in more than one step, and a badge or parcel scanned at that moment lost its first
keys as "typing" (seen under load in the Xvfb story, issue 23).

Signals: ``scanned(Scan)``.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget

from drivers.scanners.wedge import ENTER, RETURN, TAB, WedgeAssembler, WedgeConfig, WedgeOutput

log = logging.getLogger(__name__)

BUSY_GRACE_S = 1.0
"""How long held keys may wait, in all, while the UI thread keeps being busy."""

_NAMED = {Qt.Key.Key_Return: RETURN, Qt.Key.Key_Enter: ENTER, Qt.Key.Key_Tab: TAB}
_REPLAY_KEYS = {RETURN: (Qt.Key.Key_Return, "\r"), ENTER: (Qt.Key.Key_Enter, "\r"), TAB: (Qt.Key.Key_Tab, "\t")}
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
                  Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R}
_BLOCKING_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)


def key_token(event: QKeyEvent) -> str | None:
    """The assembler's token for a key press, or ``None`` for keys never part of a scan."""
    key = Qt.Key(event.key())
    if key in _NAMED:
        if event.modifiers() & _BLOCKING_MODIFIERS:
            return None
        return _NAMED[key]
    text = event.text()
    if len(text) != 1:
        return None
    if text == "\x1d":  # GS1 group separator (Ctrl+])
        return text
    if event.modifiers() & _BLOCKING_MODIFIERS or not text.isprintable():
        return None
    return text


def _top_level(obj: QObject) -> QWidget | None:
    """The top-level widget a key event was delivered to (Qt delivers to a QWindow first)."""
    if isinstance(obj, QWidget):
        return obj.window()
    if isinstance(obj, QWindow):
        return next((w for w in QApplication.topLevelWidgets() if w.windowHandle() is obj), None)
    return None


def replay_event(token: str) -> QKeyEvent:
    """A key press that types ``token`` again (shifted letters carry their own text)."""
    if token in _REPLAY_KEYS:
        key, text = _REPLAY_KEYS[token]
        return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
    upper = token.upper()
    code = ord(upper) if len(upper) == 1 and upper.isascii() else 0
    mods = Qt.KeyboardModifier.ShiftModifier if token.isalpha() and token.isupper() else \
        Qt.KeyboardModifier.NoModifier
    return QKeyEvent(QEvent.Type.KeyPress, code, mods, token)


class WedgeKeyFilter(QObject):
    scanned = Signal(object)

    def __init__(self, config: WedgeConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.assembler = WedgeAssembler(config, source="wedge:")
        self.enabled = True
        self._replaying = False
        self._last_window: QWidget | None = None
        self._last_ts = 0.0
        self._last_mono = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll)
        self._polling = False
        self._fed = 0
        self._due = 0.0  # time.monotonic() the timer should fire at
        self._grace_until: float | None = None  # time.monotonic() the busy grace ends at

    # --- the filter ---------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._replaying or not self.enabled or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        if event.key() in _MODIFIER_KEYS:
            return False  # a scanner presses Shift for capitals: never a break in its burst
        token = key_token(event)
        if token is None:
            if self.assembler.holding:
                self._apply(self.assembler.flush())
            return False
        self._last_window = _top_level(obj) or self._last_window
        at = self._timestamp(event)
        self._fed += 1
        self._grace_until = None
        self._apply(self.assembler.feed(token, at))
        self._arm()
        return True

    def _timestamp(self, event: QKeyEvent) -> float:
        mono = time.monotonic()
        stamp = event.timestamp()
        at = stamp / 1000.0 if stamp else mono
        self._last_ts, self._last_mono = at, mono
        return at

    def _now(self) -> float:
        return self._last_ts + (time.monotonic() - self._last_mono)

    def _arm(self) -> None:
        deadline = self.assembler.next_deadline()
        if deadline is None:
            self._timer.stop()
            return
        delay_ms = max(0, int((deadline - self._now()) * 1000) + 1)
        self._due = time.monotonic() + delay_ms / 1000
        self._timer.start(delay_ms)

    def _poll(self) -> None:
        if self._polling:
            return
        self._polling = True
        try:
            fed = self._fed
            # Keys queued while the UI thread was busy belong before this decision.
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeSocketNotifiers)
            late = time.monotonic() - self._due > 0.005
            now = time.monotonic()
            if self._fed == fed and late and self._grace_until is None:
                self._grace_until = now + BUSY_GRACE_S
            if self._fed == fed and late and self._grace_until is not None and now < self._grace_until:
                # Busy until now: give keys stamped in time but not yet delivered one more gap.
                gap_ms = int(self.assembler.allowed_gap() * 1000) + 1
                self._due = time.monotonic() + gap_ms / 1000
                self._timer.start(gap_ms)
                return
            if self._fed == fed:
                deadline = self.assembler.next_deadline()
                if deadline is not None:
                    self._apply(self.assembler.poll(max(self._now(), deadline + 1e-6)))
        finally:
            self._polling = False
        self._arm()

    def settle(self) -> None:
        """Settle held keys now (tests, focus changes, shutdown)."""
        self._timer.stop()
        self._apply(self.assembler.flush())

    # --- doing what the assembler said --------------------------------------------------
    def _apply(self, out: WedgeOutput) -> None:
        for scan in out.scans:
            log.debug("wedge scan %r", scan.text)
            self.scanned.emit(scan)
        if out.typed:
            self._replay(out.typed)

    def _target(self) -> QWidget | None:
        """Where typed keys go: the focused widget. Qt reports none while the window is not
        "active" (no window manager, a kiosk session, a remote desktop) even though the keys
        arrive and the window still knows its focus child, so fall back to that."""
        widget = QApplication.focusWidget()
        if widget is not None:
            return widget
        window = self._last_window or QApplication.activeWindow()
        if window is None:
            return None
        return window.focusWidget() or window

    def _replay(self, tokens: tuple[str, ...]) -> None:
        self._replaying = True
        try:
            for token in tokens:
                target = self._target()
                if target is None:
                    log.debug("typed key %r dropped: no focused widget", token)
                    continue
                QApplication.sendEvent(target, replay_event(token))
        finally:
            self._replaying = False
