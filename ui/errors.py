"""``show_error``: the one place an exception becomes something the operator sees (STYLE 7)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from station.errors import StationError
from ui.bridge import Level, Message, MessageBridge

log = logging.getLogger(__name__)

#: Sound per error code; everything else gets the generic error sound.
_SOUNDS = {"not_found": "unknown", "scan_rejected": "error", "permission_denied": "denied",
           "needs_supervisor": "attention"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def error_title(code: str) -> str:
    titles = {
        "not_found": _tr("Not found"),
        "scan_rejected": _tr("Scan not accepted"),
        "invalid_input": _tr("Check the input"),
        "illegal_transition": _tr("Not possible now"),
        "permission_denied": _tr("Not allowed"),
        "authentication_failed": _tr("Sign-in failed"),
        "needs_supervisor": _tr("Supervisor needed"),
        "config_error": _tr("Configuration problem"),
        "device_not_found": _tr("Device missing"),
        "device_error": _tr("Device problem"),
        "sync_conflict": _tr("Sync conflict"),
    }
    return titles.get(code, _tr("Error"))


def show_error(bridge: MessageBridge, exc: BaseException, *, title: str | None = None) -> Message:
    """Turn ``exc`` into a banner. Station errors carry the clerk's words; anything else is a
    bug: it is logged with its traceback and the operator gets a short apology."""
    if isinstance(exc, StationError):
        message = Message(Level.ERROR, title or error_title(exc.code), exc.message,
                          exc.next_step or "", code=exc.code, sound=_SOUNDS.get(exc.code, "error"))
    else:
        log.error("unexpected error", exc_info=exc)
        message = Message(
            Level.ERROR, title or _tr("Something went wrong"),
            _tr("The station hit an unexpected problem; nothing was lost that was confirmed."),
            _tr("Try again. If it keeps happening, call support: the details are in the log."),
            code="internal", sound="error",
        )
    bridge.show(message)
    return message
