"""The message bridge: every banner the operator sees goes through here.

Views call ``bridge.show(Message(...))`` (or ``show_error``); the main window paints the
message into the active view's banner and plays its sound. Tests connect to ``shown`` (the
``messages`` fixture) and assert exactly what the clerk saw, like qutebrowser's
``message_mock``. ``history`` keeps the last messages for the log tail in support calls.

Signals: ``shown(Message)``.
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Level(enum.StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Message:
    """One banner: a headline, the details, the next step, and the sound to play."""

    level: Level
    title: str
    text: str = ""
    next_step: str = ""
    code: str = ""
    sound: str = ""

    @property
    def plain(self) -> str:
        return " ".join(p for p in (self.title, self.text, self.next_step) if p)


class MessageBridge(QObject):
    shown = Signal(object)

    def __init__(self, parent: QObject | None = None, *, keep: int = 200) -> None:
        super().__init__(parent)
        self.history: deque[Message] = deque(maxlen=keep)

    def show(self, message: Message) -> None:
        level = logging.WARNING if message.level in (Level.WARNING, Level.ERROR) else logging.INFO
        log.log(level, "banner [%s] %s", message.code or message.level, message.plain)
        self.history.append(message)
        self.shown.emit(message)
