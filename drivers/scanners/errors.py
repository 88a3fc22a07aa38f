"""Errors raised by scanner sources.

drivers/ may not import station/, so these are small classes of their own; the UI maps them
to the station's ``DeviceNotFound`` / ``DeviceError`` banners. Messages name what to do.
"""

from __future__ import annotations


class ScannerError(Exception):
    """A scanner source failed (port vanished, camera closed, read error)."""


class ScannerURIError(ScannerError, ValueError):
    """A device URI that names no known scanner kind or has bad parameters."""


class ScannerBackendMissing(ScannerError, ImportError):
    """The Python package a scanner kind needs is not installed."""

    def __init__(self, kind: str, package: str, extra: str | None = None) -> None:
        hint = f"pip install 'rma-station[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{kind} scanners need the '{package}' package, which is not installed ({hint}).")
        self.kind = kind
        self.package = package
        self.extra = extra


class ScannerUnavailable(ScannerError):
    """The device named by the URI is not there (no such port, camera or event node)."""
