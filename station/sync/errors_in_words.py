"""Sync failures told in words a clerk or a support call can use (the status bar shows them)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from station.core.errors import StationError


def describe(exc: BaseException) -> str:
    """One sentence for the status bar; the log keeps the full exception."""
    if isinstance(exc, StationError):
        return str(exc)
    raw = str(getattr(exc, "orig", None) or exc).strip()
    text = raw.lower()
    if "connection refused" in text:
        return "The central database cannot be reached (connection refused); changes wait here."
    if "timeout" in text or "timed out" in text:
        return "The central database did not answer in time; changes wait here."
    if "password authentication failed" in text or "no password supplied" in text:
        return "The central database refused the login; check the password (environment or keyring)."
    if "does not exist" in text and "database" in text:
        return "The central database named in the URL does not exist."
    if "relation" in text and "does not exist" in text:
        return "The central database is not set up for sync; run `rma-station central init`."
    if any(w in text for w in ("closed", "terminat", "reset", "broken pipe", "lost", "eof")):
        return "The connection to the central database broke mid-sync; it will be retried."
    if "could not translate host name" in text or "name or service not known" in text:
        return "The central database's host name is unknown (DNS or network down)."
    if isinstance(exc, DBAPIError):
        return f"The central database reported an error: {raw.splitlines()[0][:160] if raw else type(exc).__name__}"
    return f"Sync failed: {type(exc).__name__}: {raw.splitlines()[0][:160] if raw else ''}".rstrip(": ")
