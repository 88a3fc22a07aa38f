"""``show_error``: the one place an exception becomes something the operator sees (STYLE 7)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale

from station.core.errors import StationError
from ui.bridge import Level, Message, MessageBridge

log = logging.getLogger(__name__)

#: Sound per error code; everything else gets the generic error sound.
_SOUNDS = {"not_found": "unknown", "scan_rejected": "error", "permission_denied": "denied", "session_ended": "denied",
           "needs_supervisor": "attention"}


def error_title(code: str) -> str:
    titles = {
        "not_found": QCoreApplication.translate("Errors", "Not found"),
        "scan_rejected": QCoreApplication.translate("Errors", "Scan not accepted"),
        "invalid_input": QCoreApplication.translate("Errors", "Check the input"),
        "illegal_transition": QCoreApplication.translate("Errors", "Not possible now"),
        "permission_denied": QCoreApplication.translate("Errors", "Not allowed"),
        "session_ended": QCoreApplication.translate("Errors", "Session ended"),
        "authentication_failed": QCoreApplication.translate("Errors", "Sign-in failed"),
        "needs_supervisor": QCoreApplication.translate("Errors", "Supervisor needed"),
        "config_error": QCoreApplication.translate("Errors", "Configuration problem"),
        "device_not_found": QCoreApplication.translate("Errors", "Device missing"),
        "device_error": QCoreApplication.translate("Errors", "Device problem"),
        "sync_conflict": QCoreApplication.translate("Errors", "Sync conflict"),
    }
    return titles.get(code, QCoreApplication.translate("Errors", "Error"))


def show_error(bridge: MessageBridge, exc: BaseException, *, title: str | None = None) -> Message:
    """Turn ``exc`` into a banner. Station errors carry the clerk's words; anything else is a
    bug: it is logged with its traceback and the operator gets a short apology."""
    if isinstance(exc, StationError):
        chinese = QLocale().language() == QLocale.Language.Chinese
        text, next_step = exc.words("zh" if chinese else "en")
        message = Message(Level.ERROR, title or error_title(exc.code), text, next_step, code=exc.code,
                          sound=_SOUNDS.get(exc.code, "error"))
    else:
        log.error("unexpected error", exc_info=exc)
        message = Message(
            Level.ERROR, title or QCoreApplication.translate("Errors", "Something went wrong"),
            QCoreApplication.translate("Errors", "The station hit an unexpected problem; nothing was lost that was confirmed."),
            QCoreApplication.translate("Errors", "Try again. If it keeps happening, call support: the details are in the log."),
            code="internal", sound="error",
        )
    bridge.show(message)
    return message
