"""One error tree for the whole station.

Every error carries a message a clerk can act on: it says what went wrong in the dock's words
and, where there is one, the next step. The UI shows ``str(error)`` as it is; logs carry the
rest. Services raise these and never leave a half-written transaction behind them.
"""

from __future__ import annotations


class StationError(Exception):
    """Base of every error the station shows to an operator."""

    #: A short machine-readable code for banners, sounds and tests.
    code = "error"

    def __init__(self, message: str, *, next_step: str | None = None, zh: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step
        self.zh = zh
        """The message and next step in Simplified Chinese, where the station has them: a
        window in Chinese shows those (the English stays for logs and the command line)."""

    def words(self, locale: str = "en") -> tuple[str, str]:
        """(message, next step) in ``locale`` when the error carries it, else in English."""
        if self.zh is not None and locale.lower().startswith("zh"):
            return self.zh
        return self.message, self.next_step or ""

    def __str__(self) -> str:
        if self.next_step:
            return f"{self.message} {self.next_step}"
        return self.message


class InvalidInput(StationError):
    """Input that cannot be used as given (a malformed field, a value out of range)."""

    code = "invalid_input"


class NotFound(StationError):
    """Something named by the operator does not exist (an RMA number, an LPN, a badge)."""

    code = "not_found"


class ScanRejected(StationError):
    """A scanned code that means nothing here, or fails its check digit."""

    code = "scan_rejected"


class IllegalTransition(StationError):
    """A workflow step asked for in a state that does not allow it."""

    code = "illegal_transition"


class PermissionDenied(StationError):
    """The signed-in operator's role may not do this."""

    code = "permission_denied"


class SessionEnded(PermissionDenied):
    """The operator's record changed since sign-in (role changed, badge blocked or removed):
    the session itself is no longer valid, so a face signs them out instead of only refusing."""

    code = "session_ended"


class AuthenticationFailed(StationError):
    """Badge or PIN not accepted."""

    code = "authentication_failed"


class NeedsSupervisor(StationError):
    """The step is allowed only after a supervisor approves it (expired RMA, flagged unit)."""

    code = "needs_supervisor"


class ConfigError(StationError):
    """A configuration, policy, template or rules file that cannot be used."""

    code = "config_error"


class SyncConflict(StationError):
    """Two stations changed the same record; a supervisor must choose."""

    code = "sync_conflict"


class DeviceNotFound(StationError):
    """A scanner, scale, camera or printer named in settings is not there."""

    code = "device_not_found"


class DeviceError(StationError):
    """A device is there but failed (timeout, offline, refused the job)."""

    code = "device_error"


class AuditTampered(StationError):
    """The audit chain does not verify: a row was edited, inserted or deleted."""

    code = "audit_tampered"
